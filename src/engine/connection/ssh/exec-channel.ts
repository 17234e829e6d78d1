// One command on one SSH channel: stdout and stderr decoded separately (UTF-8 correct across chunk
// boundaries), exit code or signal, stdin, timeout and AbortSignal. A connection that dies under a
// running command is reported as such, never as a `{code: null}` success.
import type { Client, ClientChannel } from 'ssh2';
import type { ExecResult } from '../../contract/connection.js';
import { UnreachableError } from '../../contract/diagnostics.js';
import { abortError, CommandOutput, timeoutNote, watchCommand, withNote } from '../exec-outcome.js';
import { ChannelOpenRefused, isChannelOpenFailure } from './channel-pool.js';
import { SudoPrompt } from './sudo-prompt.js';

/** Grace between SIGTERM and SIGKILL, and between SIGKILL and giving up on the channel. */
const KILL_GRACE_MS = 2000;
/** How long sudo may take to exit after a rejected password (its own failure delay is ~2 s). */
const GIVE_UP_GRACE_MS = 8000;

export interface ChannelExecOptions {
  stdin?: string | Buffer;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Answer sudo's password prompt (the command must be built with the prompt marker). */
  sudo?: SudoPrompt;
  /**
   * Run on a pseudo-terminal: only for sudo configured with `requiretty`. The terminal merges stderr
   * into stdout and ends lines with CRLF; the result is normalised (LF, everything in stdout).
   */
  pty?: boolean;
}

export interface ConnectionState {
  /** Set once the connection is gone: the reason to report. */
  lost(): UnreachableError | undefined;
}

/**
 * Sends a signal request. ssh2's own `signal()` is silently dropped once we have sent EOF (which we
 * do at once when there is no stdin), though the protocol allows it: go to the channel's protocol.
 */
function sendSignal(stream: ClientChannel, name: 'TERM' | 'KILL'): void {
  const ch = stream as unknown as { outgoing?: { id: number; state: string }; _client?: { _protocol?: { signal(id: number, name: string): void } } };
  const state = ch.outgoing?.state;
  if ((state === 'open' || state === 'eof') && ch._client?._protocol) ch._client._protocol.signal(ch.outgoing!.id, name);
}

// No echo: the password typed into the terminal must not come back in the output.
const PTY = { term: 'dumb', rows: 24, cols: 200, modes: { ECHO: 0 } } as const;

interface ExitInfo {
  code: number | null;
  signal?: string;
}

/**
 * Opens the channel and starts the command. The exit listener is attached inside ssh2's callback:
 * a fast command's data, exit status and close can arrive in the same packet batch as the exec
 * reply, and an `exit` event emitted before an `await` resumes would be lost (data and EOF wait in
 * the stream's buffer; events do not).
 */
function openExec(client: Client, command: string, pty: boolean): Promise<{ stream: ClientChannel; exit: { value?: ExitInfo } }> {
  return new Promise((resolve, reject) => {
    try {
      client.exec(command, pty ? { pty: PTY } : {}, (err, stream) => {
        if (!err) {
          const exit: { value?: ExitInfo } = {};
          stream.on('exit', (code: number | null, signal?: string) => {
            exit.value = { code, signal: signal ?? undefined };
          });
          return resolve({ stream, exit });
        }
        if (isChannelOpenFailure(err)) return reject(new ChannelOpenRefused(err.message));
        reject(err);
      });
    } catch (e) {
      reject(e);
    }
  });
}

export async function execOnChannel(client: Client, state: ConnectionState, command: string, opts: ChannelExecOptions = {}): Promise<ExecResult> {
  if (opts.signal?.aborted) throw abortError(opts.signal);
  let stream: ClientChannel;
  let exitBox: { value?: ExitInfo };
  try {
    ({ stream, exit: exitBox } = await openExec(client, command, opts.pty === true));
  } catch (e) {
    if (e instanceof ChannelOpenRefused) throw e;
    throw state.lost() ?? new UnreachableError(`ssh: cannot start a command: ${(e as Error).message}`, { cause: e });
  }
  return new Promise<ExecResult>((resolve, reject) => {
    const output = new CommandOutput();
    const timers: NodeJS.Timeout[] = [];
    const sudo = opts.sudo;

    const sendStdin = () => {
      if (opts.stdin !== undefined && opts.stdin.length > 0) stream.end(opts.stdin);
      else stream.end();
    };
    // sudo prompts on stderr, or on the terminal (stdout) when there is one.
    const onSudoText = (text: string): string => {
      const r = sudo!.feed(text);
      if (r.answer !== undefined) stream.write(r.answer);
      if (r.giveUp) {
        // On a terminal, EOF on the channel is not end-of-input: interrupt sudo instead (^C).
        if (opts.pty) stream.write('\x03');
        stream.end();
        // sudo normally exits at once; should it keep waiting for input (the interrupt lost on a
        // terminal), close the channel rather than hang the task until its timeout.
        timers.push(
          setTimeout(() => {
            sendSignal(stream, 'KILL');
            stream.close();
            timers.push(setTimeout(() => finish(), KILL_GRACE_MS));
          }, GIVE_UP_GRACE_MS),
        );
      }
      if (r.started) sendStdin();
      return r.passthrough;
    };
    stream.on('data', (b: Buffer) => {
      const text = output.decodeOut(b);
      output.stdout += sudo && opts.pty ? onSudoText(text) : text;
    });
    stream.stderr.on('data', (b: Buffer) => {
      const text = output.decodeErr(b);
      output.stderr += sudo && !opts.pty ? onSudoText(text) : text;
    });
    // Without a sudo prompt to answer, stdin goes right away (or EOF, so readers do not hang).
    if (!sudo) sendStdin();

    const watch = watchCommand(opts, () => {
      sendSignal(stream, 'TERM');
      timers.push(
        setTimeout(() => {
          sendSignal(stream, 'KILL');
          stream.close();
          // sshd may keep the channel while orphans hold its pipes: do not wait for them.
          timers.push(setTimeout(() => finish(), KILL_GRACE_MS));
        }, KILL_GRACE_MS),
      );
    });

    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      watch.done();
      output.finish();
      let { stdout, stderr } = output;
      if (opts.pty) {
        stdout = `${stdout}${stderr}`.replace(/\r\n/g, '\n');
        // What sudo said before refusing is its error output, not the command's.
        stderr = sudo && !sudo.started ? sudo.finalStderr('').replace(/\r\n/g, '\n') : '';
      } else if (sudo) {
        stderr = sudo.finalStderr(stderr);
      }
      const exit = exitBox.value;
      if (watch.aborted && opts.signal) return reject(abortError(opts.signal));
      if (watch.timedOut) {
        stderr = withNote(stderr, timeoutNote(opts.timeoutMs));
        return resolve({ rc: -1, stdout, stderr, ...(exit?.signal ? { signal: exit.signal } : {}) });
      }
      if (!exit) {
        // No exit status: the connection went away under the command (checked a moment later,
        // as ssh2 closes channels while it tears the connection down).
        setTimeout(() => {
          const lost = state.lost();
          if (lost) reject(new UnreachableError(`${lost.message} while running a command`, { cause: lost }));
          else resolve({ rc: -1, stdout, stderr: withNote(stderr, 'the command ended without an exit status') });
        }, 50);
        return;
      }
      resolve({ rc: exit.code ?? -1, stdout, stderr, ...(exit.signal ? { signal: exit.signal } : {}) });
    };
    stream.on('close', finish);
    stream.on('error', () => undefined);
  });
}
