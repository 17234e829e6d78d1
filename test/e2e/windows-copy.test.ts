// win_copy and win_template as playbook tasks through the real CLI, over WinRM, against a lab Windows
// host: check mode (with --diff) changes nothing, a real run writes the bytes expected (CRLF for
// templates), a second run changes nothing, and a changed source is backed up when asked.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { startWindowsFleet, type WindowsFleet } from '../support/windows-hosts.js';

let fleet: WindowsFleet;
let site: string;
const host = () => fleet.hosts[0]!;
const fileOnHost = (path: string): Buffer | undefined => {
  const e = host().state().files[path.toLowerCase()];
  return e?.type === 'file' ? readFileSync(`${host().stateFile}.blobs/${e.sha256}`) : undefined;
};

beforeAll(async () => {
  fleet = await startWindowsFleet([{ name: 'win1' }]);
  await mkdir(join(fleet.dir, 'files'));
  await mkdir(join(fleet.dir, 'templates'));
  await writeFile(join(fleet.dir, 'files', 'driver.bin'), Buffer.from([0, 1, 2, 255]));
  await writeFile(join(fleet.dir, 'templates', 'gpu.ini.j2'), '[gpu]\ncount={{ partitions }}\nhost={{ inventory_hostname }}\n');
  site = join(fleet.dir, 'site.yml');
  await writeFile(site, [
    '- hosts: hyperv',
    '  gather_facts: false',
    '  vars: { partitions: 4 }',
    '  tasks:',
    '    - win_file: { path: C:\\fleetplay, state: directory }',
    '    - ansible.windows.win_copy: { src: driver.bin, dest: C:\\fleetplay\\drivers\\ }',
    '    - win_copy: { content: "hello\\r\\n", dest: C:\\fleetplay\\hello.txt, backup: true }',
    '    - win_template: { src: gpu.ini.j2, dest: C:\\fleetplay\\gpu.ini, backup: true }',
    '      register: tpl',
    '    - debug: { msg: "{{ tpl.checksum }} {{ tpl.size }}" }',
  ].join('\n'));
}, 120_000);
afterAll(async () => fleet?.close());

describe('win_copy and win_template on the lab Windows host', { timeout: 180_000 }, () => {
  it('check mode shows the diff and writes nothing; a real run writes; a second run changes nothing', async () => {
    // As in Ansible, a file cannot be planned into a directory that does not exist yet, even in check mode.
    const seed = join(fleet.dir, 'seed.yml');
    await writeFile(seed, '- hosts: hyperv\n  gather_facts: false\n  tasks:\n    - win_file: { path: C:\\fleetplay, state: directory }\n');
    expect((await fleetplay([seed, '-i', fleet.inventory])).code).toBe(0);
    const before = await fleet.stateHashes();
    const check = await fleetplay([site, '-i', fleet.inventory, '--check', '--diff']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(recap(check.stdout).win1).toMatchObject({ changed: 3, failed: 0 });
    expect(check.stdout).toContain('+count=4');
    expect(await fleet.stateHashes()).toEqual(before);

    const run = await fleetplay([site, '-i', fleet.inventory]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(recap(run.stdout).win1).toMatchObject({ changed: 3, failed: 0 });
    expect(fileOnHost('C:\\fleetplay\\drivers\\driver.bin')).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(fileOnHost('C:\\fleetplay\\hello.txt')?.toString()).toBe('hello\r\n');
    const ini = '[gpu]\r\ncount=4\r\nhost=win1\r\n';
    expect(fileOnHost('C:\\fleetplay\\gpu.ini')?.toString()).toBe(ini);
    const { createHash } = await import('node:crypto');
    expect(run.stdout).toContain(`"msg": "${createHash('sha1').update(ini).digest('hex')} ${ini.length}"`);

    const again = await fleetplay([site, '-i', fleet.inventory]);
    expect(again.code).toBe(0);
    expect(recap(again.stdout).win1).toMatchObject({ changed: 0, failed: 0 });
  });

  it('replaces changed content with a backup of the old file, and names a missing destination directory', async () => {
    const r = await fleetplay([site, '-i', fleet.inventory, '-e', 'partitions=8', '--diff']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(recap(r.stdout).win1).toMatchObject({ changed: 1 });
    expect(r.stdout).toMatch(/-count=4\s+\+count=8/);
    expect(fileOnHost('C:\\fleetplay\\gpu.ini')?.toString()).toContain('count=8\r\n');
    const backups = Object.values(host().state().files).filter((e) => /^C:\\fleetplay\\gpu\.ini\..+\.bak$/i.test(e.path));
    expect(backups).toHaveLength(1);
    expect(fileOnHost(backups[0]!.path)?.toString()).toContain('count=4\r\n');

    const bad = join(fleet.dir, 'bad.yml');
    await writeFile(bad, '- hosts: hyperv\n  gather_facts: false\n  tasks:\n    - win_copy: { content: x, dest: C:\\nowhere\\x.txt }\n');
    const b = await fleetplay([bad, '-i', fleet.inventory]);
    expect(b.code).toBe(2);
    expect(b.stdout).toContain("Destination directory 'C:\\\\nowhere' does not exist");
  });
});
