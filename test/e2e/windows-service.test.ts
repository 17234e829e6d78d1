// win_service as playbook tasks through the real CLI, over WinRM, against a lab Windows host: check
// mode changes nothing, a real run sets start modes and states, a second run changes nothing,
// dependents stop only when allowed, and a restart is a real stop + start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { startWindowsFleet, type WindowsFleet } from '../support/windows-hosts.js';

let fleet: WindowsFleet;
const svc = (name: string) => fleet.hosts[0]!.state().services?.find((s) => s.name === name);
const play = (name: string, tasks: string[]) => fleet.playbook(name, tasks);

beforeAll(async () => {
  fleet = await startWindowsFleet([{ name: 'win1' }]);
}, 120_000);
afterAll(async () => fleet?.close());

describe('win_service on the lab Windows host', { timeout: 180_000 }, () => {
  it('starts, stops and sets start modes: check mode, real run, then nothing to do', async () => {
    const site = await play('site.yml', [
      '    - ansible.windows.win_service: { name: W32Time, state: started, start_mode: delayed }',
      '      register: time',
      '    - win_service: { name: Spooler, state: stopped, start_mode: disabled }',
      '    - win_service: { name: WinRM }',
      '      register: winrm',
      '    - debug: { msg: "{{ time.state }} {{ time.start_mode }} {{ winrm.dependencies | join(\',\') }} {{ winrm.state }}" }',
    ]);
    // Touch the model once so its services exist in the state file before hashing.
    expect((await fleetplay([await play('seed.yml', ['    - win_service: { name: WinRM }']), '-i', fleet.inventory])).code).toBe(0);
    const before = await fleet.stateHashes();
    const check = await fleetplay([site, '-i', fleet.inventory, '--check', '--diff']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(recap(check.stdout).win1).toMatchObject({ changed: 2, failed: 0 });
    expect(check.stdout).toContain('start_mode: manual → delayed');
    expect(check.stdout).toContain('state: stopped → running');
    expect(await fleet.stateHashes()).toEqual(before);

    const run = await fleetplay([site, '-i', fleet.inventory]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(recap(run.stdout).win1).toMatchObject({ changed: 2, failed: 0 });
    expect(run.stdout).toContain('"msg": "running delayed RpcSs running"');
    expect(svc('W32Time')).toMatchObject({ status: 'Running', startMode: 'Auto', delayedAutoStart: true });
    expect(svc('Spooler')).toMatchObject({ status: 'Stopped', startMode: 'Disabled' });

    const again = await fleetplay([site, '-i', fleet.inventory]);
    expect(again.code).toBe(0);
    expect(recap(again.stdout).win1).toMatchObject({ changed: 0, failed: 0 });
  });

  it('needs force_dependent_services to stop a service others depend on; restarts for real; deletes', async () => {
    await fleetplay([await play('netlogon.yml', ['    - win_service: { name: Netlogon, state: started }']), '-i', fleet.inventory]);
    const stop = await play('stop.yml', ['    - win_service: { name: LanmanWorkstation, state: stopped }']);
    const refused = await fleetplay([stop, '-i', fleet.inventory]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain("because it has dependent services. It can only be stopped if the Force flag is set.");
    expect(svc('Netlogon')!.status).toBe('Running');

    const forced = await play('force.yml', [
      '    - win_service: { name: LanmanWorkstation, state: stopped, force_dependent_services: true }',
      '    - win_service: { name: W32Time, state: restarted }',
      '    - win_service: { name: wuauserv, state: absent }',
      '    - win_service: { name: nosuch, state: absent }',
    ]);
    const starts = svc('W32Time')!.starts;
    const r = await fleetplay([forced, '-i', fleet.inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(recap(r.stdout).win1).toMatchObject({ changed: 3, ok: 4 });
    expect(svc('Netlogon')!.status).toBe('Stopped');
    expect(svc('W32Time')!.starts).toBe(starts + 1);
    expect(svc('wuauserv')).toBeUndefined();
  });
});
