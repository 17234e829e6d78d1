// Picks the transport for each host. SSH and WinRM live in their own folders and are loaded only
// when a host needs them, so a local-only run never pays for ssh2 or the WS-Management client.
import type {
  Connection,
  ConnectionFactory,
  ConnectionSpec,
  ExecOptions,
  ExecResult,
  FileOpOptions,
  FileStat,
  WriteOptions,
  WriteResult,
} from '../contract/connection.js';
import { InvalidInputError, didYouMean } from '../contract/diagnostics.js';
import { LocalConnection } from './local.js';

/** Run-wide transport settings (command line / config), passed to every remote transport. */
export interface ConnectionFactoryOptions {
  /** Time allowed to open a connection before the host is declared unreachable. */
  connectTimeoutMs?: number;
  /** SSH host key policy (`strict` unless told otherwise). */
  hostKeyChecking?: 'strict' | 'accept-new' | 'off';
  /** Extra known_hosts file(s) to trust besides the user's. */
  knownHostsFiles?: string[];
  /** Transport-specific settings the remote transports may read. */
  [key: string]: unknown;
}

type RemoteCreator = (spec: ConnectionSpec, opts: ConnectionFactoryOptions) => Connection | Promise<Connection>;

// Literal specifiers, so a bundler keeps each transport whole and still loads it only on first use.
const REMOTE: Record<'ssh' | 'winrm', { load: () => Promise<Record<string, unknown>>; export: string }> = {
  ssh: { load: () => import('./ssh/index.js'), export: 'createSshConnection' },
  winrm: { load: () => import('./winrm/index.js'), export: 'createWinrmConnection' },
};

export function createConnectionFactory(opts: ConnectionFactoryOptions = {}): ConnectionFactory {
  return (spec) => {
    if (spec.transport === 'local') return new LocalConnection();
    return new DeferredConnection(spec, () => loadRemote(spec, opts));
  };
}

async function loadRemote(spec: ConnectionSpec, opts: ConnectionFactoryOptions): Promise<Connection> {
  const entry = REMOTE[spec.transport as 'ssh' | 'winrm'];
  let mod: Record<string, unknown>;
  try {
    mod = await entry.load();
  } catch (e) {
    throw new Error(`the ${spec.transport} transport is not available: ${(e as Error).message}`);
  }
  const create = mod[entry.export];
  if (typeof create !== 'function') throw new Error(`the ${spec.transport} transport does not export ${entry.export}`);
  return (create as RemoteCreator)(spec, opts);
}

/** Stands in for a transport that is loaded on connect; every call goes to the real one. */
class DeferredConnection implements Connection {
  readonly transport: 'ssh' | 'winrm';
  readonly shell: 'posix' | 'powershell';
  private real?: Promise<Connection>;

  constructor(
    spec: ConnectionSpec,
    private readonly load: () => Promise<Connection>,
  ) {
    this.transport = spec.transport as 'ssh' | 'winrm';
    this.shell = spec.transport === 'winrm' ? 'powershell' : 'posix';
  }

  private conn(): Promise<Connection> {
    this.real ??= this.load();
    return this.real;
  }

  async connect(): Promise<void> {
    await (await this.conn()).connect();
  }
  async exec(command: string, opts?: ExecOptions): Promise<ExecResult> {
    return (await this.conn()).exec(command, opts);
  }
  async readFile(path: string, opts?: FileOpOptions): Promise<{ data: Buffer; stat: FileStat } | null> {
    return (await this.conn()).readFile(path, opts);
  }
  async writeFile(path: string, data: Buffer | string, opts?: WriteOptions): Promise<WriteResult> {
    return (await this.conn()).writeFile(path, data, opts);
  }
  async stat(path: string, opts?: FileOpOptions): Promise<FileStat> {
    return (await this.conn()).stat(path, opts);
  }
  async putFile(localPath: string, remotePath: string, opts?: WriteOptions): Promise<WriteResult> {
    return (await this.conn()).putFile(localPath, remotePath, opts);
  }
  async close(): Promise<void> {
    // Never loaded = never opened: nothing to close.
    if (this.real) await (await this.real).close();
  }
}

const TRANSPORTS: Record<string, ConnectionSpec['transport']> = {
  local: 'local',
  ssh: 'ssh',
  // Ansible's other names for an SSH connection.
  smart: 'ssh',
  paramiko: 'ssh',
  paramiko_ssh: 'ssh',
  'ansible.builtin.ssh': 'ssh',
  'ansible.builtin.local': 'local',
  'ansible.builtin.paramiko_ssh': 'ssh',
  winrm: 'winrm',
  'ansible.builtin.winrm': 'winrm',
};

/** Resolves a host's connection settings from its (merged) vars, under Ansible's names. */
export function connectionSpecFromVars(name: string, vars: Readonly<Record<string, unknown>>): ConnectionSpec {
  const problems: string[] = [];
  const str = (key: string): string | undefined => {
    const v = vars[key];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    problems.push(`host '${name}': ${key} must be a string`);
    return undefined;
  };
  const first = (...keys: string[]) => {
    for (const k of keys) {
      const v = str(k);
      if (v !== undefined) return v;
    }
    return undefined;
  };

  let transport: ConnectionSpec['transport'] = name === 'localhost' ? 'local' : 'ssh';
  const conn = str('ansible_connection');
  if (conn !== undefined) {
    const t = TRANSPORTS[conn];
    if (t) transport = t;
    else {
      const hint = didYouMean(conn, ['local', 'ssh', 'winrm']);
      problems.push(
        `host '${name}': ansible_connection '${conn}' is not supported (use local, ssh or winrm)` +
          (hint ? `; did you mean '${hint}'?` : ''),
      );
    }
  }

  const spec: ConnectionSpec = {
    name,
    transport,
    address: first('ansible_host', 'ansible_ssh_host') ?? name,
    vars,
  };
  const port = first('ansible_port', 'ansible_ssh_port');
  if (port !== undefined) {
    const n = Number(port);
    if (!/^\d+$/.test(port) || n < 1 || n > 65535) problems.push(`host '${name}': ansible_port '${port}' is not a port number`);
    else spec.port = n;
  }
  const user = first('ansible_user', 'ansible_ssh_user');
  if (user !== undefined) spec.user = user;
  const password = first('ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password');
  if (password !== undefined) spec.password = password;

  if (problems.length > 0) throw new InvalidInputError(problems.map((message) => ({ message })));
  return spec;
}
