// The WS-Management client stack end to end (NTLM handshake + sealing, framing, Create/Command/
// Send/Receive/Signal/Delete, retries, timeouts, TLS) against the lab's Windows host. Output that a
// command writes while it is still running needs real processes: live-output.test.ts.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WinrmAuthError } from '../../../../src/engine/connection/winrm/auth-errors.js';
import { WinrmChannelPool } from '../../../../src/engine/connection/winrm/channel-pool.js';
import { WinrmShell } from '../../../../src/engine/connection/winrm/shell.js';
import { TransportError, type HttpTarget } from '../../../../src/engine/connection/winrm/transport-http.js';
import { defaultWindowsHostConfig, startWindowsHost, type WindowsHostConfig, type WindowsHostHandle } from '@fleetplay/lab/windows';

const USER = 'Administrator';
const PASSWORD = 'Pa55w.rd-ü';
const dirs: string[] = [];

async function labHost(extra: Partial<WindowsHostConfig> = {}): Promise<WindowsHostHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'fp-winrm-proto-'));
  dirs.push(dir);
  return startWindowsHost(defaultWindowsHostConfig({
    listenAddress: '127.0.0.1', httpPort: 0, httpsPort: 0, password: PASSWORD, certDir: dir, stateFile: join(dir, 'state.json'), ...extra,
  }));
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function client(port: number, o: Partial<HttpTarget> & { password?: string; encrypt?: boolean; method?: 'ntlm' | 'basic'; max?: number; op?: number } = {}) {
  const target: HttpTarget = { scheme: 'http', host: '127.0.0.1', port, path: '/wsman', connectTimeoutMs: 3000, readTimeoutMs: 8000, ...o };
  const pool = new WinrmChannelPool(target, { method: o.method ?? 'ntlm', user: USER, password: o.password ?? PASSWORD, encrypt: o.encrypt ?? target.scheme === 'http' }, o.max ?? 2);
  const endpoint = `${target.scheme}://127.0.0.1:${port}/wsman`;
  return { pool, shell: new WinrmShell(pool, { endpoint, operationTimeoutSec: o.op ?? 5 }) };
}

const ps = (script: string): [string, string[]] => ['powershell.exe', ['-NoProfile', '-NonInteractive', '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')]];

