// A remote shell (cmd resource) kept open for the whole run, running commands through a bounded
// pool of authenticated channels: Command, Send (chunked stdin), Receive until Done, Signal, Delete.
import * as env from './envelopes.js';
import { FaultCode, WinrmFault, type XmlNode } from './soap.js';

/** Sends one envelope on some channel; a command keeps the same poster for its whole life. */
export type Poster = (soap: string, signal?: AbortSignal) => Promise<XmlNode>;

export interface ChannelLease {
  post: Poster;
  release(): void;
}

export interface ChannelPool {
  acquire(): Promise<ChannelLease>;
}

export interface RunOptions {
  stdin?: Buffer;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RawResult {
  rc: number;
  stdout: Buffer;
  stderr: Buffer;
  /** Set when the command was stopped (timeout or abort). */
  stopped?: 'timeout' | 'aborted';
}

export class AbortedError extends Error {
  constructor() {
    super('the command was cancelled');
    this.name = 'AbortError';
  }
}

export class WinrmShell {
  private shellId?: Promise<string>;

  constructor(
    private readonly pool: ChannelPool,
    private readonly ctx: env.EnvelopeContext,
    private readonly options: env.ShellOptions = {},
  ) {}

  /** Creates the shell now (authenticating on the way), so connection problems show at connect time. */
  async open(): Promise<void> {
    const lease = await this.pool.acquire();
    try {
      await this.ensureShell(lease.post);
    } finally {
      lease.release();
    }
  }

  async run(exe: string, args: readonly string[], opts: RunOptions = {}): Promise<RawResult> {
    const lease = await this.pool.acquire();
    try {
      return await this.runOn(lease.post, exe, args, opts);
    } finally {
      lease.release();
    }
  }

  /** Deletes the shell (best effort: a host that went away must not block the end of a run). */
  async close(): Promise<void> {
    const id = this.shellId;
    this.shellId = undefined;
    if (!id) return;
    const shellId = await id.catch(() => undefined);
    if (!shellId) return;
    const lease = await this.pool.acquire();
    try {
      await lease.post(env.deleteShell(this.ctx, shellId));
    } catch {
      // The shell dies with its idle timeout anyway.
    } finally {
      lease.release();
    }
  }

  private ensureShell(post: Poster): Promise<string> {
    if (!this.shellId) {
      const created = post(env.createShell(this.ctx, this.options)).then(env.readShellId);
      this.shellId = created;
      created.catch(() => {
        if (this.shellId === created) this.shellId = undefined;
      });
    }
    return this.shellId;
  }

  private async startCommand(post: Poster, exe: string, args: readonly string[], signal?: AbortSignal): Promise<{ shellId: string; commandId: string }> {
    for (let attempt = 0; ; attempt++) {
      const shellId = await this.ensureShell(post);
      try {
        return { shellId, commandId: env.readCommandId(await post(env.command(this.ctx, shellId, exe, args), signal)) };
      } catch (e) {
        // The shell timed out between tasks (IdleTimeout): open a new one; the command never started.
        if (attempt === 0 && e instanceof WinrmFault && e.wsmanCode === FaultCode.shellNotFound) {
          if (this.shellId && (await this.shellId.catch(() => '')) === shellId) this.shellId = undefined;
          continue;
        }
        throw e;
      }
    }
  }

  private async runOn(post: Poster, exe: string, args: readonly string[], opts: RunOptions): Promise<RawResult> {
    if (opts.signal?.aborted) throw new AbortedError();
    const { shellId, commandId } = await this.startCommand(post, exe, args, opts.signal);
    const started = Date.now();
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stopped: RawResult['stopped'];
    try {
      if (opts.stdin) await this.sendStdin(post, shellId, commandId, opts.stdin, opts.signal);
      for (;;) {
        let receiveCtx = this.ctx;
        if (opts.timeoutMs !== undefined) {
          const left = opts.timeoutMs - (Date.now() - started);
          if (left <= 0) {
            stopped = 'timeout';
            break;
          }
          // Poll no longer than the time left, so a command timeout is honoured promptly.
          receiveCtx = { ...this.ctx, operationTimeoutSec: Math.max(1, Math.min(this.ctx.operationTimeoutSec, Math.ceil(left / 1000))) };
        }
        let chunk: env.ReceiveChunk;
        try {
          chunk = env.readReceive(await post(env.receive(receiveCtx, shellId, commandId), opts.signal), commandId);
        } catch (e) {
          if (e instanceof WinrmFault && e.wsmanCode === FaultCode.operationTimeout) continue;
          throw e;
        }
        stdout.push(...chunk.stdout);
        stderr.push(...chunk.stderr);
        if (chunk.done) {
          await this.signal(post, shellId, commandId, 'terminate');
          return { rc: chunk.exitCode ?? 0, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr) };
        }
      }
    } catch (e) {
      if (!opts.signal?.aborted) throw e;
      stopped = 'aborted';
    }
    // Timed out or cancelled: stop the process, then report what it printed so far.
    await this.signal(post, shellId, commandId, 'ctrl_c');
    await this.signal(post, shellId, commandId, 'terminate');
    if (stopped === 'aborted') throw new AbortedError();
    return { rc: -1, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), stopped };
  }

  private async sendStdin(post: Poster, shellId: string, commandId: string, data: Buffer, signal?: AbortSignal): Promise<void> {
    const chunk = env.maxSendChunk(this.ctx, shellId, commandId);
    let off = 0;
    do {
      const piece = data.subarray(off, off + chunk);
      off += piece.length;
      await post(env.send(this.ctx, shellId, commandId, piece, off >= data.length), signal);
    } while (off < data.length);
  }

  private async signal(post: Poster, shellId: string, commandId: string, code: env.SignalCode): Promise<void> {
    try {
      await post(env.signal(this.ctx, shellId, commandId, code));
    } catch {
      // Cleanup only: the command is finished or the shell is gone.
    }
  }
}
