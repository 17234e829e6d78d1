// The WS-Management client stack end to end (NTLM handshake + sealing, framing, Create/Command/
// Send/Receive/Signal/Delete, retries, timeouts) against a minimal endpoint that runs real local
// processes. PowerShell-level behaviour is tested against the lab's Windows host in lab-host.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { WinrmChannelPool } from '../../../../src/engine/connection/winrm/channel-pool.js';
import { WinrmShell } from '../../../../src/engine/connection/winrm/shell.js';
import { WinrmAuthError } from '../../../../src/engine/connection/winrm/auth-errors.js';
import { TransportError, type HttpTarget } from '../../../../src/engine/connection/winrm/transport-http.js';
import { MiniWsmanServer } from './support/mini-wsman-server.js';
import { makeTestCa, type TestCa } from './support/test-ca.js';

const USER = 'Administrator';
const PASSWORD = 'Pa55w.rd-ü';

function client(port: number, o: Partial<HttpTarget> & { password?: string; encrypt?: boolean; method?: 'ntlm' | 'basic'; max?: number; op?: number } = {}) {
  const target: HttpTarget = { scheme: 'http', host: '127.0.0.1', port, path: '/wsman', connectTimeoutMs: 3000, readTimeoutMs: 8000, ...o };
  const pool = new WinrmChannelPool(target, { method: o.method ?? 'ntlm', user: USER, password: o.password ?? PASSWORD, encrypt: o.encrypt ?? target.scheme === 'http' }, o.max ?? 2);
  const endpoint = `${target.scheme}://127.0.0.1:${port}/wsman`;
  return { pool, shell: new WinrmShell(pool, { endpoint, operationTimeoutSec: o.op ?? 5 }) };
}

