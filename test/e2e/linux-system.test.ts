// The remaining Linux system modules through the real CLI on an Ubuntu and a RHEL lab host: for each
// fixture playbook check mode writes nothing, a real run does the work (read back over OpenSSH), a
// second run changes nothing, and bad input fails with a clear message.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const execFileP = promisify(execFile);
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

describe('authorized_key over SSH', { timeout: 120_000 }, () => {
  it('check mode writes nothing; the real run lets the user log in with the key; a second run is ok', async () => {
    const pub = (await execFileP('ssh-keygen', ['-y', '-f', lab.info.files.clientKey])).stdout.trim();
    const vars = ['-e', JSON.stringify({ login_key: pub })];
    const before = await snap(['/home', '/etc/passwd']);
    // As in Ansible, check mode cannot look up the user an earlier (unrun) task would create.
    const dry = await play('authorized-key.yml', '--check', '--diff', ...vars);
    expect(dry.code, dry.stdout + dry.stderr).toBe(2);
    expect(dry.stdout).toContain('Failed to lookup user keyuser: no such user');
    expect(await snap(['/home', '/etc/passwd'])).toEqual(before);
    const r = await play('authorized-key.yml', '--diff', ...vars);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ changed: 2, failed: 0 });
    expect(r.stdout).toContain(`+no-port-forwarding ${pub.split(' ').slice(0, 2).join(' ')}`);
    for (const mode of ['--check', '']) {
      const again = await play('authorized-key.yml', ...vars, ...(mode ? [mode] : []));
      for (const h of HOSTS) expect(recap(again.stdout)[h]).toMatchObject({ changed: 0, failed: 0 });
    }
    const drop = await play('authorized-key.yml', ...vars, '-e', 'drop_old=true');
    for (const h of HOSTS) {
      expect(recap(drop.stdout)[h]).toMatchObject({ changed: 1, failed: 0 });
      expect(await lab.sh(h, 'sudo cat /home/keyuser/.ssh/authorized_keys; sudo stat -c "%a %U" /home/keyuser/.ssh /home/keyuser/.ssh/authorized_keys')).toBe(
        `no-port-forwarding ${pub}\n700 keyuser\n600 keyuser\n`,
      );
      expect((await lab.ssh(h, 'id -un', 'keyuser')).stdout).toBe('keyuser\n');
    }
  });
});

describe('cron over SSH', { timeout: 120_000 }, () => {
  it('writes the cron.d file as Ansible does; check mode and the second run write nothing', async () => {
    const before = await snap(['/etc/cron.d']);
    const dry = await play('cron.yml', '--check', '--diff');
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toContain('+#Ansible: ib counters\n+*/5 * * * * root /usr/bin/logger ib-counters');
    expect(await snap(['/etc/cron.d'])).toEqual(before);
    const r = await play('cron.yml');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) {
      expect(recap(r.stdout)[h]).toMatchObject({ changed: 3, failed: 0 });
      expect(await lab.sh(h, 'cat /etc/cron.d/fabric; stat -c %a /etc/cron.d/fabric')).toBe(
        'MAILTO=hpc-ops\n#Ansible: ib counters\n*/5 * * * * root /usr/bin/logger ib-counters\n#Ansible: sweep\n#@daily root /usr/bin/true\n644\n',
      );
    }
    const after = await snap(['/etc/cron.d']);
    const again = await play('cron.yml');
    for (const h of HOSTS) expect(recap(again.stdout)[h]).toMatchObject({ changed: 0, failed: 0 });
    expect(await snap(['/etc/cron.d'])).toEqual(after);
  });

  it('adds, changes and removes a job in the connecting user\'s real crontab', async () => {
    const tab = (h: string) => lab.sh(h, 'crontab -l 2>&1 || true');
    expect(await tab('linux-01')).toMatch(/no crontab for/);
    const dry = await play('cron-user.yml', '--check', '--diff');
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toContain('+#Ansible: nightly\n+0 2 * * * /usr/bin/true');
    expect(await tab('linux-01')).toMatch(/no crontab for/);
    const r = await play('cron-user.yml');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) {
      expect(recap(r.stdout)[h]).toMatchObject({ changed: 1, failed: 0 });
      expect(await tab(h)).toBe('#Ansible: nightly\n0 2 * * * /usr/bin/true\n');
    }
    const again = await play('cron-user.yml');
    for (const h of HOSTS) expect(recap(again.stdout)[h]).toMatchObject({ changed: 0, failed: 0 });
    const moved = await play('cron-user.yml', '-e', 'nightly_hour=3', '--diff');
    for (const h of HOSTS) expect(recap(moved.stdout)[h]).toMatchObject({ changed: 1, failed: 0 });
    expect(moved.stdout).toContain('-0 2 * * * /usr/bin/true\n+0 3 * * * /usr/bin/true');
    expect(await tab('linux-02')).toBe('#Ansible: nightly\n0 3 * * * /usr/bin/true\n');
    const gone = await play('cron-user.yml', '-e', 'nightly_state=absent');
    for (const h of HOSTS) expect(recap(gone.stdout)[h]).toMatchObject({ changed: 1, failed: 0 });
    expect(await tab('linux-01')).toBe('');
  });
});

