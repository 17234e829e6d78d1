// Remote shells and their commands: Create/Delete with per-user quota and idle timeout, Command
// (starts a process, or waits for stdin when the process reads it all first), Send, Receive (output in
// chunks that fit the client's envelope size; "no output yet" after OperationTimeout), Signal.

import { randomUUID } from 'node:crypto';
import type { ProcessHost, ProcessEnv, PendingProcess } from '../host/process.js';
import { startProcess } from '../host/process.js';
import type { ProcessOutput } from '../host/powershell.js';
import { Faults } from './soap.js';

/** 0xC000013A: what a process stopped by Ctrl+C exits with. */
export const CTRL_C_EXIT = -1073741510;

interface CommandRecord {
  id: string;
  process: PendingProcess;
  stdin: Buffer[];
  stdinEnded: boolean;
  output?: ProcessOutput;
  /** When the output becomes visible (virtual run time). */
  readyAt: number;
  stdoutPos: number;
  stderrPos: number;
  waiters: Set<() => void>;
  timer?: NodeJS.Timeout;
}

interface ShellRecord {
  id: string;
  owner: string;
  env: ProcessEnv;
  idleTimeoutMs: number;
  lastUsed: number;
  commands: Map<string, CommandRecord>;
}

export interface ShellLimits {
  maxShellsPerUser: number;
  idleTimeoutMs: number;
}

export interface ReceiveResult {
  stdout: Buffer;
  stderr: Buffer;
  done: boolean;
  exitCode?: number;
}

export class ShellManager {
  private readonly shells = new Map<string, ShellRecord>();

  constructor(
    private readonly host: ProcessHost,
    private readonly limits: ShellLimits,
  ) {}

  get count(): number {
    return this.shells.size;
  }

  private sweep(): void {
    const now = Date.now();
    for (const s of this.shells.values()) if (now - s.lastUsed > s.idleTimeoutMs) this.delete(s.id);
  }

  create(owner: string, env: ProcessEnv, idleTimeoutMs?: number): string {
    this.sweep();
    const mine = [...this.shells.values()].filter((s) => s.owner === owner).length;
    if (mine >= this.limits.maxShellsPerUser) throw Faults.shellQuota(this.limits.maxShellsPerUser);
    const id = randomUUID().toUpperCase();
    const idle = Math.min(idleTimeoutMs ?? this.limits.idleTimeoutMs, this.limits.idleTimeoutMs);
    this.shells.set(id, { id, owner, env, idleTimeoutMs: idle, lastUsed: Date.now(), commands: new Map() });
    return id;
  }

  private shell(id: string | undefined): ShellRecord {
    this.sweep();
    const s = id ? this.shells.get(id.toUpperCase()) : undefined;
    if (!s) throw Faults.shellNotFound(id ?? '');
    s.lastUsed = Date.now();
    return s;
  }

  private commandOf(shellId: string | undefined, commandId: string): CommandRecord {
    const c = this.shell(shellId).commands.get(commandId.toUpperCase());
    if (!c) throw Faults.commandNotFound(commandId);
    return c;
  }

  delete(shellId: string | undefined): void {
    const s = this.shell(shellId);
    for (const c of s.commands.values()) this.dispose(c);
    this.shells.delete(s.id);
  }

  command(shellId: string | undefined, commandLine: string): string {
    const s = this.shell(shellId);
    const id = randomUUID().toUpperCase();
    const c: CommandRecord = {
      id, process: startProcess(this.host, commandLine, s.env), stdin: [], stdinEnded: false,
      readyAt: 0, stdoutPos: 0, stderrPos: 0, waiters: new Set(),
    };
    s.commands.set(id, c);
    if (!c.process.waitsForStdin) this.execute(c);
    return id;
  }

  send(shellId: string | undefined, commandId: string, data: Buffer, end: boolean): void {
    const c = this.commandOf(shellId, commandId);
    if (c.output || c.stdinEnded) return;
    c.stdin.push(data);
    if (end) {
      c.stdinEnded = true;
      if (c.process.waitsForStdin) this.execute(c);
    }
  }

  private execute(c: CommandRecord): void {
    const out = c.process.run(Buffer.concat(c.stdin));
    c.output = out;
    c.readyAt = Date.now() + out.delayMs;
    if (out.delayMs > 0) c.timer = setTimeout(() => this.wake(c), out.delayMs);
    this.wake(c);
  }

  private wake(c: CommandRecord): void {
    for (const w of c.waiters) w();
  }

  private dispose(c: CommandRecord): void {
    if (c.timer) clearTimeout(c.timer);
    this.wake(c);
  }

  /**
   * Output that is ready, at most `maxBytes` of it; waits up to `timeoutMs` for some, then throws the
   * OperationTimeout fault the client is expected to retry on.
   */
  async receive(shellId: string | undefined, commandId: string, timeoutMs: number, maxBytes: number, abort?: AbortSignal): Promise<ReceiveResult> {
    const c = this.commandOf(shellId, commandId);
    const deadline = Date.now() + timeoutMs;
    while (!(c.output && Date.now() >= c.readyAt)) {
      const left = deadline - Date.now();
      if (left <= 0 || abort?.aborted) throw Faults.operationTimeout();
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, Math.min(left, c.output ? Math.max(0, c.readyAt - Date.now()) : left));
        function done(): void {
          clearTimeout(t);
          c.waiters.delete(done);
          abort?.removeEventListener('abort', done);
          resolve();
        }
        c.waiters.add(done);
        abort?.addEventListener('abort', done);
      });
      this.commandOf(shellId, commandId);
    }
    const out = c.output;
    const stdout = out.stdout.subarray(c.stdoutPos, c.stdoutPos + maxBytes);
    c.stdoutPos += stdout.length;
    const stderr = out.stderr.subarray(c.stderrPos, c.stderrPos + Math.max(0, maxBytes - stdout.length));
    c.stderrPos += stderr.length;
    const done = c.stdoutPos >= out.stdout.length && c.stderrPos >= out.stderr.length;
    return { stdout, stderr, done, exitCode: done ? out.exitCode : undefined };
  }

  signal(shellId: string | undefined, commandId: string, code: string): void {
    const s = this.shell(shellId);
    const c = s.commands.get(commandId.toUpperCase());
    if (!c) throw Faults.commandNotFound(commandId);
    if (/terminate$/i.test(code)) {
      this.dispose(c);
      s.commands.delete(c.id);
      return;
    }
    if (/ctrl_c$/i.test(code) && !(c.output && Date.now() >= c.readyAt)) {
      // Stopped before it finished: what it printed so far is lost with it in this model.
      if (c.timer) clearTimeout(c.timer);
      c.output = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exitCode: CTRL_C_EXIT, delayMs: 0 };
      c.readyAt = 0;
      this.wake(c);
    }
  }

  closeAll(): void {
    for (const s of [...this.shells.keys()]) this.delete(s);
  }
}
