// deb822_repository and yum_repository on the lab hosts, pointed at the lab's signed repositories:
// check mode shows the file it would write and writes nothing, the run writes it, a second run
// changes nothing, and apt/dnf really install from the new source; state absent removes it.
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });
const UBUNTU = 'linux-01';
const RHEL = 'linux-02';
const SOURCES = '/etc/apt/sources.list.d/fleetlab-focal.sources';
const REPO = '/etc/yum.repos.d/fleetlab-extra.repo';

const playbook = (state: 'present' | 'absent') => `
- hosts: ${UBUNTU},${RHEL}
  become: true
  tasks:
    - name: apt source
      ansible.builtin.deb822_repository:
        name: fleetlab-focal
        state: ${state}
        uris: "{{ lab_apt_repo_url }}"
        suites: focal
        components: [main]
        signed_by: "{{ lab_apt_keyring }}"
      when: ansible_os_family == 'Debian'
    - name: dnf repository
      yum_repository:
        name: fleetlab-extra
        state: ${state}
        description: fleetlab extra
        baseurl: "{{ lab_rpm_repo_url }}"
        gpgcheck: true
        gpgkey: "{{ lab_rpm_gpg_key }}"
      when: ansible_os_family == 'RedHat'
`;

describe('repository modules', { timeout: 180_000 }, () => {
  it('check mode shows the new files and writes nothing; the run writes them; the second run changes nothing', async () => {
    const pb = await lab.write('repos.yml', playbook('present'));
    const check = await fleetplay([pb, '-i', lab.inventory, '--check', '--diff']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain(`+URIs: ${lab.info.repos!.baseUrl}/apt`);
    expect(check.stdout).toContain('+Suites: focal');
    expect(check.stdout).toContain(`+baseurl = ${lab.info.repos!.baseUrl}/rpm/el8/`);
    expect(await lab.files(UBUNTU, [SOURCES])).toEqual({});
    expect(await lab.files(RHEL, [REPO])).toEqual({});

    const run = await fleetplay([pb, '-i', lab.inventory]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(recap(run.stdout)[UBUNTU]).toMatchObject({ changed: 1, failed: 0 });
    expect(recap(run.stdout)[RHEL]).toMatchObject({ changed: 1, failed: 0 });
    expect((await lab.files(UBUNTU, [SOURCES]))[SOURCES]).toBe(
      `X-Repolib-Name: fleetlab-focal\nTypes: deb\nURIs: ${lab.info.repos!.baseUrl}/apt\nSuites: focal\nComponents: main\nSigned-By: /usr/share/keyrings/fleetlab-archive-keyring.gpg\n`,
    );
    expect((await lab.files(RHEL, [REPO]))[REPO]).toBe(
      `[fleetlab-extra]\nbaseurl = ${lab.info.repos!.baseUrl}/rpm/el8/\nenabled = 1\ngpgcheck = 1\ngpgkey = file:///etc/pki/rpm-gpg/RPM-GPG-KEY-fleetlab\nname = fleetlab extra\n`,
    );

    const again = await fleetplay([pb, '-i', lab.inventory]);
    expect(recap(again.stdout)[UBUNTU]).toMatchObject({ changed: 0, failed: 0 });
    expect(recap(again.stdout)[RHEL]).toMatchObject({ changed: 0, failed: 0 });
  });

  it('apt and dnf install from the new sources alone', async () => {
    const pb = await lab.write('install.yml', `
- hosts: ${UBUNTU},${RHEL}
  become: true
  tasks:
    - name: only the focal source
      shell: mv /etc/apt/sources.list.d/fleetlab.sources /root/
      when: ansible_os_family == 'Debian'
    - apt: { name: fleetlab-extra, update_cache: true }
      when: ansible_os_family == 'Debian'
    - dnf: { name: fleetlab-extra, disablerepo: '*', enablerepo: fleetlab-extra }
      when: ansible_os_family == 'RedHat'
`);
    const r = await fleetplay([pb, '-i', lab.inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await lab.sh(UBUNTU, "apt-cache policy fleetlab-extra | grep -c focal; dpkg-query -W -f='${Version}' fleetlab-extra")).toBe('1\n1.0-1');
    expect(await lab.sh(RHEL, "rpm -q --qf '%{VERSION}-%{RELEASE}' fleetlab-extra")).toBe('1.0-1.el8');
  });

  it('state absent removes the source and the repository file', async () => {
    const r = await fleetplay([await lab.write('absent.yml', playbook('absent')), '-i', lab.inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(recap(r.stdout)[UBUNTU]).toMatchObject({ changed: 1 });
    expect(recap(r.stdout)[RHEL]).toMatchObject({ changed: 1 });
    expect(await lab.files(UBUNTU, [SOURCES])).toEqual({});
    expect(await lab.files(RHEL, [REPO])).toEqual({});
  });
});
