// One connection per host per run, opened lazily on the first task that touches the host and closed
// at the end. A failed connect is an unreachable host, never a crash.
import type { Connection, ConnectionFactory, ConnectionSpec } from '../contract/connection.js';
import { InvalidInputError, UnreachableError } from '../contract/diagnostics.js';
import { ReadAheadConnection, type RemoteCounts } from '../connection/read-ahead.js';
import { describeTarget, TracedConnection, type TraceSink } from './traced-connection.js';

/** -vvv and above: connection calls (3) and transport traces (4) go to `sink`. */
export interface PoolTracing {
  verbosity: number;
  sink: TraceSink;
}

export class ConnectionPool {
  private readonly open = new Map<string, Promise<Connection>>();
  private readonly specs = new WeakMap<Connection, ConnectionSpec>();
  /** Per key, the counters of every connection opened for it (a reboot opens a new one). */
  private readonly counted = new Map<string, RemoteCounts[]>();

  constructor(
    private readonly factory: ConnectionFactory,
    private readonly tracing?: PoolTracing,
    private readonly readAhead = true,
  ) {}

  /** The connection for `key` (a host name), opening it with `spec()` the first time. */
  get(key: string, spec: () => ConnectionSpec): Promise<Connection> {
    const existing = this.open.get(key);
    if (existing) return existing;
    const opening = this.connect(spec);
    this.open.set(key, opening);
    void opening.then((c) => {
      if (!(c instanceof ReadAheadConnection)) return;
      const list = this.counted.get(key) ?? [];
      list.push(c.counts);
      this.counted.set(key, list);
    }, () => undefined);
    // A failed connect is forgotten so that a later task (ignore_unreachable) may try again.
    opening.catch(() => {
      if (this.open.get(key) === opening) this.open.delete(key);
    });
    return opening;
  }

  /** `conn` as one task uses it: at -vvv, its calls are traced (a no_log task's commands hidden). */
  forTask(conn: Connection, noLog: boolean): Connection {
    const t = this.tracing;
    const spec = this.specs.get(conn);
    return t && t.verbosity >= 3 && spec ? new TracedConnection(conn, spec, t.sink, t.verbosity, noLog) : conn;
  }

  /** meta: reset_connection, or after the transport died: the next use reconnects. */
  async reset(key: string): Promise<void> {
    const existing = this.open.get(key);
    this.open.delete(key);
    if (existing) await existing.then((c) => c.close()).catch(() => undefined);
  }

  /** What was sent to each POSIX host so far (all its connections). */
  remoteCounts(): Record<string, RemoteCounts> {
    const out: Record<string, RemoteCounts> = {};
    for (const [key, list] of this.counted) {
      out[key] = list.reduce((a, c) => ({ commands: a.commands + c.commands, readAhead: a.readAhead + c.readAhead }), { commands: 0, readAhead: 0 });
    }
    return out;
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.allSettled(all.map((p) => p.then((c) => c.close())));
  }

  private async connect(specFn: () => ConnectionSpec): Promise<Connection> {
    let spec: ConnectionSpec;
    let conn: Connection;
    try {
      spec = specFn();
      const t = this.tracing;
      if (t && t.verbosity >= 4) {
        const name = spec.name;
        spec = { ...spec, trace: (line) => t.sink(name, 4, line) };
      }
      conn = this.factory(spec);
      // POSIX hosts get the read-ahead cache (connection/read-ahead.ts): batched reads, fewer round trips
      // (switched off, it still counts the commands sent).
      if (conn.shell === 'posix' && conn.transport !== 'winrm') conn = new ReadAheadConnection(conn, spec.trace, this.readAhead);
      t?.sink(spec.name, 3, `ESTABLISH ${spec.transport.toUpperCase()} CONNECTION TO ${describeTarget(spec)}`);
    } catch (err) {
      // Bad connection settings are the user's input, reported as such (task fails, not unreachable).
      if (err instanceof InvalidInputError || err instanceof UnreachableError) throw err;
      throw new UnreachableError(`cannot set up the connection: ${errorText(err)}`, { cause: err });
    }
    try {
      await conn.connect();
      this.specs.set(conn, spec);
      return conn;
    } catch (err) {
      await conn.close().catch(() => undefined);
      if (err instanceof UnreachableError) throw err;
      throw new UnreachableError(`failed to connect to ${spec.address}: ${errorText(err)}`, { cause: err });
    }
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
