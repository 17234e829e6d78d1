// A POSIX host's pooled connection with a read-ahead cache: the engine may run the reads of the next
// few tasks early — in one remote command, or riding on the command that runs before them — and each
// answer is handed, once, to the first identical command that asks for it.
//
// Why this is safe: an answer is only good while nothing on the host has changed, and everything
// that can change the host through this run goes out through this connection. So ANY command that
// is not answered from the cache (a module's apply, a user's command, an upload) first empties the
// cache; answers that ride on it are taken after it ran. Answers also expire after a few seconds,
// and each is used at most once (a retried read asks the host again). The engine decides which
// reads may run early (src/engine/run/read-ahead.ts); this file only keeps the promise above.
import type { Connection, ExecOptions, ExecResult, WriteOptions, WriteResult } from '../contract/connection.js';
import { batchable, buildBatch, type BatchItem } from './exec-batch.js';
import { PosixConnection } from './posix-connection.js';

/** How long an answer read ahead stays usable. */
const FRESH_MS = 10_000;

/** Cache key of a command as a read sends it; undefined when it can never be read ahead. */
export function readKey(command: string, opts?: ExecOptions): string | undefined {
  if (!batchable(opts, false)) return undefined;
  return JSON.stringify([command, opts?.cwd ?? '', opts?.env ?? {}, opts?.become?.user ?? '', opts?.become?.method ?? '', !!opts?.become]);
}

/** What this connection sent to the host, for the report and the benchmark. */
export interface RemoteCounts {
  /** Remote commands started (a batch is one). */
  commands: number;
  /** Reads answered from what an earlier command brought back. */
  readAhead: number;
}

export class ReadAheadConnection extends PosixConnection {
  readonly transport: 'local' | 'ssh';
  readonly counts: RemoteCounts = { commands: 0, readAhead: 0 };
  private readonly answers = new Map<string, { r: ExecResult; at: number; uses: number }>();
  private pending: BatchItem[] = [];

  constructor(
    private readonly inner: Connection,
    private readonly trace?: (line: string) => void,
    /** Off: nothing is read ahead, commands are only counted. */
    private readonly enabled = true,
  ) {
    super();
    if (inner.transport === 'winrm') throw new Error('read-ahead is for POSIX hosts');
    this.transport = inner.transport;
  }

  connect(): Promise<void> {
    return this.inner.connect();
  }

  close(): Promise<void> {
    this.forget();
    return this.inner.close();
  }

  /** Reads of the coming tasks: they ride on the next command sent to the host. */
  setPending(items: readonly BatchItem[]): void {
    if (!this.enabled) return;
    this.pending = items.filter((i) => readKey(i.command, i.opts) !== undefined);
  }

  /** Whether an answer for this read is waiting. */
  has(item: BatchItem): boolean {
    const k = readKey(item.command, item.opts);
    const hit = k === undefined ? undefined : this.answers.get(k);
    return hit !== undefined && Date.now() - hit.at < FRESH_MS;
  }

  /** Runs these reads now, as one remote command; their answers wait for their tasks. */
  async prefetch(items: readonly BatchItem[], signal?: AbortSignal): Promise<void> {
    const reads = items.filter((i) => readKey(i.command, i.opts) !== undefined);
    if (reads.length === 0 || !this.enabled) return;
    this.forget();
    const batch = buildBatch(undefined, reads);
    this.counts.commands++;
    this.trace?.(`read ahead: ${reads.length} reads in one command`);
    const r = await this.inner.exec(batch.script, { signal });
    this.keep(reads, batch.parse(r).followers);
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const key = readKey(command, opts);
    if (key !== undefined) {
      const hit = this.answers.get(key);
      if (hit && --hit.uses <= 0) this.answers.delete(key);
      if (hit && Date.now() - hit.at < FRESH_MS) {
        this.counts.readAhead++;
        return hit.r;
      }
    }
    this.forget();
    this.counts.commands++;
    const riders = this.pending.filter((p) => readKey(p.command, p.opts) !== key);
    if (riders.length === 0 || !batchable(opts, true)) return this.inner.exec(command, opts);
    const batch = buildBatch({ command, opts }, riders);
    this.trace?.(`read ahead: ${riders.length} reads ride on this command`);
    const r = await this.inner.exec(batch.script, { stdin: opts.stdin, signal: opts.signal });
    const { lead, followers } = batch.parse(r);
    this.keep(riders, followers);
    return lead ?? r;
  }

  async putFile(localPath: string, remotePath: string, opts?: WriteOptions): Promise<WriteResult> {
    this.forget();
    this.counts.commands++;
    return this.inner.putFile(localPath, remotePath, opts);
  }

  private keep(items: readonly BatchItem[], results: ReadonlyArray<ExecResult | undefined>): void {
    const at = Date.now();
    results.forEach((r, i) => {
      const k = readKey(items[i]!.command, items[i]!.opts);
      if (r === undefined || k === undefined) return;
      // The same read asked for by two tasks (nothing changed between them): answered twice.
      const had = this.answers.get(k);
      if (had && had.at === at) had.uses++;
      else this.answers.set(k, { r, at, uses: 1 });
    });
  }

  private forget(): void {
    this.answers.clear();
  }
}

/** Stands in for the host while the engine learns which command a module's read would send first. */
export class RecordingConnection extends PosixConnection {
  readonly transport = 'ssh' as const;
  readonly asked: BatchItem[] = [];

  connect(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    // A command with input is never read ahead (readKey), so it is not worth recording.
    if (opts.stdin === undefined) this.asked.push({ command, opts: { cwd: opts.cwd, env: opts.env, become: opts.become } });
    return Promise.reject(new NotYetRead());
  }

  putFile(): Promise<WriteResult> {
    return Promise.reject(new NotYetRead());
  }
}

/** Thrown to a module's read by RecordingConnection: the answer comes later, from the host. */
export class NotYetRead extends Error {
  constructor() {
    super('read ahead: answer not yet available');
  }
}
