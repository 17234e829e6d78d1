// The controller itself as a host: commands run under /bin/sh -c, and file operations use the same
// POSIX commands the SSH transport sends (posix-files.ts), so what is tested here is what runs there.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, readFile, rm } from 'node:fs/promises';
import type { ExecOptions, ExecResult, WriteOptions, WriteResult } from '../contract/connection.js';
import { becomeFailure, buildPosixCommand, sudoValidateCommand } from './become.js';
import { abortError, CommandOutput, timeoutNote, watchCommand, withNote } from './exec-outcome.js';
import { PosixConnection } from './posix-connection.js';
import { installFileOp, uploadTempPath } from './posix-files.js';

/** How long a timed-out or aborted command gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 2000;

export class LocalConnection extends PosixConnection {
  readonly transport = 'local' as const;

  async connect(): Promise<void> {}
  async close(): Promise<void> {}

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    if (opts.become?.password) {
      // Prime sudo's credential cache first so the real command never shares stdin with a password.
      const v = await spawnShell(sudoValidateCommand(), { stdin: `${opts.become.password}\n`, signal: opts.signal });
      if (v.rc !== 0) {
        return { rc: v.rc, stdout: '', stderr: becomeFailure(v.stderr) ?? 'become failed: sudo rejected the password' };
      }
    }
    const line = buildPosixCommand(command, { cwd: opts.cwd, env: opts.env, become: opts.become });
    return spawnShell(line, opts);
  }

  async putFile(localPath: string, remotePath: string, opts: WriteOptions = {}): Promise<WriteResult> {
    if (opts.become) {
      // A temp file created by this process would belong to the wrong user: stream it instead.
      return this.writeFile(remotePath, await readFile(localPath), opts);
    }
    // Same two steps as an SFTP upload: copy beside the destination, then the shared install command.
    const tmp = uploadTempPath(remotePath, randomBytes(6).toString('hex'));
    await copyFile(localPath, tmp);
    try {
      return await this.runOp(installFileOp(tmp, remotePath, opts), opts);
    } finally {
      await rm(tmp, { force: true });
    }
  }
}

interface SpawnOptions {
  stdin?: string | Buffer;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Runs one `/bin/sh -c` line in its own process group, so a timeout or abort kills the whole
 * pipeline the command started, not just the shell.
 */
export function spawnShell(command: string, opts: SpawnOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(abortError(opts.signal));
      return;
    }
    const child = spawn('/bin/sh', ['-c', command], {
      stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const output = new CommandOutput();
    let killTimer: NodeJS.Timeout | undefined;

    const killGroup = (sig: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    const watch = watchCommand(opts, () => {
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    });

    child.stdout!.on('data', (b: Buffer) => (output.stdout += output.decodeOut(b)));
    child.stderr!.on('data', (b: Buffer) => (output.stderr += output.decodeErr(b)));
    if (child.stdin) {
      // The command may exit without reading its input (EPIPE): that is its business, not an error.
      child.stdin.on('error', () => {});
      child.stdin.end(opts.stdin);
    }
    child.on('error', (e) => {
      cleanup();
      reject(e);
    });
    child.on('close', (code, sig) => {
      cleanup();
      output.finish();
      if (watch.aborted && opts.signal) {
        reject(abortError(opts.signal));
        return;
      }
      const stderr = watch.timedOut ? withNote(output.stderr, timeoutNote(opts.timeoutMs)) : output.stderr;
      const result: ExecResult = { rc: watch.timedOut ? -1 : (code ?? -1), stdout: output.stdout, stderr };
      if (sig) result.signal = sig;
      resolve(result);
    });

    function cleanup() {
      watch.done();
      if (killTimer) clearTimeout(killTimer);
    }
  });
}
