// win_file and win_stat as playbook tasks through the real CLI, over WinRM, against a lab Windows
// host: check mode changes nothing, a real run creates and removes, a second run changes nothing.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { startWindowsFleet, type WindowsFleet } from '../support/windows-hosts.js';

let fleet: WindowsFleet;
const play = (name: string, tasks: string[]) => fleet.playbook(name, tasks);
const files = () => fleet.hosts[0]!.state().files;

beforeAll(async () => {
  fleet = await startWindowsFleet([{ name: 'win1' }]);
  await play('site.yml', [
    '    - ansible.windows.win_file: { path: C:\\fleetplay\\drivers\\mlnx, state: directory }',
    '    - win_file: { path: C:\\fleetplay\\drivers\\stamp.txt, state: touch }',
    '    - win_file: { path: C:\\fleetplay\\old, state: absent }',
    '    - win_stat: { path: C:\\fleetplay\\drivers\\stamp.txt }',
    '      register: st',
    '    - win_stat: { path: C:\\fleetplay\\drivers }',
    '      register: dir',
    '    - debug: { msg: "stamp={{ st.stat.exists }} {{ st.stat.isdir | default(\'none\') }} {{ st.stat.size | default(-1) }} dir={{ dir.stat.isdir | default(\'none\') }}" }',
  ]);
}, 120_000);
afterAll(async () => fleet?.close());

describe('win_file and win_stat on the lab Windows host', { timeout: 180_000 }, () => {
  it('check mode reports what would change and changes nothing; then creates; then is idempotent but for touch', async () => {
    // Something to remove, made through the model's own PowerShell.
    const seed = join(fleet.dir, 'seed.yml');
    await play('seed.yml', ['    - win_powershell: { script: "New-Item -ItemType Directory -Path C:\\\\fleetplay\\\\old\\\\sub -Force | Out-Null; Set-Content C:\\\\fleetplay\\\\old\\\\sub\\\\x.txt x" }']);
    expect((await fleetplay([seed, '-i', fleet.inventory])).code).toBe(0);
    expect(files()['c:\\fleetplay\\old\\sub\\x.txt']).toBeDefined();

    const site = join(fleet.dir, 'site.yml');
    const before = await fleet.stateHashes();
    const check = await fleetplay([site, '-i', fleet.inventory, '--check', '--diff']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(recap(check.stdout).win1).toMatchObject({ changed: 3, failed: 0 });
    expect(check.stdout).toContain('"msg": "stamp=False none -1 dir=none"');
    expect(await fleet.stateHashes()).toEqual(before);

    const run = await fleetplay([site, '-i', fleet.inventory]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(recap(run.stdout).win1).toMatchObject({ changed: 3, failed: 0 });
    expect(run.stdout).toContain('"msg": "stamp=True False 0 dir=True"');
    expect(files()['c:\\fleetplay\\drivers\\mlnx']).toMatchObject({ type: 'dir' });
    expect(files()['c:\\fleetplay\\drivers\\stamp.txt']).toMatchObject({ type: 'file', size: 0 });
    expect(Object.keys(files()).filter((k) => k.startsWith('c:\\fleetplay\\old'))).toEqual([]);

    // touch always sets a new time (as Ansible's); the directory and the absent path are settled.
    const again = await fleetplay([site, '-i', fleet.inventory]);
    expect(again.code).toBe(0);
    expect(recap(again.stdout).win1).toMatchObject({ changed: 1, failed: 0 });
  });

  it('state: file does not create a file, and a directory in the way is named', async () => {
    const bad = join(fleet.dir, 'bad.yml');
    await play('bad.yml', ['    - win_file: { path: C:\\fleetplay\\missing.txt, state: file }']);
    const r = await fleetplay([bad, '-i', fleet.inventory]);
    expect(r.code).toBe(2);
    // The message as the JSON result shows it (backslashes escaped).
    expect(r.stdout).toContain('"msg": "path C:\\\\fleetplay\\\\missing.txt will not be created"');
    expect(r.stdout).not.toMatch(/at .*\.js:\d+/);
  });
});
