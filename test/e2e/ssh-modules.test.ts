// Every generic module over SSH, through the real CLI, on an Ubuntu and a RHEL lab host: the first run
// changes what it should (checked on the hosts with OpenSSH), the second writes nothing, and
// --check --diff on fresh hosts shows the diffs and leaves every file as it was.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const PLAYBOOK = new URL('fixtures/ssh/modules.yml', import.meta.url).pathname;
const PAYLOAD = new URL('fixtures/ssh/files/payload.txt', import.meta.url).pathname;
const HOSTS = ['linux-01', 'linux-02'] as const;
const STATE = ['/etc/waagent.conf', '/var/lib/fleethost'];
const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });

const expected = {
  'linux-01': { facts: 'Debian Ubuntu 22.04 linux-01\n', agent: 'walinuxagent', family: 'Debian' },
  'linux-02': { facts: 'RedHat RedHat 8.6 linux-02\n', agent: 'waagent', family: 'RedHat' },
};

const play = (...extra: string[]) => fleetplay([PLAYBOOK, '-i', lab.inventory, ...extra]);
/** A file the `file: state=absent` task must remove. */
const plantObsolete = (host: string) => lab.sh(host, 'echo stale > /var/lib/fleethost/obsolete');

describe('generic modules over SSH', () => {
  it('first run applies every module on both distros', async () => {
    for (const h of HOSTS) await plantObsolete(h);
    const r = await play();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // 13 changing tasks + the rescue's copy + the handler; the deliberate failure is rescued.
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ changed: 15, failed: 0, unreachable: 0, skipped: 0, rescued: 1 });
    expect(r.stdout).toContain('"msg": "linux-01 runs Ubuntu with agent walinuxagent"');
    expect(r.stdout).toContain('"msg": "linux-02 runs RedHat with agent waagent"');
    expect(r.stdout).not.toContain('never reached');

    const payload = await readFile(PAYLOAD, 'utf8');
    for (const h of HOSTS) {
      const e = expected[h];
      const names = ['facts.txt', 'payload.txt', 'motd', 'shell.out', 'settings.conf', 'rescued', 'host.conf'];
      const files = await lab.files(h, names.map((n) => `/var/lib/fleethost/${n}`));
      expect(Object.fromEntries(Object.entries(files).map(([k, v]) => [k.replace('/var/lib/fleethost/', ''), v]))).toEqual({
        'facts.txt': e.facts,
        'payload.txt': payload,
        motd: `managed by fleetplay on ${h}\n`,
        'shell.out': `${h.toUpperCase()} FLEET\n`,
        'settings.conf': 'mode=fast\nafter=yes\n',
        rescued: `rescued: deliberate failure on ${h}\n`,
        'host.conf': `# ${h}: rendered on the controller by fleetplay\nhost=${h}\nhostname=${h}\nfamily=${e.family}\npeers=linux-01,linux-02\nitem.alpha=ALPHA\nitem.beta=BETA\n`,
      });
      const kinds = await lab.sh(
        h,
        'cd /var/lib/fleethost && stat -c "%n %F %a %U" motd payload.txt made-by-command tree tree/sub tree/touched motd-link && readlink motd-link; test -e obsolete || echo obsolete-gone; test -e not-reached || echo not-reached-absent; grep -c "^OS.EnableRDMA=y$" /etc/waagent.conf; grep -c "^# OS.EnableRDMA" /etc/waagent.conf; stat -c "%a %U" /etc/waagent.conf',
      );
      expect(kinds).toBe(
        [
          'motd regular file 640 fleet',
          'payload.txt regular file 600 fleet',
          'made-by-command regular empty file 644 fleet',
          'tree directory 750 fleet',
          'tree/sub directory 750 fleet',
          'tree/touched regular empty file 604 fleet',
          'motd-link symbolic link 777 fleet',
          '/var/lib/fleethost/motd',
          'obsolete-gone',
          'not-reached-absent',
          '1',
          '0',
          '644 root',
          '',
        ].join('\n'),
      );
      // The handler restarted the distro's agent, once, and nothing else touched systemctl.
      expect(await lab.systemctlLog(h)).toEqual([`restart ${e.agent}`]);
    }
  });

  it('a second run changes nothing and writes nothing', async () => {
    const before = await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)));
    const r = await play();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ changed: 0, failed: 0, unreachable: 0, rescued: 1 });
    expect(r.stdout).not.toContain('RUNNING HANDLER');
    expect(await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)))).toEqual(before);
    for (const h of HOSTS) expect(await lab.systemctlLog(h)).toHaveLength(1);
  });

  it('--check --diff on fresh hosts shows every change and makes none', async () => {
    await lab.reset([...HOSTS]);
    for (const h of HOSTS) await plantObsolete(h);
    const before = await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)));
    const r = await play('--check', '--diff');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // command/shell with `creates` on missing files are skipped in check mode; everything else plans.
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ changed: 13, skipped: 2, failed: 0, rescued: 1 });
    expect(r.stdout).toContain('PLAY RECAP [CHECK MODE');
    expect(r.stdout).toMatch(/--- before: \/etc\/waagent\.conf\n\+\+\+ after: \/etc\/waagent\.conf\n@@ [^\n]+ @@\n(?: [^\n]*\n)*-# OS\.EnableRDMA=y\n\+OS\.EnableRDMA=y\n/);
    expect(r.stdout).toContain('+managed by fleetplay on linux-02\n');
    expect(r.stdout).toContain('+family=RedHat\n');
    expect(r.stdout).toMatch(/\/var\/lib\/fleethost\/tree\/sub:\n\s+state: absent → directory/);
    expect(r.stdout).toMatch(/service walinuxagent:\n\s+state: started → restarted/);
    expect(await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)))).toEqual(before);
    for (const h of HOSTS) expect(await lab.systemctlLog(h)).toEqual([]);
  });
});
