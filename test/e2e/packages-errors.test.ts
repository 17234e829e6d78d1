// What the package modules say when a package manager cannot do what a task asks, on real apt and
// dnf lab hosts: a missing package is named, a held dpkg lock is waited for and its holder named, a
// repository signed with an unknown key fails its GPG check, and a half-configured dpkg is reported
// with the way out. Each is a failed task (exit 2) with a message, never a stack trace.
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });
const UBUNTU = 'linux-01';
const RHEL = 'linux-02';

async function play(name: string, yaml: string) {
  const r = await fleetplay([await lab.write(name, yaml), '-i', lab.inventory]);
  expect(r.stdout + r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  return r;
}
const fatal = (stdout: string, host: string) => stdout.split('\n').filter((l) => l.startsWith(`fatal: [${host}]`)).map((l) => JSON.parse(l.slice(l.indexOf('{'))).msg as string);

describe('package manager failures', { timeout: 180_000 }, () => {
  it('on a host whose package cache was never downloaded, says so', async () => {
    const r = await play('empty-cache.yml', `
- hosts: ${UBUNTU}
  become: true
  gather_facts: false
  tasks:
    - apt: { name: perftest }
`);
    expect(r.code).toBe(2);
    expect(fatal(r.stdout, UBUNTU)).toEqual(["No package matching 'perftest' is available (the package cache is empty: set update_cache: true)"]);
  });

  it('names a package no repository has, on both managers', async () => {
    // One play: a play whose every host failed ends the run, as in Ansible.
    const r = await play('missing.yml', `
- hosts: ${UBUNTU},${RHEL}
  become: true
  tasks:
    - apt: { name: [perftest, no-such-package], update_cache: true }
      when: ansible_os_family == 'Debian'
    - dnf: { name: [perftest, no-such-package] }
      when: ansible_os_family == 'RedHat'
`);
    expect(r.code).toBe(2);
    expect(fatal(r.stdout, UBUNTU)).toEqual(["No package matching 'no-such-package' is available"]);
    expect(fatal(r.stdout, RHEL)).toEqual(["No package matching 'no-such-package' is available"]);
    expect(await lab.sh(UBUNTU, 'dpkg-query -W perftest 2>&1; true')).toMatch(/no packages found/);
  });

  it('waits for a held dpkg lock up to lock_timeout and names the process holding it', async () => {
    // apt locks with fcntl: a holder must too (flock(1) would not conflict).
    const holder = (await lab.sh(UBUNTU, `sudo python3 -c 'import fcntl, time; f = open("/var/lib/dpkg/lock-frontend", "w"); fcntl.lockf(f, fcntl.LOCK_EX); time.sleep(20)' </dev/null >/dev/null 2>&1 & echo $!; sleep 1`)).trim();
    const started = Date.now();
    const r = await play('lock.yml', `
- hosts: ${UBUNTU}
  become: true
  gather_facts: false
  tasks:
    - apt: { name: fleetlab-hello, update_cache: true, lock_timeout: 3 }
`);
    expect(r.code).toBe(2);
    const [msg] = fatal(r.stdout, UBUNTU);
    expect(msg).toMatch(/^Could not get the dpkg lock \/var\/lib\/dpkg\/lock-frontend: it is held by process \d+ \(python3\) \(waited 3 s: lock_timeout\)$/);
    expect(Date.now() - started).toBeGreaterThan(3000);
    await lab.sh(UBUNTU, `sudo kill ${holder}; true`);
  });

  it('fails a repository whose signatures no trusted key made', async () => {
    await lab.sh(UBUNTU, `printf 'Types: deb\\nURIs: %s\\nSuites: jammy-untrusted\\nComponents: main\\nSigned-By: /usr/share/keyrings/fleetlab-archive-keyring.gpg\\n' "$(sed -n 's/^URIs: //p' /etc/apt/sources.list.d/fleetlab.sources)" | sudo tee /etc/apt/sources.list.d/untrusted.sources >/dev/null`);
    await lab.sh(RHEL, `printf '[fleetlab-untrusted]\\nname=untrusted\\nbaseurl=%s\\nenabled=0\\ngpgcheck=1\\nrepo_gpgcheck=0\\ngpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-fleetlab\\n[fleetlab-untrusted-metadata]\\nname=untrusted metadata\\nbaseurl=%s\\nenabled=0\\ngpgcheck=1\\nrepo_gpgcheck=1\\ngpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-fleetlab\\n' "$(sed -n 's/^baseurl=//p' /etc/yum.repos.d/fleetlab.repo | sed 's#/el8/#/el8-untrusted/#')" "$(sed -n 's/^baseurl=//p' /etc/yum.repos.d/fleetlab.repo | sed 's#/el8/#/el8-untrusted/#')" | sudo tee /etc/yum.repos.d/untrusted.repo >/dev/null`);
    const r = await play('gpg.yml', `
- hosts: ${UBUNTU},${RHEL}
  become: true
  tasks:
    - apt: { name: fleetlab-extra, update_cache: true }
      when: ansible_os_family == 'Debian'
    - name: packages signed with an unknown key
      dnf: { name: fleetlab-extra, disablerepo: '*', enablerepo: fleetlab-untrusted }
      when: ansible_os_family == 'RedHat'
      ignore_errors: true
    - name: metadata signed with an unknown key
      dnf: { name: fleetlab-extra, disablerepo: '*', enablerepo: fleetlab-untrusted-metadata }
      when: ansible_os_family == 'RedHat'
`);
    await lab.sh(UBUNTU, 'sudo rm /etc/apt/sources.list.d/untrusted.sources');
    expect(r.code).toBe(2);
    expect(fatal(r.stdout, UBUNTU)[0]).toMatch(/jammy-untrusted InRelease' is not signed/);
    expect(fatal(r.stdout, RHEL)[0]).toMatch(/GPG check FAILED/);
    expect(fatal(r.stdout, RHEL)[1]).toBe("Failed to download metadata for repo 'fleetlab-untrusted-metadata': repomd.xml GPG signature verification error: Bad GPG signature");
    expect(await lab.sh(RHEL, 'rpm -q fleetlab-extra; true')).toBe('package fleetlab-extra is not installed\n');
  });

  it('reports a failing maintainer script, then the half-configured dpkg it leaves, with the way out', async () => {
    const r = await play('broken.yml', `
- hosts: ${UBUNTU}
  become: true
  gather_facts: false
  tasks:
    - apt: { name: fleetlab-broken, update_cache: true }
      ignore_errors: true
    - apt: { name: fleetlab-hello }
`);
    expect(r.code).toBe(2);
    const [first, second] = fatal(r.stdout, UBUNTU);
    expect(first).toMatch(/^fleetlab-broken: installed fleetlab-broken package post-installation script subprocess returned error exit status 1 \(dpkg left it half-configured\)/);
    expect(second).toBe("dpkg reports fleetlab-broken as not fully installed (half-configured or unpacked): run 'dpkg --configure -a' on the host and fix what it reports before installing packages");
    expect(recap(r.stdout)[UBUNTU]).toMatchObject({ failed: 1, ignored: 1 });
  });
});
