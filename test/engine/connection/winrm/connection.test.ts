// WinrmConnection's contract behaviour that does not need PowerShell: connect opens a shell (and so
// authenticates, once), and every network/auth failure is an UnreachableError in bounded time, without
// the password in it. PowerShell behaviour (and a host that stops answering mid-run) is tested in
// lab-host.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWinrmConnection } from '../../../../src/engine/connection/winrm/index.js';
import type { ConnectionSpec } from '../../../../src/engine/contract/connection.js';
import { InvalidInputError, UnreachableError } from '../../../../src/engine/contract/diagnostics.js';
import { defaultWindowsHostConfig, startWindowsHost, type WindowsHostHandle } from '@fleetplay/lab/windows';

const PASSWORD = 'c0nn-Secret!';
const spec = (port: number, vars: Record<string, unknown> = {}, password = PASSWORD): ConnectionSpec => ({
  name: 'win01',
  transport: 'winrm',
  address: '127.0.0.1',
  port,
  user: 'Administrator',
  password,
  vars: { ansible_winrm_scheme: 'http', ansible_winrm_read_timeout_sec: 3, ansible_winrm_operation_timeout_sec: 1, ...vars },
});

describe('WinrmConnection', () => {
  let host: WindowsHostHandle;
  let port: number;
  const dir = mkdtempSync(join(tmpdir(), 'fp-winrm-conn-'));
  beforeAll(async () => {
    host = await startWindowsHost(defaultWindowsHostConfig({ listenAddress: '127.0.0.1', httpPort: 0, httpsPort: 0, password: PASSWORD, certDir: dir, stateFile: join(dir, 'state.json') }));
    port = host.httpPort;
  });
  afterAll(async () => {
    await host?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is a PowerShell transport and connects by opening an encrypted shell, once', async () => {
    const conn = createWinrmConnection(spec(port));
    expect([conn.transport, conn.shell]).toEqual(['winrm', 'powershell']);
    const before = host.authentications();
    await conn.connect();
    await conn.connect();
    expect(host.authentications()).toBe(before + 1);
    await conn.close();
  });

  it('wrong credentials: UnreachableError without the password', async () => {
    const conn = createWinrmConnection(spec(port, {}, 'not-the-password'));
    const err = await conn.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toMatch(/^WinRM http:\/\/127\.0\.0\.1:\d+\/wsman: ntlm: the server rejected the credentials/);
    expect((err as Error).message).not.toContain('not-the-password');
  });

  it('nothing listening: UnreachableError quickly', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const closed = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const t0 = Date.now();
    await expect(createWinrmConnection(spec(closed)).connect()).rejects.toThrow(/refused/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('a host that accepts TCP but never answers: UnreachableError after the read timeout', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const t0 = Date.now();
    const err = await createWinrmConnection(spec((silent.address() as AddressInfo).port)).connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toMatch(/did not answer within 3s/);
    expect(Date.now() - t0).toBeLessThan(5000);
    silent.close();
  });

  it('settings errors surface at creation, naming the variable', () => {
    expect(() => createWinrmConnection(spec(port, { ansible_winrm_transport: 'basic' }))).toThrow(InvalidInputError);
    expect(() => createWinrmConnection(spec(port, { ansible_winrm_transport: 'basic' }))).toThrow(/ansible_winrm_allow_unencrypted_basic/);
  });
});