describe('WinRM over HTTP with NTLM sealing', () => {
  let server: MiniWsmanServer;
  let port: number;
  let c: ReturnType<typeof client>;
  beforeAll(async () => {
    server = new MiniWsmanServer({ user: USER, password: PASSWORD, operationTimeoutSec: 1, chunk: 100_000 });
    port = await server.listen();
    c = client(port);
  });
  afterAll(async () => {
    await c.shell.close();
    c.pool.close();
    await server.close();
  });

  it('runs a command: stdout, stderr and exit code', async () => {
    const r = await c.shell.run("printf 'out\\n'; printf 'err\\n' >&2; exit 3", []);
    expect(r).toMatchObject({ rc: 3 });
    expect(r.stdout.toString()).toBe('out\n');
    expect(r.stderr.toString()).toBe('err\n');
  });

  it('streams > 100 KB of stdin in chunked Sends and gets it back intact', async () => {
    const input = Buffer.from('ünïcödé ✓ '.repeat(20_000));
    expect(input.length).toBeGreaterThan(200_000);
    const r = await c.shell.run('cat', [], { stdin: input });
    expect(r.rc).toBe(0);
    expect(r.stdout.equals(input)).toBe(true);
  });

  it('returns > 10 MB of output intact, multi-byte characters split across Receives', async () => {
    const r = await c.shell.run("yes 'ünïcödé ✓ line' | head -c 11000000", []);
    expect(r.rc).toBe(0);
    expect(r.stdout.length).toBe(11_000_000);
    const expected = Buffer.from('ünïcödé ✓ line\n'.repeat(Math.ceil(11_000_000 / Buffer.byteLength('ünïcödé ✓ line\n')))).subarray(0, 11_000_000);
    expect(createHash('sha256').update(r.stdout).digest('hex')).toBe(createHash('sha256').update(expected).digest('hex'));
  });

  it('keeps polling through OperationTimeout faults until the command is done', async () => {
    const t0 = Date.now();
    const r = await c.shell.run('sleep 2.5; echo finished', []);
    expect(r.stdout.toString()).toBe('finished\n');
    expect(Date.now() - t0).toBeGreaterThan(2000);
  });

  it('stops a command at its timeout and reports rc -1', async () => {
    const t0 = Date.now();
    const r = await c.shell.run('echo started; sleep 30', [], { timeoutMs: 1500 });
    expect(r).toMatchObject({ rc: -1, stopped: 'timeout' });
    expect(r.stdout.toString()).toBe('started\n');
    expect(Date.now() - t0).toBeLessThan(6000);
  });

  it('cancels a command through an AbortSignal', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 500);
    await expect(c.shell.run('sleep 30', [], { signal: ac.signal })).rejects.toThrow(/cancelled/);
    // The channel re-authenticates after the aborted request killed its socket.
    expect((await c.shell.run('echo again', [])).stdout.toString()).toBe('again\n');
  });

  it('re-authenticates when the server drops the connection', async () => {
    const before = server.handshakes;
    server.dropConnections();
    await new Promise((r) => setTimeout(r, 50));
    expect((await c.shell.run('echo after-drop', [])).stdout.toString()).toBe('after-drop\n');
    expect(server.handshakes).toBeGreaterThan(before);
  });

  it('opens a new shell when the old one is gone', async () => {
    (server as unknown as { shells: Map<string, unknown> }).shells.clear();
    expect((await c.shell.run('echo new-shell', [])).stdout.toString()).toBe('new-shell\n');
  });

  it('runs commands concurrently on separate connections', async () => {
    const t0 = Date.now();
    const rs = await Promise.all([c.shell.run('sleep 1.5; echo a', []), c.shell.run('sleep 1.5; echo b', [])]);
    expect(rs.map((r) => r.stdout.toString())).toEqual(['a\n', 'b\n']);
    expect(Date.now() - t0).toBeLessThan(2900);
  });

  it('refuses bad credentials with an auth error that does not contain the password', async () => {
    const bad = client(port, { password: 'wrong-secret' });
    const err = await bad.shell.run('echo x', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WinrmAuthError);
    expect(String((err as Error).message)).toMatch(/rejected the credentials for user 'Administrator'/);
    expect(String((err as Error).message)).not.toContain('wrong-secret');
    bad.pool.close();
  });

  it('a server that stops answering gives a transport timeout in bounded time', async () => {
    const s2 = new MiniWsmanServer({ user: USER, password: PASSWORD });
    const p2 = await s2.listen();
    const c2 = client(p2, { readTimeoutMs: 1500 });
    await c2.shell.run('true', []);
    s2.stall = true;
    const t0 = Date.now();
    const err = await c2.shell.run('echo x', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).kind).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(4000);
    c2.pool.close();
    await s2.close();
  });
});

describe('WinRM over HTTPS', () => {
  let ca: TestCa;
  let server: MiniWsmanServer;
  let port: number;
  beforeAll(async () => {
    ca = makeTestCa();
    server = new MiniWsmanServer({ user: USER, password: PASSWORD, tls: { key: ca.key, cert: ca.cert } });
    port = await server.listen();
  });
  afterAll(() => server.close());

  it('NTLM with certificate validation against a CA file (and channel binding)', async () => {
    const c = client(port, { scheme: 'https', tls: { ca: ca.ca, rejectUnauthorized: true } });
    const r = await c.shell.run('echo tls-ntlm', []);
    expect(r.stdout.toString()).toBe('tls-ntlm\n');
    c.pool.close();
  });

  it('Basic over HTTPS', async () => {
    const c = client(port, { scheme: 'https', method: 'basic', tls: { ca: ca.ca, rejectUnauthorized: true } });
    expect((await c.shell.run('echo tls-basic', [])).stdout.toString()).toBe('tls-basic\n');
    c.pool.close();
  });

  it('refuses an untrusted certificate unless validation is off', async () => {
    const strict = client(port, { scheme: 'https', tls: { rejectUnauthorized: true } });
    const err = await strict.shell.run('echo x', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).kind).toBe('tls');
    strict.pool.close();
    const lax = client(port, { scheme: 'https', tls: { rejectUnauthorized: false } });
    expect((await lax.shell.run('echo ignored', [])).stdout.toString()).toBe('ignored\n');
    lax.pool.close();
  });
});
