// win_feature as playbook tasks through the real CLI, over WinRM, against a lab Windows host without
// Hyper-V: check mode changes nothing and predicts the restart, a real run installs Hyper-V with its
// management tools (pending until a reboot), a second run changes nothing, unknown names fail
// clearly, and removal with management tools removes them too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { startWindowsFleet, type WindowsFleet } from '../support/windows-hosts.js';

let fleet: WindowsFleet;
const features = () => fleet.hosts[0]!.state().features ?? {};
const play = (name: string, tasks: string[]) => fleet.playbook(name, tasks);

beforeAll(async () => {
  fleet = await startWindowsFleet([{ name: 'win1', hyperv: { enabled: false, gpus: [], vms: [] } }]);
}, 120_000);
afterAll(async () => fleet?.close());

describe('win_feature on the lab Windows host', { timeout: 180_000 }, () => {
  it('installs Hyper-V and its tools: check mode, real run (restart needed), then nothing to do', async () => {
    const site = await play('site.yml', [
      '    - ansible.windows.win_feature: { name: Hyper-V, include_management_tools: true }',
      '      register: hv',
      '    - win_feature: { name: [Failover-Clustering] }',
      '      register: fc',
      '    - debug: { msg: "{{ hv.reboot_required }} {{ hv.exitcode }} {{ hv.feature_result | map(attribute=\'display_name\') | join(\',\') }} {{ fc.reboot_required }}" }',
    ]);
    const before = await fleet.stateHashes();
    const check = await fleetplay([site, '-i', fleet.inventory, '--check', '--diff']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(recap(check.stdout).win1).toMatchObject({ changed: 2, failed: 0 });
    expect(check.stdout).toContain('Hyper-V: Available → InstallPending');
    expect(check.stdout).toContain('Hyper-V-PowerShell: Available → Installed');
    expect(check.stdout).toContain('"msg": "True SuccessRestartRequired Hyper-V,Hyper-V Management Tools,Hyper-V GUI Management Tools,Hyper-V Module for Windows PowerShell False"');
    expect(await fleet.stateHashes()).toEqual(before);

    const run = await fleetplay([site, '-i', fleet.inventory]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(recap(run.stdout).win1).toMatchObject({ changed: 2, failed: 0 });
    expect(run.stdout).toContain('"msg": "True SuccessRestartRequired Hyper-V,Hyper-V Management Tools,Hyper-V GUI Management Tools,Hyper-V Module for Windows PowerShell False"');
    expect(features()).toMatchObject({ 'Hyper-V': 'InstallPending', 'Hyper-V-PowerShell': 'Installed', 'Failover-Clustering': 'Installed', 'RSAT-Clustering': 'Available' });
    expect(fleet.hosts[0]!.state()).toMatchObject({ pendingReboot: true, hyperv: { enabled: false } });

    const again = await fleetplay([site, '-i', fleet.inventory]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(recap(again.stdout).win1).toMatchObject({ changed: 0, failed: 0 });
    expect(again.stdout).toContain('"msg": "False NoChangeNeeded  False"');
  });

  it('fails on an unknown feature naming it, and removes a feature with its management tools', async () => {
    const bad = await fleetplay([await play('bad.yml', ['    - win_feature: { name: "Hyper-V,Telnet-Nope" }']), '-i', fleet.inventory]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('Failed to find feature(s) Telnet-Nope');

    const rm = await play('rm.yml', ['    - win_feature: { name: Failover-Clustering, state: absent, include_management_tools: true }', '      register: r',
      '    - debug: { msg: "{{ r.reboot_required }} {{ r.feature_result | length }}" }']);
    await fleetplay([await play('tools.yml', ['    - win_feature: { name: RSAT-Clustering-PowerShell }']), '-i', fleet.inventory]);
    expect(features()['RSAT-Clustering-PowerShell']).toBe('Installed');
    const r = await fleetplay([rm, '-i', fleet.inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(recap(r.stdout).win1).toMatchObject({ changed: 1 });
    expect(r.stdout).toContain('"msg": "True 3"');
    expect(features()).toMatchObject({ 'Failover-Clustering': 'UninstallPending', 'RSAT-Clustering': 'Available', 'RSAT-Clustering-PowerShell': 'Available' });
  });
});