describe('WinRM over HTTP with NTLM sealing', () => {
  let host: WindowsHostHandle;
  let c: ReturnType<typeof client>;
  beforeAll(async () => {
    host = await labHost();
    c = client(host.httpPort, { op: 1 });
  });
  afterAll(async () => {
    await c.shell.close();
    c.pool.close();
    await host.close();
  });

  it('runs commands: stdout, stderr and exit code', async () => {
    expect(await c.shell.run('echo', ['out'])).toMatchObject({ rc: 0, stdout: Buffer.from('out\r\n') });
    const missing = await c.shell.run('type', ['C:\\nope.txt']);
    expect(missing.rc).toBe(1);
    expect(missing.stderr.toString()).toBe('The system cannot find the file specified.\r\n');
    expect((await c.shell.run('exit', ['3'])).rc).toBe(3);
  });

  it('streams > 100 KB of stdin in chunked Sends and gets it back intact', async () => {
    const input = 'ünïcödé ✓ '.repeat(20_000);
    expect(Buffer.byteLength(input)).toBeGreaterThan(200_000);
    const r = await c.shell.run('powershell.exe', ['-NoProfile', '-Command', '[Console]::In.ReadToEnd()'], { stdin: Buffer.from(input) });
    expect(r.rc).toBe(0);
    expect(r.stdout.toString('utf8')).toBe(`${input}\r\n`);
  });

  it('returns > 10 MB of output intact, multi-byte characters split across Receives', async () => {
    const line = 'ünïcödé ✓ line';
    const n = Math.ceil(11_000_000 / Buffer.byteLength(line));
    const r = await c.shell.run(...ps(`'${line}' * ${n}`));
    expect(r.rc).toBe(0);
    const expected = Buffer.from(`${line.repeat(n)}\r\n`);
    expect(r.stdout.length).toBe(expected.length);
    expect(createHash('sha256').update(r.stdout).digest('hex')).toBe(createHash('sha256').update(expected).digest('hex'));
  });

  it('keeps polling through OperationTimeout faults until the command is done', async () => {
    const t0 = Date.now();
    const r = await c.shell.run(...ps("Start-Sleep -Seconds 2.5; 'finished'"));
    expect(r.stdout.toString()).toBe('finished\r\n');
    expect(Date.now() - t0).toBeGreaterThan(2000);
  });

  it('stops a command at its timeout and reports rc -1', async () => {
    const t0 = Date.now();
    const r = await c.shell.run(...ps("Start-Sleep -Seconds 30; 'late'"), { timeoutMs: 1500 });
    expect(r).toMatchObject({ rc: -1, stopped: 'timeout' });
    expect(r.stdout.toString()).toBe('');
    expect(Date.now() - t0).toBeLessThan(6000);
  });

  it('cancels a command through an AbortSignal', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 500);
    await expect(c.shell.run(...ps('Start-Sleep -Seconds 30'), { signal: ac.signal })).rejects.toThrow(/cancelled/);
    // The channel re-authenticates after the aborted request killed its socket.
    expect((await c.shell.run('echo', ['again'])).stdout.toString()).toBe('again\r\n');
  });

  it('re-authenticates when the server drops the connection', async () => {
    await c.shell.run('echo', ['before-drop']);
    const before = host.authentications();
    host.dropConnections();
    await new Promise((r) => setTimeout(r, 50));
    expect((await c.shell.run('echo', ['after-drop'])).stdout.toString()).toBe('after-drop\r\n');
    expect(host.authentications()).toBeGreaterThan(before);
  });

  it('opens a new shell when the old one is gone', async () => {
    await c.shell.run('echo', ['first']);
    host.dropShells();
    expect((await c.shell.run('echo', ['new-shell'])).stdout.toString()).toBe('new-shell\r\n');
  });

  it('runs commands concurrently on separate connections', async () => {
    const t0 = Date.now();
    const rs = await Promise.all([c.shell.run(...ps("Start-Sleep -Seconds 1.5; 'a'")), c.shell.run(...ps("Start-Sleep -Seconds 1.5; 'b'"))]);
    expect(rs.map((r) => r.stdout.toString())).toEqual(['a\r\n', 'b\r\n']);
    expect(Date.now() - t0).toBeLessThan(2900);
  });

  it('refuses bad credentials with an auth error that does not contain the password', async () => {
    const bad = client(host.httpPort, { password: 'wrong-secret' });
    const err = await bad.shell.run('echo', ['x']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WinrmAuthError);
    expect(String((err as Error).message)).toMatch(/rejected the credentials for user 'Administrator'/);
    expect(String((err as Error).message)).not.toContain('wrong-secret');
    bad.pool.close();
  });

  it('a server that stops answering gives a transport timeout in bounded time', async () => {
    const h2 = await labHost();
    const c2 = client(h2.httpPort, { readTimeoutMs: 1500 });
    await c2.shell.run('echo', ['alive']);
    h2.setFaults({ stallAllAfterMs: 0 });
    const t0 = Date.now();
    const err = await c2.shell.run('echo', ['x']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).kind).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(4000);
    c2.pool.close();
    h2.setFaults({});
    await h2.close();
  });
});

describe('WinRM over HTTPS', () => {
  let host: WindowsHostHandle;
  let ca: Buffer;
  beforeAll(async () => {
    // Strict: NTLM clients must send a channel binding for the certificate (Extended Protection).
    host = await labHost({ cbtHardeningLevel: 'Strict' });
    ca = readFileSync(host.caCertPath);
  });
  afterAll(() => host.close());

  it('NTLM with certificate validation against a CA file, and the channel binding a strict host requires', async () => {
    const c = client(host.httpsPort, { scheme: 'https', tls: { ca, rejectUnauthorized: true } });
    const r = await c.shell.run('echo', ['tls-ntlm']);
    expect(r.stdout.toString()).toBe('tls-ntlm\r\n');
    c.pool.close();
  });

  it('Basic over HTTPS', async () => {
    const c = client(host.httpsPort, { scheme: 'https', method: 'basic', tls: { ca, rejectUnauthorized: true } });
    expect((await c.shell.run('echo', ['tls-basic'])).stdout.toString()).toBe('tls-basic\r\n');
    c.pool.close();
  });

  it('refuses an untrusted certificate unless validation is off', async () => {
    const strict = client(host.httpsPort, { scheme: 'https', tls: { rejectUnauthorized: true } });
    const err = await strict.shell.run('echo', ['x']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).kind).toBe('tls');
    strict.pool.close();
    const lax = client(host.httpsPort, { scheme: 'https', tls: { rejectUnauthorized: false } });
    expect((await lax.shell.run('echo', ['ignored'])).stdout.toString()).toBe('ignored\r\n');
    lax.pool.close();
  });
});
