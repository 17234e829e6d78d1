// unarchive through the real CLI on an Ubuntu and a RHEL lab host: check mode unpacks nothing, a real
// run unpacks from the controller and on the host, a second run changes nothing, and a file changed
// on the host is unpacked again.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const PLAYBOOK = new URL('fixtures/system/unarchive.yml', import.meta.url).pathname;
const HOSTS = ['linux-01', 'linux-02'] as const;
const STATE = ['/var/lib/fleethost'];
const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });
let archive = '';
const play = (...extra: string[]) => fleetplay([PLAYBOOK, '-i', lab.inventory, '-e', `archive=${archive}`, ...extra]);

beforeAll(async () => {
  const src = join(lab.work, 'tool-src');
  await mkdir(join(src, 'tool/bin'), { recursive: true });
  await writeFile(join(src, 'tool/bin/run'), '#!/bin/sh\necho run\n', { mode: 0o755 });
  await writeFile(join(src, 'tool/README'), 'a tool\n');
  await symlink('bin/run', join(src, 'tool/run'));
  archive = join(lab.work, 'tool.tgz');
  execFileSync('tar', ['-czf', archive, '-C', src, 'tool']);
});

describe('unarchive over SSH', () => {
  it('--check unpacks nothing', async () => {
    // The archive is already on the hosts (as after an earlier download), so check mode can list it.
    const b64 = (await readFile(archive)).toString('base64');
    await Promise.all(HOSTS.map((h) => lab.sh(h, `sudo mkdir -p /var/lib/fleethost/from-controller /var/lib/fleethost/from-host && echo ${b64} | base64 -d | sudo tee /var/lib/fleethost/tool.tgz >/dev/null`)));
    const before = await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)));
    const r = await play('--check');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('"msg": "tool,tool/bin,tool/bin/run,tool/README,tool/run"');
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ changed: 2, failed: 0 });
    expect(await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)))).toEqual(before);
  });

  it('a real run unpacks both ways on both distros', async () => {
    const r = await play();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) {
      expect(recap(r.stdout)[h]).toMatchObject({ changed: 2, failed: 0 });
      expect(await lab.sh(h, 'cd /var/lib/fleethost && from-controller/tool/run && cat from-host/README && readlink from-host/run && stat -c %a from-host/bin/run')).toBe('run\na tool\nbin/run\n755\n');
    }
  });

  it('a second run changes nothing; an edited file is unpacked again', async () => {
    const before = await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)));
    const r = await play();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ changed: 0, failed: 0 });
    expect(await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)))).toEqual(before);
    await lab.sh('linux-01', 'echo edited | sudo tee /var/lib/fleethost/from-host/README >/dev/null');
    const again = await play();
    expect(recap(again.stdout)['linux-01']).toMatchObject({ changed: 1, failed: 0 });
    expect(await lab.sh('linux-01', 'cat /var/lib/fleethost/from-host/README')).toBe('a tool\n');
  });
});