describe('mount over SSH', { timeout: 120_000 }, () => {
  const mounted = (h: string) => lab.sh(h, "findmnt -n -o FSTYPE,OPTIONS '/mnt/fleet scratch' || echo none");
  it('mounts a tmpfs in the host only, keeps fstab as written; unmounted and absent undo it', async () => {
    const before = await snap(['/etc/fstab', '/mnt']);
    const dry = await play('mount.yml', '--check', '--diff');
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toContain('+tmpfs /mnt/fleet\\040scratch tmpfs size=8m,mode=750 0 0');
    expect(await snap(['/etc/fstab', '/mnt'])).toEqual(before);
    const r = await play('mount.yml');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) {
      expect(recap(r.stdout)[h]).toMatchObject({ changed: 2, failed: 0 });
      expect(await lab.sh(h, 'tail -n 2 /etc/fstab')).toBe('tmpfs /mnt/fleet\\040scratch tmpfs size=8m,mode=750 0 0\n198.18.0.1:/export/home /shared nfs defaults,_netdev 0 0\n');
      expect(await mounted(h)).toMatch(/^tmpfs\s+rw,.*size=8192k,mode=750/);
    }
    expect(await readFile('/proc/self/mounts', 'utf8')).not.toContain('fleet\\040scratch');
    const again = await play('mount.yml');
    for (const h of HOSTS) expect(recap(again.stdout)[h]).toMatchObject({ changed: 0, failed: 0 });

    const off = await play('mount.yml', '-e', 'scratch_state=unmounted');
    for (const h of HOSTS) expect(recap(off.stdout)[h]).toMatchObject({ changed: 1, failed: 0 });
    expect(await mounted('linux-01')).toBe('none\n');
    expect(await lab.sh('linux-01', 'grep -c fleet /etc/fstab')).toBe('1\n');
    const gone = await play('mount.yml', '-e', 'scratch_state=absent');
    for (const h of HOSTS) expect(recap(gone.stdout)[h]).toMatchObject({ changed: 1, failed: 0 });
    expect(await lab.sh('linux-02', "grep -c fleet /etc/fstab || true; test -e '/mnt/fleet scratch' || echo no-dir")).toBe('0\nno-dir\n');
  });
});

describe('hostname over SSH', { timeout: 120_000 }, () => {
  it('renames the lab hosts (not the machine); check mode and the second run change nothing', async () => {
    const machine = (await execFileP('uname', ['-n'])).stdout;
    const before = await Promise.all(HOSTS.map((h) => lab.sh(h, 'uname -n; cat /etc/hostname 2>/dev/null || true')));
    const dry = await play('hostname.yml', '--check', '--diff');
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toContain('+hpc-linux-01');
    expect(await Promise.all(HOSTS.map((h) => lab.sh(h, 'uname -n; cat /etc/hostname 2>/dev/null || true')))).toEqual(before);
    const r = await play('hostname.yml');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) {
      expect(recap(r.stdout)[h]).toMatchObject({ changed: 1, failed: 0 });
      expect(await lab.sh(h, 'uname -n; cat /etc/hostname')).toBe(`hpc-${h}\nhpc-${h}\n`);
    }
    expect((await execFileP('uname', ['-n'])).stdout).toBe(machine);
    const again = await play('hostname.yml');
    for (const h of HOSTS) expect(recap(again.stdout)[h]).toMatchObject({ changed: 0, failed: 0 });
  });
});

describe('timezone over SSH', { timeout: 120_000 }, () => {
  it('sets the zone on the lab hosts only; check mode and the second run change nothing; a bad zone fails', async () => {
    const machine = (await execFileP('readlink', ['/etc/localtime'])).stdout;
    const before = await snap(['/etc/localtime', '/etc/timezone']);
    const dry = await play('timezone.yml', '--check', '--diff');
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(await snap(['/etc/localtime', '/etc/timezone'])).toEqual(before);
    const r = await play('timezone.yml');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) {
      expect(recap(r.stdout)[h]).toMatchObject({ changed: 1, failed: 0 });
      expect(await lab.sh(h, 'readlink /etc/localtime; date +%Z -d 2026-07-01')).toBe('/usr/share/zoneinfo/Europe/Berlin\nCEST\n');
    }
    expect((await execFileP('readlink', ['/etc/localtime'])).stdout).toBe(machine);
    const again = await play('timezone.yml');
    for (const h of HOSTS) expect(recap(again.stdout)[h]).toMatchObject({ changed: 0, failed: 0 });
    const bad = await play('timezone.yml', '-e', 'zone=Mars/Olympus');
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain("given timezone 'Mars/Olympus' is not available");
  });
});

describe('fetch over SSH', { timeout: 120_000 }, () => {
  it('copies each host file under its host name; check mode writes nothing; the second run is ok', async () => {
    const out = await mkdtemp(join(tmpdir(), 'fleetplay-fetch-'));
    try {
      const dry = await play('fetch.yml', '--check', '-e', `out=${out}`);
      expect(dry.code, dry.stdout + dry.stderr).toBe(0);
      expect(await readdir(out)).toEqual([]);
      const r = await play('fetch.yml', '-e', `out=${out}`);
      for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ changed: 1, failed: 0 });
      expect(await readFile(join(out, 'linux-01/etc/os-release'), 'utf8')).toMatch(/^ID=ubuntu$/m);
      expect(await readFile(join(out, 'linux-02/etc/os-release'), 'utf8')).toMatch(/^ID="?rhel"?$/m);
      const again = await play('fetch.yml', '-e', `out=${out}`);
      for (const h of HOSTS) expect(recap(again.stdout)[h]).toMatchObject({ changed: 0, failed: 0 });
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
