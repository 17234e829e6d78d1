// The SSH transport: one persistent ssh2 connection per host for the whole run (direct, or through
// ProxyJump hosts), commands on pooled channels, file operations as the same single POSIX commands
// the local transport runs (posix-files.ts), large uploads over SFTP. Everything that means "the host
// cannot be reached" surfaces as UnreachableError.
import { randomBytes } from 'node:crypto';
import { readFile, stat as fsStat } from 'node:fs/promises';
import type { Client } from 'ssh2';
import type { Connection, ConnectionSpec, ExecOptions, ExecResult, WriteOptions, WriteResult } from '../../contract/connection.js';
import { UnreachableError } from '../../contract/diagnostics.js';
import { becomeCommand, buildPosixCommand, withEnvAndCwd } from '../become.js';
import { PosixConnection } from '../posix-connection.js';
import { installFileOp, uploadTempPath } from '../posix-files.js';
import { shQuote } from '../quote.js';
import { ChannelPool } from './channel-pool.js';
import { execOnChannel } from './exec-channel.js';
import { openClient } from './open-client.js';
import { openThroughJumps } from './proxy-jump.js';
import { resolveEndpoint, type SshEndpoint, type SshRunOptions } from './settings.js';
import { sftpUpload } from './sftp-upload.js';
import { announceStart, SudoPrompt } from './sudo-prompt.js';

/** sudo's refusal when its policy has `requiretty`. */
const REQUIRETTY = /must have a tty to run sudo/i;

/** Uploads above this size go over SFTP; smaller ones ride on the write command's stdin. */
const SFTP_THRESHOLD = 1024 * 1024;

export class SshConnection extends PosixConnection {
  readonly transport = 'ssh' as const;
  private client?: Client;
  private opening?: Promise<Client>;
  private lostReason?: UnreachableError;
  private closing = false;
  private releaseJumps?: () => void;
  private endpoint?: SshEndpoint;
  private readonly pool: ChannelPool;

  constructor(
    private readonly spec: ConnectionSpec,
    private readonly run: SshRunOptions = {},
  ) {
    super();
    this.pool = new ChannelPool(run.maxChannels ?? 6);
  }

  /** Resolved settings (after connect), e.g. for diagnostics. */
  get settings(): SshEndpoint | undefined {
    return this.endpoint;
  }

  async connect(): Promise<void> {
    await this.ready();
  }

  private ready(): Promise<Client> {
    if (this.lostReason) return Promise.reject(this.lostReason);
    if (this.client) return Promise.resolve(this.client);
    this.opening ??= this.open().catch((e: unknown) => {
      this.opening = undefined;
      throw e instanceof UnreachableError ? e : new UnreachableError(`ssh ${this.spec.name}: ${(e as Error).message}`, { cause: e });
    });
    return this.opening;
  }

  private async open(): Promise<Client> {
    const ep = await resolveEndpoint(this.spec, this.run).catch((e: Error) => {
      throw new UnreachableError(`host '${this.spec.name}': ${e.message}`, { cause: e });
    });
    this.endpoint = ep;
    let client: Client;
    if (ep.jumps.length > 0) {
      const r = await openThroughJumps(ep);
      client = r.client;
      this.releaseJumps = r.release;
    } else {
      client = await openClient(ep);
    }
    let lastError: Error | undefined;
    client.on('error', (e: Error) => (lastError = e));
    client.once('close', () => {
      this.releaseJumps?.();
      if (this.closing) return;
      const why = lastError ? lastError.message.replace(/^\(SSH\) /, '') : 'closed by the remote side';
      this.lostReason = new UnreachableError(`ssh ${ep.label}: connection lost (${why})`, { cause: lastError });
    });
    this.client = client;
    return client;
  }

  private readonly state = { lost: () => this.lostReason };

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const client = await this.ready();
    const become = opts.become;
    const password = become?.password;
    const line = password
      ? becomeCommand(`${announceStart}\n${withEnvAndCwd(command, opts)}`, become!, true)
      : buildPosixCommand(command, { cwd: opts.cwd, env: opts.env, become });
    const run = (pty: boolean) =>
      this.pool.run(() =>
        execOnChannel(client, this.state, line, {
          stdin: opts.stdin,
          timeoutMs: opts.timeoutMs,
          signal: opts.signal,
          sudo: password ? new SudoPrompt(password) : undefined,
          pty,
        }),
      );
    if (password && this.needsTty) return this.runOnTty(run, opts);
    const r = await run(false);
    // sudo with `requiretty` refuses before prompting: only then is a terminal worth its costs.
    if (password && r.rc !== 0 && REQUIRETTY.test(r.stderr)) {
      this.needsTty = true;
      return this.runOnTty(run, opts);
    }
    return r;
  }

  /** Whether this host's sudo insists on a terminal (learnt once per connection). */
  private needsTty = false;

  private runOnTty(run: (pty: boolean) => Promise<ExecResult>, opts: ExecOptions): Promise<ExecResult> {
    if (opts.stdin !== undefined && opts.stdin.length > 0) {
      return Promise.resolve({
        rc: 1,
        stdout: '',
        stderr: "become failed: this host's sudo requires a terminal (requiretty), where a command's input cannot be passed safely; allow sudo without a tty for this user (Defaults:USER !requiretty)\n",
      });
    }
    return run(true);
  }

  async putFile(localPath: string, remotePath: string, opts: WriteOptions = {}): Promise<WriteResult> {
    const size = (await fsStat(localPath)).size;
    // SFTP writes as the login user: with become the bytes go through the privileged command instead.
    if (size <= SFTP_THRESHOLD || opts.become) return this.writeFile(remotePath, await readFile(localPath), opts);
    const client = await this.ready();
    const tmp = uploadTempPath(remotePath, randomBytes(6).toString('hex'));
    await this.pool.run(() => sftpUpload(client, this.state, localPath, tmp));
    try {
      return await this.runOp(installFileOp(tmp, remotePath, opts), opts);
    } catch (e) {
      await this.exec(`rm -f -- ${shQuote(tmp)}`).catch(() => undefined);
      throw e;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    const client = this.client ?? (await this.opening?.catch(() => undefined));
    this.client = undefined;
    this.opening = undefined;
    if (!client) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 1000);
      client.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      client.end();
    });
    this.releaseJumps?.();
  }
}

/** The factory entry point (connection/factory.ts loads this module lazily). */
export function createSshConnection(spec: ConnectionSpec, opts: SshRunOptions = {}): Connection {
  return new SshConnection(spec, opts);
}
