// The package modules' options on real apt and dnf: install_recommends, autoremove, a local .deb,
// disable_gpg_check with enablerepo/disablerepo — each checked on the host, each idempotent.
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });
const UBUNTU = 'linux-01';
const RHEL = 'linux-02';
const installed = (host: string, names: string) => lab.sh(host, `dpkg-query -W -f='\${Package} \${db:Status-Abbrev}\\n' ${names} 2>/dev/null | awk '$2 == "ii" { print $1 }'; true`);

async function twice(name: string, yaml: string) {
  const pb = await lab.write(name, yaml);
  const first = await fleetplay([pb, '-i', lab.inventory]);
  expect(first.code, first.stdout + first.stderr).toBe(0);
  const second = await fleetplay([pb, '-i', lab.inventory]);
  expect(second.code, second.stdout + second.stderr).toBe(0);
  return { first: recap(first.stdout), second: recap(second.stdout) };
}

describe('package module options', { timeout: 180_000 }, () => {
  it('install_recommends: false leaves out what rdma-core recommends; autoremove takes its dependency with it', async () => {
    const r = await twice('recommends.yml', `
- hosts: ${UBUNTU}
  become: true
  gather_facts: false
  tasks:
    - apt: { name: rdma-core, update_cache: true, cache_valid_time: 3600, install_recommends: false }
`);
    expect(r.first[UBUNTU]).toMatchObject({ changed: 1 });
    expect(r.second[UBUNTU]).toMatchObject({ changed: 0 });
    expect(await installed(UBUNTU, 'rdma-core libibverbs1 ibverbs-utils')).toBe('libibverbs1\nrdma-core\n');

    const removal = await twice('autoremove.yml', `
- hosts: ${UBUNTU}
  become: true
  gather_facts: false
  tasks:
    - apt: { name: rdma-core, state: absent, autoremove: true }
`);
    expect(removal.first[UBUNTU]).toMatchObject({ changed: 1 });
    expect(removal.second[UBUNTU]).toMatchObject({ changed: 0 });
    expect(await installed(UBUNTU, 'rdma-core libibverbs1')).toBe('');
  });

  it('installs a local .deb and leaves it alone once that version is installed', async () => {
    await lab.sh(UBUNTU, `curl -fsS -o /tmp/hello.deb ${lab.info.repos!.baseUrl}/apt/pool/main/fleetlab-hello_1.0-1_all.deb`);
    const r = await twice('deb.yml', `
- hosts: ${UBUNTU}
  become: true
  gather_facts: false
  tasks:
    - apt: { deb: /tmp/hello.deb }
`);
    expect(r.first[UBUNTU]).toMatchObject({ changed: 1 });
    expect(r.second[UBUNTU]).toMatchObject({ changed: 0 });
    expect(await lab.sh(UBUNTU, 'fleetlab-hello')).toBe('fleetlab-hello 1.0-1\n');
  });

  it('disable_gpg_check installs from a repository signed with an unknown key, with only that repository enabled', async () => {
    await lab.sh(RHEL, `printf '[untrusted]\\nname=untrusted\\nbaseurl=%s\\nenabled=0\\ngpgcheck=1\\nrepo_gpgcheck=0\\ngpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-fleetlab\\n' "$(sed -n 's/^baseurl=//p' /etc/yum.repos.d/fleetlab.repo | sed 's#/el8/#/el8-untrusted/#')" | sudo tee /etc/yum.repos.d/untrusted.repo >/dev/null`);
    const r = await twice('nogpg.yml', `
- hosts: ${RHEL}
  become: true
  gather_facts: false
  tasks:
    - dnf: { name: fleetlab-extra, disablerepo: '*', enablerepo: untrusted, disable_gpg_check: true }
`);
    expect(r.first[RHEL]).toMatchObject({ changed: 1 });
    expect(r.second[RHEL]).toMatchObject({ changed: 0 });
    expect(await lab.sh(RHEL, "rpm -q --qf '%{NAME} %{VERSION}\\n' fleetlab-extra fleetlab-hello")).toBe('fleetlab-extra 1.0\nfleetlab-hello 2.0\n');
    // Without the flag the same install fails its signature check (packages-errors.test.ts).
  });
});
