// The HostContext a module receives: the host's connection with the task's become, environment and
// cancellation applied, plus controller-side helpers (finding `src:` files, rendering templates).
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Become, Connection, ExecOptions, ExecResult, FileOpOptions, FileStat, WriteOptions, WriteResult } from '../contract/connection.js';
import { controllerCandidates } from '../load/index.js';
import type { HostContext } from '../contract/module.js';
import type { RoleScope } from '../contract/playbook.js';
import type { VarLayer } from '../contract/template.js';
import type { RunServices } from './options.js';

export interface HostContextInit {
  host: string;
  /** Undefined for controller-side modules (debug, set_fact…): using it is a module bug. */
  conn: Connection | undefined;
  moduleName: string;
  become?: Become;
  env: Record<string, string>;
  facts: Readonly<Record<string, unknown>>;
  checkMode: boolean;
  signal: AbortSignal;
  role?: RoleScope;
  baseDir: string;
  playbookDir: string;
  layers: readonly VarLayer[];
  renderTemplateFile: RunServices['renderTemplateFile'];
  loadVarsFile?: RunServices['loadVarsFile'];
  /** Drops the host's pooled connection and opens a new one (not for delegated tasks). */
  reopen?: (opts: { connectTimeoutMs?: number }) => Promise<Connection>;
}

export class RunHostContext implements HostContext {
  readonly host: string;
  readonly become?: Become;
  readonly env: Readonly<Record<string, string>>;
  readonly facts: Readonly<Record<string, unknown>>;
  readonly checkMode: boolean;
  readonly signal: AbortSignal;

  private connection: Connection | undefined;

  constructor(private readonly init: HostContextInit) {
    this.connection = init.conn;
    this.host = init.host;
    this.become = init.become;
    this.env = init.env;
    this.facts = init.facts;
    this.checkMode = init.checkMode;
    this.signal = init.signal;
  }

  /**
   * The same context on the read-ahead's recording stand-in. Templates render as empty text there:
   * a template may call lookups, which must not run for a guess.
   */
  withConnection(conn: Connection): RunHostContext {
    return new RunHostContext({ ...this.init, conn, reopen: undefined, renderTemplateFile: () => '' });
  }

  get conn(): Connection {
    if (!this.connection) {
      if (this.init.reopen) throw new Error(`module '${this.init.moduleName}' used the host's connection before connecting (ctx.reconnect)`);
      throw new Error(`module '${this.init.moduleName}' runs on the controller but tried to use the host's connection`);
    }
    return this.connection;
  }

  get shell(): 'posix' | 'powershell' {
    return this.connection?.shell ?? 'posix';
  }

  get reconnect(): ((opts?: { connectTimeoutMs?: number }) => Promise<void>) | undefined {
    const reopen = this.init.reopen;
    if (!reopen) return undefined;
    return async (opts = {}) => {
      this.connection = undefined;
      this.connection = await reopen(opts);
    };
  }

  run(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const env = Object.keys(this.env).length || opts.env ? { ...this.env, ...opts.env } : undefined;
    return this.conn.exec(command, { ...opts, env, become: opts.become ?? this.become, signal: opts.signal ?? this.signal });
  }

  readFile(path: string, opts: FileOpOptions = {}): Promise<{ data: Buffer; stat: FileStat } | null> {
    return this.conn.readFile(path, this.fileOpts(opts));
  }

  writeFile(path: string, data: Buffer | string, opts: WriteOptions = {}): Promise<WriteResult> {
    return this.conn.writeFile(path, data, this.fileOpts(opts));
  }

  stat(path: string, opts: FileOpOptions = {}): Promise<FileStat> {
    return this.conn.stat(path, this.fileOpts(opts));
  }

  putFile(localPath: string, remotePath: string, opts: WriteOptions = {}): Promise<WriteResult> {
    return this.conn.putFile(localPath, remotePath, this.fileOpts(opts));
  }

  /**
   * Ansible's search path for `src:`: the role's files/ (or templates/), the role dir, the including
   * file's dir with and without the kind subdir, then the playbook dir. First existing wins; when
   * none exists, the path the user most likely meant, so the module's error names it.
   */
  controllerPath(kind: 'files' | 'templates' | 'vars', path: string): string {
    if (isAbsolute(path)) return path;
    const { role, baseDir, playbookDir } = this.init;
    const found = controllerCandidates(kind, path, role?.dir, baseDir, playbookDir).find((c) => existsSync(c));
    return found ?? (role ? join(role.dir, kind, path) : join(baseDir, path));
  }

  async loadVarsFile(path: string): Promise<Record<string, unknown>> {
    if (!this.init.loadVarsFile) throw new Error('no vars file loader here');
    return { ...(await this.init.loadVarsFile(path)).vars };
  }

  /** template_path, ansible_managed and friends are added beneath the layers by the templater. */
  renderTemplate(text: string, sourcePath: string): string {
    return this.init.renderTemplateFile(text, sourcePath, this.init.layers);
  }

  private fileOpts<T extends FileOpOptions>(opts: T): T {
    return { ...opts, become: opts.become ?? this.become, signal: opts.signal ?? this.signal };
  }
}
