// The service module against the lab's systemctl (packages/lab/src/systemctl-shim.ts: real sh that keeps
// unit state in files), put first on PATH with its state directory moved into a temp dir.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostContext } from '../../src/engine/contract/module.js';
import { SYSTEMCTL_LOG, SYSTEMCTL_SHIM, UNIT_STATE_DIR } from '@fleetplay/lab';
import { service } from '../../src/modules/service.js';
import { parseShow, planService } from '../../src/modules/systemd-service.js';
import { makeHostContext, runModule, tempDir } from '../support/module-host.js';

let dir: string;
let cleanup: () => Promise<void>;
let ctx: HostContext;
const log = () => readFile(join(dir, 'systemctl.log'), 'utf8');

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await mkdir(join(dir, 'bin'));
  await mkdir(join(dir, 'units'));
  const shim = SYSTEMCTL_SHIM.replaceAll(UNIT_STATE_DIR, join(dir, 'units')).replaceAll(SYSTEMCTL_LOG, join(dir, 'systemctl.log'));
  await writeFile(join(dir, 'bin', 'systemctl'), shim);
  await chmod(join(dir, 'bin', 'systemctl'), 0o755);
  await writeFile(join(dir, 'systemctl.log'), '');
  await writeFile(join(dir, 'units', 'waagent.unit'), '');
  ctx = makeHostContext({ env: { PATH: `${join(dir, 'bin')}:${process.env.PATH}` } });
});
afterEach(async () => cleanup());

describe('service (systemd)', () => {
  it('starts and enables a stopped unit, then reports ok', async () => {
    const args = { name: 'waagent', state: 'started', enabled: true };
    const r = await runModule(service, args, { ctx });
    expect(r.status).toBe('changed');
    expect(r.plan.changes).toEqual([{ op: 'enable', unit: 'waagent' }, { op: 'start', unit: 'waagent' }]);
    expect(r.plan.diff).toEqual([
      {
        kind: 'fields',
        label: 'service waagent',
        fields: [
          { key: 'enabled', before: false, after: true },
          { key: 'state', before: 'stopped', after: 'started' },
        ],
      },
    ]);
    const again = await runModule(service, args, { ctx });
    expect([again.status, again.plan.reason]).toEqual(['ok', 'waagent is running and enabled']);
    expect((await log()).match(/^(start|enable) /gm)).toEqual(['enable ', 'start ']);
  });

  it('restarted always restarts; stopped stops only a running unit', async () => {
    await runModule(service, { name: 'waagent', state: 'started' }, { ctx });
    expect((await runModule(service, { name: 'waagent', state: 'restarted' }, { ctx })).status).toBe('changed');
    expect((await runModule(service, { name: 'waagent', state: 'restarted' }, { ctx })).status).toBe('changed');
    expect((await log()).match(/^restart waagent$/gm)).toHaveLength(2);
    expect((await runModule(service, { name: 'waagent', state: 'stopped' }, { ctx })).status).toBe('changed');
    expect((await runModule(service, { name: 'waagent', state: 'stopped' }, { ctx })).status).toBe('ok');
  });

  it('check mode plans the restart without doing it', async () => {
    const r = await runModule(service, { name: 'waagent', state: 'restarted' }, { ctx, check: true });
    expect(r.status).toBe('changed');
    expect(await log()).not.toMatch(/restart|start/);
  });

  it('fails clearly for a unit that does not exist', async () => {
    const r = await runModule(service, { name: 'nosuch', state: 'started' }, { ctx });
    expect(r.msg).toBe('Could not find the requested service nosuch: host');
  });

  it('runs daemon-reload first, and alone it changes nothing', async () => {
    const r = await runModule(service, { daemon_reload: true }, { ctx });
    expect(r.status).toBe('ok');
    expect(await log()).toMatch(/^daemon-reload$/m);
  });
});

describe('service planning (pure)', () => {
  it('reads systemctl show output', () => {
    expect(parseShow('Id=x.service\nLoadState=loaded\nActiveState=active\nUnitFileState=static\n')).toEqual({
      systemctl: true,
      load: 'loaded',
      active: 'active',
      unitFile: 'static',
    });
  });

  it('treats static units as enabled and reloads a stopped unit by starting it', () => {
    const cur = { systemctl: true, load: 'loaded', active: 'inactive', unitFile: 'static' };
    expect(planService({ name: 'x', enabled: true }, cur).changes).toEqual([]);
    expect(planService({ name: 'x', state: 'reloaded' }, cur).changes).toEqual(['start']);
    expect(planService({ name: 'x', state: 'started' }, { systemctl: false }).failed).toMatch(/systemd hosts only/);
  });
});
