// win_ping's plan: the answer, Ansible's 'crash', and a host that does not answer. Running it over
// WinRM is covered against the lab's Windows host in test/engine/connection/winrm/lab-host.test.ts.
import { describe, expect, it } from 'vitest';
import { winPing } from '../../src/modules/win-ping.js';
import { makePlanContext } from '../support/module-host.js';

describe('win_ping plan', () => {
  it('answers with data, fails on crash or a broken host', () => {
    const p = (args: { data?: string }, ok = true) => winPing.plan(args, { ok, detail: 'x' }, makePlanContext());
    expect(p({}).result).toEqual({ ping: 'pong' });
    expect(p({ data: 'héllo' }).result).toEqual({ ping: 'héllo' });
    expect(p({ data: 'crash' }).failed).toBe('boom');
    expect(p({}, false).failed).toMatch(/did not answer/);
  });
});

// ---- against the lab's Windows host ----
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWinrmConnection } from '../../src/engine/connection/winrm/index.js';
import { defaultWindowsHostConfig, startWindowsHost } from '@fleetplay/lab/windows';
import { makeHostContext, runModule } from '../support/module-host.js';

describe('win_ping on the lab Windows host', () => {
  it('answers pong (and custom data) over HTTPS with NTLM, in check mode too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fp-winping-'));
    const host = await startWindowsHost(defaultWindowsHostConfig({ listenAddress: '127.0.0.1', httpPort: 0, httpsPort: 0, certDir: dir, stateFile: join(dir, 'state.json') }));
    const conn = createWinrmConnection({
      name: 'winlab', transport: 'winrm', address: '127.0.0.1', port: host.httpsPort, user: 'Administrator', password: 'Lab-Passw0rd!',
      vars: { ansible_winrm_ca_trust_path: host.caCertPath },
    });
    try {
      const ctx = makeHostContext({ conn });
      expect(await runModule(winPing, {}, { ctx })).toMatchObject({ status: 'ok', plan: { result: { ping: 'pong' } } });
      expect(await runModule(winPing, { data: "it's ü" }, { ctx, check: true })).toMatchObject({ status: 'ok', plan: { result: { ping: "it's ü" } } });
      expect(await runModule(winPing, { data: 'crash' }, { ctx })).toMatchObject({ status: 'failed', msg: 'boom' });
    } finally {
      await conn.close();
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails clearly on a Linux host', async () => {
    const r = await runModule(winPing, {});
    expect(r).toMatchObject({ status: 'failed' });
    expect(r.msg).toMatch(/needs a Windows host/);
  });
});
