// -vvv: every call a task makes on a host's connection, as Ansible's EXEC / PUT lines show them. A
// wrapper rather than code in each transport, so local, SSH and WinRM report alike; one per task, so a
// `no_log` task's commands are not shown (the redactor masks known secrets, but a no_log task's
// arguments are secret whatever their names). The lines go out as `trace` events, redacted like the rest.
import type { Connection, ConnectionSpec, ExecOptions, FileOpOptions, WriteOptions } from '../contract/connection.js';

export type TraceSink = (host: string, level: 3 | 4, message: string) => void;

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(2)}s`;

/** Long commands (module wrappers, PowerShell scripts) are shown whole only at -vvvv. */
const MAX_COMMAND = 2000;

/** `ssh fleet@10.0.0.4:2222`, for the ESTABLISH line. */
export function describeTarget(spec: ConnectionSpec): string {
  if (spec.transport === 'local') return 'local';
  const port = spec.port ? `:${spec.port}` : '';
  return `${spec.transport} ${spec.user ? `${spec.user}@` : ''}${spec.address}${port}`;
}

export class TracedConnection implements Connection {
  readonly transport: Connection['transport'];
  readonly shell: Connection['shell'];

  constructor(
    private readonly inner: Connection,
    private readonly spec: ConnectionSpec,
    private readonly say: TraceSink,
    private readonly verbosity: number,
    private readonly noLog: boolean,
  ) {
    this.transport = inner.transport;
    this.shell = inner.shell;
  }

  private line(message: string, level: 3 | 4 = 3): void {
    this.say(this.spec.name, level, message);
  }

  private async timed<T>(what: string, op: () => Promise<T>, done: (r: T) => string): Promise<T> {
    const since = Date.now();
    try {
      const r = await op();
      this.line(`${what}: ${done(r)} (${seconds(since)})`);
      return r;
    } catch (e) {
      this.line(`${what}: failed: ${e instanceof Error ? e.message : String(e)} (${seconds(since)})`);
      throw e;
    }
  }

  connect(): Promise<void> {
    return this.inner.connect();
  }

  exec(command: string, opts?: ExecOptions) {
    const shown = this.noLog
      ? '(command hidden: no_log)'
      : command.length > MAX_COMMAND && this.verbosity < 4 ? `${command.slice(0, MAX_COMMAND)}… (${command.length} chars; -vvvv shows all)` : command;
    const how = [opts?.become ? `become ${opts.become.method} ${opts.become.user}` : '', opts?.stdin !== undefined ? 'stdin' : ''].filter(Boolean).join(', ');
    this.line(`EXEC${how ? ` (${how})` : ''} ${shown}`);
    return this.timed('EXEC', () => this.inner.exec(command, opts), (r) => `rc=${r.rc}`);
  }

  readFile(path: string, opts?: FileOpOptions) {
    return this.timed(`FETCH ${path}`, () => this.inner.readFile(path, opts), (r) => (r ? `${r.data.length} bytes` : 'absent'));
  }

  writeFile(path: string, data: Buffer | string, opts?: WriteOptions) {
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    return this.timed(`PUT ${size} bytes TO ${path}`, () => this.inner.writeFile(path, data, opts), () => 'done');
  }

  stat(path: string, opts?: FileOpOptions) {
    return this.timed(`STAT ${path}`, () => this.inner.stat(path, opts), (s) => (s.exists ? 'exists' : 'absent'));
  }

  putFile(localPath: string, remotePath: string, opts?: WriteOptions) {
    return this.timed(`PUT ${localPath} TO ${remotePath}`, () => this.inner.putFile(localPath, remotePath, opts), () => 'done');
  }

  /** The pool closes the real connection at the end of the run, not the task. */
  close(): Promise<void> {
    return this.inner.close();
  }
}
