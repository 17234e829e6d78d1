// win_regedit as playbook tasks through the real CLI, over WinRM, against a lab Windows host: every
// value kind, check mode changing nothing, a real run, a second run with changed=0, then removal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { startWindowsFleet, type WindowsFleet } from '../support/windows-hosts.js';

let fleet: WindowsFleet;
const KEY = 'hklm:\\software\\fleetplay\\gpu';
const play = (name: string, tasks: string[]) => fleet.playbook(name, tasks);

beforeAll(async () => {
  fleet = await startWindowsFleet([{ name: 'win1' }]);
}, 120_000);
afterAll(async () => fleet?.close());

describe('win_regedit on the lab Windows host', { timeout: 180_000 }, () => {
  it('sets values of every kind: check mode first, then for real, then nothing to do', async () => {
    const site = await play('site.yml', [
      '    - ansible.windows.win_regedit: { path: HKLM:\\SOFTWARE\\Fleetplay\\Gpu, name: PartitionCount, data: 4, type: dword }',
      '      register: count',
      '    - win_regedit: { path: HKLM:\\SOFTWARE\\Fleetplay\\Gpu, name: Mask, data: "0xffffffff", type: dword }',
      '    - win_regedit: { path: HKLM:\\SOFTWARE\\Fleetplay\\Gpu, name: Vram, data: 5000000000, type: qword }',
      '    - win_regedit: { path: HKLM:\\SOFTWARE\\Fleetplay\\Gpu, name: Vms, data: [vm1, vm2], type: multistring }',
      '    - win_regedit: { path: HKLM:\\SOFTWARE\\Fleetplay\\Gpu, name: Blob, data: "hex:be,ef", type: binary }',
      '    - win_regedit: { path: HKLM:\\SOFTWARE\\Fleetplay\\Gpu, name: Home, data: \'%SystemRoot%\\fp\', type: expandstring }',
      '    - win_regedit: { path: HKLM:\\SOFTWARE\\Fleetplay\\Gpu, name: Model, data: NVIDIA A2 }',
      '    - win_regedit: { path: HKLM:\\SOFTWARE\\Fleetplay\\Empty }',
      '    - debug: { msg: "{{ count.data_changed }} {{ count.data_type_changed }}" }',
    ]);
    const before = await fleet.stateHashes();
    const check = await fleetplay([site, '-i', fleet.inventory, '--check', '--diff']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(recap(check.stdout).win1).toMatchObject({ changed: 8, failed: 0 });
    expect(check.stdout).toContain('data: (absent) → 4');
    expect(await fleet.stateHashes()).toEqual(before);

    const run = await fleetplay([site, '-i', fleet.inventory]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(recap(run.stdout).win1).toMatchObject({ changed: 8, failed: 0 });
    expect(run.stdout).toContain('"msg": "True False"');
    const key = fleet.hosts[0]!.state().registry[KEY]!;
    expect(key.values).toEqual({ PartitionCount: 4, Mask: -1, Vram: 5000000000, Vms: ['vm1', 'vm2'], Blob: [0xbe, 0xef], Home: '%SystemRoot%\\fp', Model: 'NVIDIA A2' });
    expect(key.kinds).toEqual({ Vram: 'QWord', Blob: 'Binary', Home: 'ExpandString' });
    expect(fleet.hosts[0]!.state().registry['hklm:\\software\\fleetplay\\empty']).toBeDefined();

    const again = await fleetplay([site, '-i', fleet.inventory]);
    expect(again.code).toBe(0);
    expect(recap(again.stdout).win1).toMatchObject({ changed: 0, failed: 0 });
  });

  it('changes a kind, removes a value and a key, and names bad data', async () => {
    const edit = await play('edit.yml', [
      '    - win_regedit: { path: HKLM:\\SOFTWARE\\Fleetplay\\Gpu, name: PartitionCount, data: "4", type: string }',
      '      register: kind',
      '    - win_regedit: { path: HKLM:\\SOFTWARE\\Fleetplay\\Gpu, name: Mask, state: absent }',
      '    - win_regedit: { path: HKLM:\\SOFTWARE\\Fleetplay\\Empty, state: absent }',
      '    - debug: { msg: "{{ kind.data_changed }} {{ kind.data_type_changed }}" }',
    ]);
    const r = await fleetplay([edit, '-i', fleet.inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(recap(r.stdout).win1).toMatchObject({ changed: 3 });
    expect(r.stdout).toContain('"msg": "True True"');
    const reg = fleet.hosts[0]!.state().registry;
    expect(reg[KEY]!.values.PartitionCount).toBe('4');
    expect(reg[KEY]!.values.Mask).toBeUndefined();
    expect(reg['hklm:\\software\\fleetplay\\empty']).toBeUndefined();
    expect(recap((await fleetplay([edit, '-i', fleet.inventory])).stdout).win1).toMatchObject({ changed: 0 });

    const bad = await play('bad.yml', ['    - win_regedit: { path: HKLM:\\SOFTWARE\\Fleetplay, name: N, data: lots, type: dword }']);
    const b = await fleetplay([bad, '-i', fleet.inventory]);
    expect(b.code).toBe(2);
    expect(b.stdout).toContain('data \\"lots\\" is not an integer for a dword value');
  });
});
