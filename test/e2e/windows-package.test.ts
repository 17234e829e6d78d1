// win_package as playbook tasks through the real CLI, over WinRM, against a lab Windows host with lab
// installer packages: check mode changes nothing, a real run installs an MSI (exit 3010:
// reboot_required) and an EXE, a second run changes nothing, removal by product_id, a failing
// installer names its exit code, and a URL package is downloaded, installed and its temp file removed.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labPackage } from '@fleetplay/lab/windows';
import { fleetplay, recap } from '../support/cli.js';
import { startWindowsFleet, type WindowsFleet } from '../support/windows-hosts.js';

let fleet: WindowsFleet;
let server: ChildProcess | undefined;
const MSI = '{6F1A2B3C-0000-4000-8000-00000000A001}';
const EXE = '{6F1A2B3C-0000-4000-8000-00000000A002}';
const key = (code: string) => `hklm:\\software\\microsoft\\windows\\currentversion\\uninstall\\${code.toLowerCase()}`;
const registry = () => fleet.hosts[0]!.state().registry;
const play = (name: string, tasks: string[]) => fleet.playbook(name, tasks);

beforeAll(async () => {
  fleet = await startWindowsFleet([{ name: 'win1' }]);
  await writeFile(join(fleet.dir, 'fabric.msi'), labPackage({ productCode: MSI, name: 'Fabric Tools', version: '2.1.0', exitCode: 3010, files: { 'C:\\Program Files\\Fabric\\fabric.exe': 'x' } }));
  await writeFile(join(fleet.dir, 'setup.exe'), labPackage({ productCode: EXE, name: 'Tool', version: '1.4.0', files: { 'C:\\Program Files\\Tool\\tool.exe': 'y' } }));
  await writeFile(join(fleet.dir, 'broken.msi'), labPackage({ productCode: '{6F1A2B3C-0000-4000-8000-00000000A003}', name: 'Broken', version: '1', exitCode: 1603, files: {} }));
  const seed = await play('seed.yml', ['fabric.msi', 'setup.exe', 'broken.msi'].map((f) => `    - win_copy: { src: ${join(fleet.dir, f)}, dest: 'C:\\Windows\\Temp\\${f}' }`));
  const r = await fleetplay([seed, '-i', fleet.inventory]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  server?.kill();
  await fleet?.close();
});

describe('win_package on the lab Windows host', { timeout: 180_000 }, () => {
  it('installs an MSI and an EXE: check mode, real run (3010: reboot_required), then nothing to do', async () => {
    const site = await play('site.yml', [
      `    - ansible.windows.win_package: { path: 'C:\\Windows\\Temp\\fabric.msi', product_id: '${MSI}', arguments: ADDLOCAL=ALL }`,
      '      register: msi',
      "    - win_package: { path: 'C:\\Windows\\Temp\\setup.exe', arguments: [/quiet, /norestart], creates_path: 'C:\\Program Files\\Tool\\tool.exe', creates_version: 1.4.0 }",
      '      register: exe',
      '    - debug: { msg: "{{ msi.rc }} {{ msi.reboot_required }} {{ exe.rc }} {{ exe.reboot_required }}" }',
    ]);
    const before = await fleet.stateHashes();
    const check = await fleetplay([site, '-i', fleet.inventory, '--check', '--diff']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(recap(check.stdout).win1).toMatchObject({ changed: 2, failed: 0 });
    expect(check.stdout).toContain('installed: false → true');
    expect(await fleet.stateHashes()).toEqual(before);

    const run = await fleetplay([site, '-i', fleet.inventory]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(recap(run.stdout).win1).toMatchObject({ changed: 2, failed: 0 });
    expect(run.stdout).toContain('"msg": "3010 True 0 False"');
    expect(registry()[key(MSI)]?.values).toMatchObject({ DisplayName: 'Fabric Tools', DisplayVersion: '2.1.0', UninstallString: `MsiExec.exe /X${MSI}` });
    expect(registry()[key(EXE)]).toBeDefined();
    expect(fleet.hosts[0]!.state().pendingReboot).toBe(true);
    expect(fleet.hosts[0]!.state().installs.map((i) => i.exitCode)).toEqual([3010, 0]);

    const again = await fleetplay([site, '-i', fleet.inventory]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(recap(again.stdout).win1).toMatchObject({ changed: 0, failed: 0 });
    expect(fleet.hosts[0]!.state().installs).toHaveLength(2);
  });

  it('removes by product_id, once; a failing installer names its exit code; a task without an installed test is refused', async () => {
    const rm = await play('rm.yml', [`    - win_package: { product_id: '${MSI}', state: absent }`]);
    const r = await fleetplay([rm, '-i', fleet.inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(recap(r.stdout).win1).toMatchObject({ changed: 1 });
    expect(registry()[key(MSI)]).toBeUndefined();
    expect(fleet.hosts[0]!.state().files['c:\\program files\\fabric\\fabric.exe']).toBeUndefined();
    expect(recap((await fleetplay([rm, '-i', fleet.inventory])).stdout).win1).toMatchObject({ changed: 0 });

    const broken = await fleetplay([await play('broken.yml', ["    - win_package: { path: 'C:\\Windows\\Temp\\broken.msi', product_id: '{6F1A2B3C-0000-4000-8000-00000000A003}' }"]), '-i', fleet.inventory]);
    expect(broken.code).toBe(2);
    expect(broken.stdout).toContain('unexpected rc from install C:\\\\Windows\\\\Temp\\\\broken.msi: 1603');
    const vague = await fleetplay([await play('vague.yml', ["    - win_package: { path: 'C:\\Windows\\Temp\\setup.exe' }"]), '-i', fleet.inventory]);
    expect(vague.code).toBe(2);
    expect(vague.stdout).toContain('win_package needs product_id, creates_path, creates_service or creates_version');
  });

  it('downloads a package from a URL, installs it and removes the temporary file', async () => {
    // The host's download runs while it waits, so the server lives in another process.
    const src = join(fleet.dir, 'fabric.msi');
    server = spawn(process.execPath, ['-e', `const fs=require('fs');const s=require('http').createServer((q,r)=>r.end(fs.readFileSync(${JSON.stringify(src)})));s.listen(0,'127.0.0.1',()=>console.log(s.address().port))`]);
    const port = await new Promise<string>((ok) => server!.stdout!.once('data', (d: Buffer) => ok(d.toString().trim())));
    const book = await play('url.yml', [`    - win_package: { path: 'http://127.0.0.1:${port}/fabric.msi', product_id: '${MSI}' }`, '      register: u',
      '    - debug: { msg: "{{ u.rc }}" }']);
    const r = await fleetplay([book, '-i', fleet.inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('"msg": 3010');
    expect(registry()[key(MSI)]).toBeDefined();
    expect(Object.keys(fleet.hosts[0]!.state().files).filter((f) => f.includes('fleetplay-'))).toEqual([]);
  });
});
