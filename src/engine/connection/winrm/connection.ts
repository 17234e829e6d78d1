// The Connection for Windows hosts: PowerShell over WS-Management. One remote shell per host for the
// whole run, commands on a small pool of authenticated connections, file operations in PowerShell.
// Network and authentication failures become UnreachableError; a failing script is a result.
import { readFile } from 'node:fs/promises';
import type { Connection, ExecOptions, ExecResult, FileOpOptions, FileStat, WriteOptions, WriteResult } from '../../contract/connection.js';
import { UnreachableError } from '../../contract/diagnostics.js';
import { WinrmAuthError } from './auth-errors.js';
import { WinrmChannelPool } from './channel-pool.js';
import { clixmlToText } from './clixml.js';
import { parseRead, parseStat, parseWrite, readScript, statScript, writeScript, writeStdin } from './files.js';
import type { WinrmSettings } from './options.js';
import { invocation, withPrologue } from './powershell.js';
import { WinrmShell, type RawResult } from './shell.js';
import { WinrmFault, WinrmProtocolError } from './soap.js';
import { TransportError, endpointOf, type HttpTarget } from './transport-http.js';
import { EncryptionFramingError } from './encryption.js';
import { NtlmIntegrityError } from './ntlm/session.js';

export class WinrmConnection implements Connection {
  readonly transport = 'winrm' as const;
  readonly shell = 'powershell' as const;
  readonly endpoint: string;
  private pool?: WinrmChannelPool;
  private rshell?: WinrmShell;
  private opening?: Promise<void>;
  /** Set after a network failure: closing must not wait for a dead host again. */
  private broken = false;

  constructor(private readonly settings: WinrmSettings) {
    this.endpoint = endpointOf(this.target());
  }

  connect(): Promise<void> {
    this.opening ??= this.open().catch((e) => {
      this.opening = undefined;
      this.pool?.close();
      this.pool = undefined;
      this.rshell = undefined;
      throw this.unreachable(e);
    });
    return this.opening;
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    if (opts.become) {
      throw new Error('become (sudo) is not available over WinRM: the session already runs as ansible_user; connect as an administrator instead');
    }
    const script = withPrologue(command, { cwd: opts.cwd, env: opts.env });
    const stdin = opts.stdin === undefined ? undefined : Buffer.isBuffer(opts.stdin) ? opts.stdin : Buffer.from(opts.stdin, 'utf8');
    const raw = await this.run(script, stdin, opts);
    const result: ExecResult = { rc: raw.rc, stdout: decode(raw.stdout), stderr: clixmlToText(decode(raw.stderr)) };
    if (raw.stopped === 'timeout') {
      result.stderr += `${result.stderr ? '\n' : ''}command timed out after ${(opts.timeoutMs ?? 0) / 1000}s and was stopped`;
    }
    return result;
  }

  async readFile(path: string, opts: FileOpOptions = {}): Promise<{ data: Buffer; stat: FileStat } | null> {
    return parseRead(await this.script(readScript(path), undefined, `read ${path}`, opts.signal));
  }

  async stat(path: string, opts: FileOpOptions = {}): Promise<FileStat> {
    return parseStat(await this.script(statScript(path), undefined, `stat ${path}`, opts.signal));
  }

  async writeFile(path: string, data: Buffer | string, opts: WriteOptions = {}): Promise<WriteResult> {
    if (opts.owner !== undefined || opts.group !== undefined) {
      throw new Error(`cannot set owner/group of ${path}: Windows files have ACLs, not POSIX owners (use a Windows ACL module)`);
    }
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    // Windows has no POSIX permission bits; `mode` is ignored as Ansible's Windows modules do.
    return parseWrite(await this.script(writeScript(path, { backup: opts.backup }), writeStdin(bytes), `write ${path}`, opts.signal));
  }

  async putFile(localPath: string, remotePath: string, opts: WriteOptions = {}): Promise<WriteResult> {
    return this.writeFile(remotePath, await readFile(localPath), opts);
  }

  async close(): Promise<void> {
    const shell = this.rshell;
    const pool = this.pool;
    this.rshell = undefined;
    this.pool = undefined;
    this.opening = undefined;
    if (shell && !this.broken) await shell.close();
    pool?.close();
  }

  private target(): HttpTarget {
    const s = this.settings;
    return {
      scheme: s.scheme,
      host: s.host,
      port: s.port,
      path: s.path,
      tls: s.scheme === 'https' ? s.tls : undefined,
      connectTimeoutMs: s.connectTimeoutMs,
      readTimeoutMs: s.readTimeoutMs,
      ...(s.trace ? { trace: s.trace } : {}),
    };
  }

  private async open(): Promise<void> {
    const s = this.settings;
    this.pool = new WinrmChannelPool(this.target(), { method: s.auth, user: s.user, password: s.password, encrypt: s.encrypt }, s.maxConcurrency);
    this.rshell = new WinrmShell(this.pool, { endpoint: this.endpoint, operationTimeoutSec: s.operationTimeoutSec }, { codepage: 65001, noProfile: true });
    await this.rshell.open();
  }

  private async run(script: string, stdin: Buffer | undefined, opts: { timeoutMs?: number; signal?: AbortSignal }): Promise<RawResult> {
    await this.connect();
    const inv = invocation(script, stdin);
    try {
      return await this.rshell!.run(inv.exe, inv.args, { stdin: inv.stdin, timeoutMs: opts.timeoutMs, signal: opts.signal });
    } catch (e) {
      if (e instanceof WinrmFault) throw new Error(`WinRM (${this.endpoint}): ${e.message}`);
      throw this.unreachable(e);
    }
  }

  /** Runs a helper script that must succeed; its stdout is the answer. */
  private async script(script: string, stdin: Buffer | undefined, what: string, signal?: AbortSignal): Promise<string> {
    const raw = await this.run(withPrologue(script), stdin, { signal });
    if (raw.rc !== 0) {
      const err = clixmlToText(decode(raw.stderr)).trim() || decode(raw.stdout).trim();
      throw new Error(`${what} failed on the host (rc ${raw.rc})${err ? `: ${err}` : ''}`);
    }
    return decode(raw.stdout);
  }

  private unreachable(e: unknown): unknown {
    if (e instanceof UnreachableError) return e;
    const connectionLevel =
      e instanceof TransportError ||
      e instanceof WinrmAuthError ||
      e instanceof WinrmProtocolError ||
      e instanceof EncryptionFramingError ||
      e instanceof NtlmIntegrityError ||
      e instanceof WinrmFault;
    if (!connectionLevel) return e;
    if (!(e instanceof WinrmFault)) this.broken = true;
    return new UnreachableError(`WinRM ${this.endpoint}: ${(e as Error).message}`, { cause: e });
  }
}

/** Output is UTF-8 (code page 65001); a leading BOM is PowerShell's, not the command's. */
function decode(b: Buffer): string {
  return b.toString('utf8').replace(/^\uFEFF/, '');
}
