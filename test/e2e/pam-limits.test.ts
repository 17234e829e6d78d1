// pam_limits through the real CLI on an Ubuntu and a RHEL lab host: check mode writes nothing, a real
// run sets the limits (read back with OpenSSH), a second run changes nothing; the machine's own
// limits.conf (the lower layer of the hosts' /etc) stays as it was.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const PLAYBOOK = new URL('fixtures/system/pam-limits.yml', import.meta.url).pathname;
const HOSTS = ['linux-01', 'linux-02'] as const;
const STATE = ['/etc/security'];
const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });
const play = (...extra: string[]) => fleetplay([PLAYBOOK, '-i', lab.inventory, ...extra]);
const machineLimits = readFile('/etc/security/limits.conf', 'utf8');

describe('pam_limits over SSH', () => {
  it('--check --diff shows both limits and writes nothing', async () => {
    const before = await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)));
    const r = await play('--check', '--diff');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ changed: 2, failed: 0 });
    expect(r.stdout).toContain('+*\t-\tmemlock\tunlimited\n');
    expect(r.stdout).toContain('+@hpc\tsoft\tnofile\t65536\t#fabric jobs\n');
    expect(await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)))).toEqual(before);
  });

  it('a real run writes the limits on both distros and keeps limits.conf comments', async () => {
    const r = await play();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) {
      expect(recap(r.stdout)[h]).toMatchObject({ changed: 2, failed: 0 });
      const files = await lab.files(h, ['/etc/security/limits.d/90-memlock.conf', '/etc/security/limits.conf']);
      expect(files['/etc/security/limits.d/90-memlock.conf']).toBe('*\t-\tmemlock\tunlimited\n');
      expect(files['/etc/security/limits.conf']).toBe(`${await machineLimits}@hpc\tsoft\tnofile\t65536\t#fabric jobs\n`);
      expect(await lab.sh(h, 'stat -c "%a %U" /etc/security/limits.d/90-memlock.conf')).toBe('644 root\n');
    }
    expect(await readFile('/etc/security/limits.conf', 'utf8')).toBe(await machineLimits);
  });

  it('a second run changes nothing and writes nothing', async () => {
    const before = await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)));
    const r = await play();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ changed: 0, failed: 0 });
    expect(await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)))).toEqual(before);
  });
});
