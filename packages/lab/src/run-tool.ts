// Runs the system tools the lab is built with (ip, mount, openssl) and turns a failure into an error
// that names the command and what it printed, so a broken `lab up` says why.
import { spawn } from 'node:child_process';

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class LabToolError extends Error {
  constructor(
    readonly command: string,
    readonly result: ToolResult,
  ) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(0, 8).join('\n');
    super(`lab: '${command}' failed (exit ${result.code})${detail ? `:\n${detail}` : ''}`);
    this.name = 'LabToolError';
  }
}

export interface RunToolOptions {
  /** Text fed to the tool's stdin (e.g. an `ip -batch -` script, a password). */
  input?: string;
  /** Resolve with the result instead of throwing on a non-zero exit. */
  allowFail?: boolean;
  /** Shown in the error instead of the argv (keeps secrets and long batches out of messages). */
  label?: string;
  /** Working directory (tools such as apt-ftparchive write paths relative to it). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export function runTool(cmd: string, args: readonly string[], opts: RunToolOptions = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd: opts.cwd, env: opts.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new Error(`lab: cannot run '${cmd}': ${e.message}`)));
    child.on('close', (code, signal) => {
      const result = {
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (result.code !== 0 && !opts.allowFail) reject(new LabToolError(opts.label ?? [cmd, ...args].join(' '), result));
      else resolve(result);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}
