// How a POSIX command line is prepared for the host: the task's environment and working directory go
// INSIDE the privilege wrapper (sudo resets the environment and may not see the caller's cwd), and
// the wrapper itself is plain `sudo ... sh -c`. Every POSIX transport (local, ssh) builds its final
// command line here, so a command behaves the same whichever way it reaches the host.
import type { Become } from '../contract/connection.js';
import { shQuote } from './quote.js';

/**
 * The prompt sudo prints when it needs a password (`sudo -p`). A transport that sees this marker on
 * the command's output (a pty, or stderr with `-S`) answers with the become password; the marker is
 * distinctive so that ordinary program output can never be mistaken for it.
 */
export const SUDO_PROMPT_MARKER = '[fleetplay-sudo-password-prompt]';

export interface PosixCommandOptions {
  cwd?: string;
  env?: Readonly<Record<string, string>>;
  become?: Become;
  /**
   * Build the password-capable form (`sudo -S -p MARKER`) instead of the non-interactive `sudo -n`.
   * The transport must then answer the prompt; used only when the become has a password.
   */
  becomeWithPassword?: boolean;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Prefixes `export`s and `cd`; a bad variable name is refused rather than quoted into mischief. */
export function withEnvAndCwd(command: string, opts: Pick<PosixCommandOptions, 'cwd' | 'env'>): string {
  const lines: string[] = [];
  const env = opts.env ?? {};
  const names = Object.keys(env);
  if (names.length > 0) {
    for (const n of names) {
      if (!ENV_NAME.test(n)) throw new Error(`invalid environment variable name '${n}'`);
    }
    lines.push(`export ${names.map((n) => `${n}=${shQuote(String(env[n]))}`).join(' ')}`);
  }
  // `|| exit` on its own line: `cd x && a; b` would still run b when cd fails.
  if (opts.cwd !== undefined && opts.cwd !== '') lines.push(`cd -- ${shQuote(opts.cwd)} || exit 1`);
  if (lines.length === 0) return command;
  return `${lines.join('\n')}\n${command}`;
}

/** `sudo -H -n -u USER -- /bin/sh -c '<command>'`, or the `-S -p MARKER` form for a password. */
export function becomeCommand(command: string, become: Become, withPassword = false): string {
  const user = become.user || 'root';
  const auth = withPassword ? `-S -p ${shQuote(SUDO_PROMPT_MARKER)}` : '-n';
  return `sudo -H ${auth} -u ${shQuote(user)} -- /bin/sh -c ${shQuote(command)}`;
}

/**
 * A command that only refreshes sudo's credential cache, reading the password from stdin when sudo
 * asks for one. With NOPASSWD rules it asks nothing, so feeding the password on stdin is harmless
 * here — unlike feeding it to the real command, whose stdin it would pollute.
 */
export function sudoValidateCommand(): string {
  return `sudo -S -v -p ${shQuote(SUDO_PROMPT_MARKER)}`;
}

/** The full command line for `sh -c` on the host. */
export function buildPosixCommand(command: string, opts: PosixCommandOptions = {}): string {
  const inner = withEnvAndCwd(command, opts);
  return opts.become ? becomeCommand(inner, opts.become, opts.becomeWithPassword) : inner;
}

/** Recognises sudo's own refusals so callers can report them as become failures, not task output. */
export function becomeFailure(stderr: string): string | undefined {
  if (/a password is required|a terminal is required/i.test(stderr)) {
    return 'become failed: sudo needs a password (set ansible_become_password or allow NOPASSWD)';
  }
  if (/is not in the sudoers file|not allowed to execute|may not run sudo/i.test(stderr)) {
    return `become failed: ${stderr.trim().split('\n')[0]}`;
  }
  if (/sudo: unknown user/i.test(stderr)) return `become failed: ${stderr.trim().split('\n')[0]}`;
  if (/\bsudo: (command )?not found/.test(stderr)) {
    return 'become failed: sudo is not installed on the host';
  }
  return undefined;
}
