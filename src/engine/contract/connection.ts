// The one interface every transport implements (local, ssh, winrm). Modules never see a transport,
// only this: run a command, read/write/stat a file, upload. Quoting for the host's shell is the
// caller's job through quote.ts; privilege escalation is the connection's job (ExecOptions.become).

export interface Become {
  method: 'sudo';
  /** Target user; default root. */
  user: string;
  /** Only sent through a pty prompt when sudo asks for it; never logged. */
  password?: string;
}

export interface ExecOptions {
  stdin?: string | Buffer;
  /** Working directory on the host. */
  cwd?: string;
  /** Extra environment for this command (the task's `environment:`). */
  env?: Record<string, string>;
  become?: Become;
  /** Kill the command and fail after this long. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ExecResult {
  /** Exit code; -1 when the command was killed by a signal or timed out. */
  rc: number;
  signal?: string;
  /** Decoded as UTF-8, correct across chunk boundaries. */
  stdout: string;
  stderr: string;
}

export interface FileStat {
  exists: boolean;
  type?: 'file' | 'directory' | 'link' | 'other';
  /** Permission bits, e.g. 0o644 (no file-type bits). */
  mode?: number;
  uid?: number;
  gid?: number;
  owner?: string;
  group?: string;
  size?: number;
  /** Seconds since the epoch. */
  mtime?: number;
  /** For links: the target as stored. */
  linkTarget?: string;
}

export interface FileOpOptions {
  become?: Become;
  signal?: AbortSignal;
}

export interface WriteOptions extends FileOpOptions {
  /** Permission bits to set; default: keep the existing file's, else 0o644 (umask ignored). */
  mode?: number;
  /** User/group names (or numeric strings); default: keep the existing file's. */
  owner?: string;
  group?: string;
  /** Keep a copy of the old content as `<path>.<pid>.<YYYY-MM-DD@HH:MM:SS>~`, as Ansible names backups. */
  backup?: boolean;
}

export interface WriteResult {
  backupPath?: string;
}

export interface Connection {
  readonly transport: 'local' | 'ssh' | 'winrm';
  /** Which shell `exec` commands are written for. */
  readonly shell: 'posix' | 'powershell';
  /** Opens the transport. Throws UnreachableError (contract/diagnostics.ts) with a clear reason. */
  connect(): Promise<void>;
  /**
   * Runs one command line in the host's shell (`sh -c` on POSIX, PowerShell on Windows).
   * A connection failure mid-command throws UnreachableError; a non-zero exit is NOT an error.
   */
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Content and stat in one round trip; null when the path does not exist. */
  readFile(path: string, opts?: FileOpOptions): Promise<{ data: Buffer; stat: FileStat } | null>;
  /** Atomic: writes a temp file in the same directory, sets mode/owner, then renames over `path`. */
  writeFile(path: string, data: Buffer | string, opts?: WriteOptions): Promise<WriteResult>;
  stat(path: string, opts?: FileOpOptions): Promise<FileStat>;
  /** Uploads a (possibly large) controller file; atomic like writeFile. */
  putFile(localPath: string, remotePath: string, opts?: WriteOptions): Promise<WriteResult>;
  close(): Promise<void>;
}

/** Connection settings resolved from inventory vars (Ansible names in comments). */
export interface ConnectionSpec {
  /** inventory_hostname */
  name: string;
  /** ansible_connection: local | ssh | winrm (default ssh; `localhost` defaults to local) */
  transport: 'local' | 'ssh' | 'winrm';
  /** ansible_host (default: the inventory name) */
  address: string;
  /** ansible_port */
  port?: number;
  /** ansible_user */
  user?: string;
  /** ansible_password / ansible_ssh_pass — a secret */
  password?: string;
  /** All of the host's vars, for transport-specific settings (ansible_ssh_*, ansible_winrm_*). */
  vars: Readonly<Record<string, unknown>>;
  /** -vvvv: where the transport writes its own trace lines (never secrets: no passwords, tokens or keys). */
  trace?: (line: string) => void;
}

export type ConnectionFactory = (spec: ConnectionSpec) => Connection;
