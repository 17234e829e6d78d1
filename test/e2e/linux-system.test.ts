// The remaining Linux system modules through the real CLI on an Ubuntu and a RHEL lab host: for each
// fixture playbook check mode writes nothing, a real run does the work (read back over OpenSSH), a
// second run changes nothing, and bad input fails with a clear message.
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const fixture = (name: string) => new URL(`fixtures/system/${name}`, import.meta.url).pathname;
const HOSTS = ['linux-01', 'linux-02'] as const;
const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });
const play = (name: string, ...extra: string[]) => fleetplay([fixture(name), '-i', lab.inventory, ...extra]);
const snap = (paths: string[]) => Promise.all(HOSTS.map((h) => lab.snapshot(h, paths)));

describe('raw, script, pause over SSH', { timeout: 120_000 }, () => {
  it('check mode runs nothing; a real run runs once; the second run only runs raw', async () => {
    const before = await snap(['/var/tmp']);
    const dry = await play('exec.yml', '--check');
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(await snap(['/var/tmp'])).toEqual(before);
    const r = await play('exec.yml');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ changed: 1, failed: 0 });
    expect(await lab.sh('linux-01', 'cat /var/tmp/stamp')).toBe('ubuntu two words\n');
    expect(await lab.sh('linux-02', 'cat /var/tmp/stamp; ls /tmp | grep -c fleetplay-script || true')).toBe('rhel two words\n0\n');
    const again = await play('exec.yml');
    for (const h of HOSTS) expect(recap(again.stdout)[h]).toMatchObject({ changed: 0, failed: 0 });
  });
});

const HASH = '$6$fleetlab$LZO6U1YhZBVguFpmGUA9LIyBd';
const ACCOUNTS = ['/etc/passwd', '/etc/group', '/etc/shadow', '/home'];

describe('user and group over SSH', { timeout: 120_000 }, () => {
  it('check mode changes nothing, a real run creates them, a second run changes nothing', async () => {
    const before = await snap(ACCOUNTS);
    const dry = await play('accounts.yml', '--check', '--diff', '-v');
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(dry.stdout)[h]).toMatchObject({ changed: 3, failed: 0 });
    expect(dry.stdout).toContain('password');
    expect(dry.stdout + dry.stderr).not.toContain(HASH);
    expect(await snap(ACCOUNTS)).toEqual(before);

    const r = await play('accounts.yml', '--diff', '-v');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(HASH);
    for (const h of HOSTS) {
      expect(recap(r.stdout)[h]).toMatchObject({ changed: 3, failed: 0 });
      expect(await lab.sh(h, 'getent passwd hpcadmin; getent group hpc; id -Gn hpcadmin; test -d /home/hpcadmin && echo home')).toBe(
        'hpcadmin:x:3101:3101:HPC admin:/home/hpcadmin:/bin/bash\nhpc:x:3101:\nhpc adm\nhome\n',
      );
      expect(await lab.sh(h, 'sudo getent shadow hpcadmin | cut -d: -f2')).toMatch(/^\$6\$fleetlab\$LZO6U1YhZBVguFpmGUA9LIyBd/);
    }
    const again = await play('accounts.yml');
    for (const h of HOSTS) expect(recap(again.stdout)[h]).toMatchObject({ changed: 0, failed: 0 });

    const gone = await play('accounts.yml', '-e', 'scratch_state=absent');
    for (const h of HOSTS) expect(recap(gone.stdout)[h]).toMatchObject({ changed: 1, failed: 0 });
    expect(await lab.sh('linux-01', 'getent passwd scratch; test -e /home/scratch || echo no-home')).toBe('no-home\n');
  });

  it('a group that does not exist fails with its name and changes nothing', async () => {
    const before = await snap(ACCOUNTS);
    const r = await play('accounts-bad.yml');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Group no-such-group does not exist');
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
    expect(await snap(ACCOUNTS)).toEqual(before);
  });
});
