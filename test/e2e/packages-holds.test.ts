// Holds on the lab's real package managers: dpkg_selections and package_hold (apt-mark) on an
// Ubuntu-like host, package_hold (dnf excludepkgs) on a RHEL-like host. Check mode holds nothing;
// the run holds; a second run changes nothing; an upgrade of a held package is refused with a clear
// message and leaves the version; releasing the hold lets `state: latest` upgrade.
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });
const UBUNTU = 'linux-01';
const RHEL = 'linux-02';

const HOLD = `
- hosts: ${UBUNTU},${RHEL}
  become: true
  tasks:
    - ansible.builtin.dpkg_selections: { name: fleetlab-hello, selection: hold }
      when: ansible_os_family == 'Debian'
    - fleetplay.package_hold: { name: [fleetlab-hello] }
      when: ansible_os_family == 'RedHat'
`;
const version = async () => ({
  ubuntu: await lab.sh(UBUNTU, "dpkg-query -W -f='${Version}' fleetlab-hello"),
  rhel: await lab.sh(RHEL, "rpm -q --qf '%{VERSION}-%{RELEASE}' fleetlab-hello"),
});

describe('package holds', { timeout: 180_000 }, () => {
  it('holds in check mode nothing, then holds, then changes nothing', async () => {
    const setup = await fleetplay([await lab.write('setup.yml', `
- hosts: ${UBUNTU},${RHEL}
  become: true
  tasks:
    - apt: { name: fleetlab-hello=1.0-1, update_cache: true }
      when: ansible_os_family == 'Debian'
    - dnf: { name: fleetlab-hello-1.0 }
      when: ansible_os_family == 'RedHat'
`), '-i', lab.inventory]);
    expect(setup.code, setup.stdout + setup.stderr).toBe(0);
    const pb = await lab.write('hold.yml', HOLD);
    const confBefore = await lab.files(RHEL, ['/etc/dnf/dnf.conf']);

    const check = await fleetplay([pb, '-i', lab.inventory, '--check', '--diff']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('fleetlab-hello: install → hold');
    expect(check.stdout).toContain('+excludepkgs=fleetlab-hello');
    expect(await lab.sh(UBUNTU, 'dpkg --get-selections fleetlab-hello')).toMatch(/\sinstall\n$/);
    expect(await lab.files(RHEL, ['/etc/dnf/dnf.conf'])).toEqual(confBefore);

    const run = await fleetplay([pb, '-i', lab.inventory]);
    expect(recap(run.stdout)[UBUNTU]).toMatchObject({ changed: 1, failed: 0 });
    expect(recap(run.stdout)[RHEL]).toMatchObject({ changed: 1, failed: 0 });
    expect(await lab.sh(UBUNTU, 'apt-mark showhold')).toBe('fleetlab-hello\n');
    expect((await lab.files(RHEL, ['/etc/dnf/dnf.conf']))['/etc/dnf/dnf.conf']).toMatch(/^excludepkgs=fleetlab-hello$/m);

    const again = await fleetplay([pb, '-i', lab.inventory]);
    expect(recap(again.stdout)[UBUNTU]).toMatchObject({ changed: 0, failed: 0 });
    expect(recap(again.stdout)[RHEL]).toMatchObject({ changed: 0, failed: 0 });
  });

  it('refuses to upgrade a held package, naming the hold, and leaves its version', async () => {
    const r = await fleetplay([await lab.write('latest.yml', `
- hosts: ${UBUNTU},${RHEL}
  become: true
  tasks:
    - package: { name: fleetlab-hello, state: latest }
`), '-i', lab.inventory, '--check']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('"msg": "fleetlab-hello is held (apt-mark hold / dpkg_selections) and the task would change it: release the hold first"');
    expect(r.stdout).toContain("fleetlab-hello: every version is excluded (held) by dnf's configuration (excludepkgs / exclude); release the hold first");
    expect(await version()).toEqual({ ubuntu: '1.0-1', rhel: '1.0-1.el8' });
  });

  it('unheld lets latest upgrade', async () => {
    const r = await fleetplay([await lab.write('release.yml', `
- hosts: ${UBUNTU},${RHEL}
  become: true
  tasks:
    - package_hold: { name: fleetlab-hello, state: unheld }
    - package: { name: fleetlab-hello, state: latest }
`), '-i', lab.inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(recap(r.stdout)[UBUNTU]).toMatchObject({ changed: 2 });
    expect(recap(r.stdout)[RHEL]).toMatchObject({ changed: 2 });
    expect(await version()).toEqual({ ubuntu: '2.0-1', rhel: '2.0-1.el8' });
    expect(await lab.sh(UBUNTU, 'apt-mark showhold')).toBe('');
  });
});
