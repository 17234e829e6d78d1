// The text-editing modules (and the read-only slurp and find) through the real CLI on an Ubuntu and a RHEL lab host: --check --diff
// shows the edits and writes nothing, a real run makes them (checked with OpenSSH), a second run
// changes nothing and writes nothing.
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const PLAYBOOK = new URL('fixtures/ssh/file-edit.yml', import.meta.url).pathname;
const HOSTS = ['linux-01', 'linux-02'] as const;
const BASE = '/var/lib/fleethost/edit';
const STATE = [BASE, '/etc/security'];
const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });
const play = (...extra: string[]) => fleetplay([PLAYBOOK, '-i', lab.inventory, ...extra]);

const SSHD = ['Port 22', '#PasswordAuthentication yes', 'UsePAM no', '# BEGIN obsolete', 'AllowTcpForwarding yes', '# END obsolete', 'X11Forwarding no', ''].join('\n');
const plant = (h: string) => lab.sh(h, `mkdir -p ${BASE} && printf '%s' '${SSHD}' > ${BASE}/sshd_config`);
const CHANGING = 6;

describe('text file edits over SSH', () => {
  it('--check --diff shows every edit and writes nothing', async () => {
    for (const h of HOSTS) await plant(h);
    const before = await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)));
    const r = await play('--check', '--diff');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ changed: CHANGING, failed: 0, unreachable: 0 });
    expect(r.stdout).toMatch(/ #PasswordAuthentication yes\n\+# BEGIN ANSIBLE MANAGED BLOCK\n\+Match User hpcadmin\n/);
    expect(r.stdout).toContain('-AllowTcpForwarding yes\n');
    expect(r.stdout).toContain('+* hard memlock unlimited\n');
    expect(r.stdout).toContain('-Port 22\n+Port 2222\n');
    // slurp reads the host as it is: check mode wrote nothing.
    expect(r.stdout).toContain('"msg": "slurped Port 22 (base64)"');
    expect(r.stdout).toContain(`"msg": "found 1: ${BASE}/sshd_config 0644"`);
    expect(r.stdout).toContain('"msg": "port moved in 0 of 1"');
    expect(r.stdout).toContain('-#PasswordAuthentication yes\n+#PasswordAuthentication no\n');
    expect(await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)))).toEqual(before);
  });

  it('a real run edits the files on both distros', async () => {
    const r = await play();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ changed: CHANGING, failed: 0, unreachable: 0 });
    expect(r.stdout).toContain('"msg": "slurped Port 2222 (base64)"');
    // The backup replace made is there, but excluded.
    expect(r.stdout).toContain(`"msg": "found 1: ${BASE}/sshd_config 0644"`);
    expect(r.stdout).toContain('"msg": "port moved in 1 of 2"');
    for (const h of HOSTS) {
      const files = await lab.files(h, [`${BASE}/sshd_config`, '/etc/security/limits.d/90-hpc.conf']);
      expect(files[`${BASE}/sshd_config`]).toBe(
        [
          '# start fleet banner',
          'Banner /etc/issue.net',
          '# stop fleet banner',
          'Port 2222',
          '#PasswordAuthentication no',
          '# BEGIN ANSIBLE MANAGED BLOCK',
          'Match User hpcadmin',
          '    PasswordAuthentication no',
          '# END ANSIBLE MANAGED BLOCK',
          'UsePAM no',
          'X11Forwarding no',
          '',
        ].join('\n'),
      );
      expect(files['/etc/security/limits.d/90-hpc.conf']).toBe('# BEGIN HPC LIMITS\n* soft memlock unlimited\n* hard memlock unlimited\n# END HPC LIMITS\n');
      expect(await lab.sh(h, 'stat -c "%a %U" /etc/security/limits.d/90-hpc.conf')).toBe('644 root\n');
      // replace's backup: one timestamped copy of the text it edited; validate left no copy behind.
      const copies = (await lab.sh(h, `ls -a ${BASE}`)).split('\n').filter((f) => f.startsWith('sshd_config') || f.includes('validate'));
      expect(copies).toHaveLength(2);
      expect(copies.find((f) => f !== 'sshd_config')).toMatch(/^sshd_config\.\d+\.\d{4}-\d{2}-\d{2}@\d{2}:\d{2}:\d{2}~$/);
    }
  });

  it('a second run changes nothing and writes nothing', async () => {
    const before = await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)));
    const r = await play('--diff');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ changed: 0, failed: 0, unreachable: 0 });
    expect(await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)))).toEqual(before);
  });
});
