// mofed_install flavor: doca on lab hosts against the lab's signed repositories (which serve DOCA
// 2.8.0 and 2.9.1 profile packages): on an Ubuntu-like and a RHEL-like host check mode changes
// nothing, a run installs through apt-get/dnf and restarts openibd once through the handler, a second
// run changes nothing, another release upgrades; a host with MLNX_OFED is refused without
// replace_mlnx and migrated with it.
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const lab = useLab({ linux: 3, distros: ['ubuntu22.04', 'rhel8.6', 'ubuntu22.04'] });
const UBUNTU = 'linux-01';
const RHEL = 'linux-02';
const MLNX_HOST = 'linux-03';

const doca = (version: string, extra = '', repo = true) => `
- hosts: all
  become: true
  tasks:
    - name: the DOCA ${version} repository package
      apt:
        name: doca-host=${version}-1
        update_cache: true
      when: ansible_facts.os_family == 'Debian' and ${repo}
    - name: the DOCA ${version} repository package
      dnf:
        name: doca-host-${version}
      when: ansible_facts.os_family == 'RedHat' and ${repo}
    - name: DOCA-OFED ${version}
      mofed_install:
        flavor: doca
        version: "${version}"${extra}
      notify: restart openibd
  handlers:
    - name: restart openibd
      command: /etc/init.d/openibd restart
`;

const STATE = 'ofed_info -s 2>&1; ofed_info -n 2>&1; cat /var/log/fleetlab/openibd.log 2>/dev/null | wc -l; ls /usr/sbin/ofed_uninstall.sh 2>&1; true';
const profile = (host: string) => lab.sh(host, "(dpkg-query -W -f='${Package} ${Version}\\n' doca-ofed mlnx-ofed-kernel-utils 2>/dev/null || rpm -q --qf '%{NAME} %{VERSION}-%{RELEASE}\\n' doca-ofed mlnx-ofed-kernel-utils 2>/dev/null) | grep -v 'not installed'; true");
const run = async (yaml: string, ...args: string[]) => fleetplay([await lab.write('doca.yml', yaml), '-i', lab.inventory, ...args]);

describe('DOCA-OFED through the package manager', { timeout: 300_000 }, () => {
  it('check, run, run again, then upgrade to another release', async () => {
    const hosts = ['-l', `${UBUNTU},${RHEL}`];
    const before = await Promise.all([UBUNTU, RHEL].map((h) => lab.sh(h, STATE)));
    const check = await run(doca('2.8.0'), ...hosts, '--check', '--diff');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(recap(check.stdout)[UBUNTU]).toMatchObject({ changed: 2, failed: 0 });
    expect(check.stdout).toContain('install DOCA-OFED 2.8.0 (apt install doca-ofed=2.8.0*)');
    expect(check.stdout).toContain('install DOCA-OFED 2.8.0 (dnf install doca-ofed-2.8.0)');
    expect(await Promise.all([UBUNTU, RHEL].map((h) => lab.sh(h, STATE)))).toEqual(before);

    const first = await run(doca('2.8.0'), ...hosts);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    for (const h of [UBUNTU, RHEL]) {
      expect(recap(first.stdout)[h]).toMatchObject({ changed: 3, failed: 0 });
      expect(await lab.sh(h, 'ofed_info -s; wc -l < /var/log/fleetlab/openibd.log')).toBe('OFED-internal-24.07-0.6.1:\n1\n');
    }
    expect(await profile(UBUNTU)).toBe('doca-ofed 2.8.0-1\nmlnx-ofed-kernel-utils 24.07.0.6.1-1\n');
    expect(await profile(RHEL)).toBe('doca-ofed 2.8.0-1.el8\nmlnx-ofed-kernel-utils 24.07.0.6.1-1.el8\n');

    const again = await run(doca('2.8.0'), ...hosts, '-v');
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(recap(again.stdout)[UBUNTU]).toMatchObject({ changed: 0, failed: 0 });
    expect(recap(again.stdout)[RHEL]).toMatchObject({ changed: 0, failed: 0 });
    expect(again.stdout).toContain('DOCA-OFED 2.8.0 is already installed (doca-ofed 2.8.0-1; ofed_info -s: OFED-internal-24.07-0.6.1:)');

    const upCheck = await run(doca('2.9.1'), ...hosts, '--check');
    expect(upCheck.code, upCheck.stdout + upCheck.stderr).toBe(0);
    expect(upCheck.stdout).toContain(`changed: [${UBUNTU}] (would upgrade DOCA-OFED 2.8.0 → 2.9.1 (apt install doca-ofed=2.9.1*))`);
    expect(upCheck.stdout).toContain(`changed: [${RHEL}] (would upgrade DOCA-OFED 2.8.0 → 2.9.1 (dnf install doca-ofed-2.9.1))`);
    const up = await run(doca('2.9.1'), ...hosts, '--diff');
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toMatch(/stack: "?DOCA-OFED 2\.8\.0 \(doca-ofed\)"? → "?DOCA-OFED 2\.9\.1 \(doca-ofed\)"?/);
    for (const h of [UBUNTU, RHEL]) expect(await lab.sh(h, 'ofed_info -s; wc -l < /var/log/fleetlab/openibd.log')).toBe('OFED-internal-24.10-1.1.4:\n2\n');
    expect(recap((await run(doca('2.9.1'), ...hosts)).stdout)[RHEL]).toMatchObject({ changed: 0, failed: 0 });

    // The modules now exist only for another kernel (a host booted into a newer one): a reinstall says so.
    const kernel = (await lab.sh(UBUNTU, 'uname -r')).trim();
    await lab.sh(UBUNTU, `sudo sh -c 'mkdir -p /lib/modules/9.9.9-other/updates && mv /lib/modules/${kernel}/updates/dkms /lib/modules/9.9.9-other/updates/'`);
    const stale = await run(doca('2.9.1', '\n        force: true'), '-l', UBUNTU);
    expect(stale.code).not.toBe(0);
    expect(stale.stdout).toContain(`doca-ofed 2.9.1-1 is installed, but kernel modules mlx5_core, mlx5_ib, ib_ipoib, ib_uverbs are missing for the running kernel ${kernel}: they are built for 9.9.9-other, not for the running kernel ${kernel}`);
    expect(stale.stdout).toContain('dkms autoinstall');
  });

  it('refuses to replace MLNX_OFED without replace_mlnx, and migrates with it', async () => {
    const mlnxPlay = (extra = '') => `
- hosts: ${MLNX_HOST}
  become: true
  tasks:
    - mofed_install:
        version: "{{ mofed_version }}"
        base_url: "{{ mofed_base_url }}"
        checksum: "sha256:{{ mofed_sha256[mofed_version]['ubuntu22.04'] }}"${extra}
`;
    const mlnx = mlnxPlay();
    // Without add_kernel_support the tarball's prebuilt modules are for the distro's stock kernel,
    // not the one the host runs: the install fails naming both, and says how to fix it.
    const kernel = (await lab.sh(MLNX_HOST, 'uname -r')).trim();
    const stock = await run(mlnxPlay('\n        add_kernel_support: false'));
    expect(stock.code).toBe(2);
    expect(stock.stdout).toContain(`is installed, but kernel modules mlx5_core, mlx5_ib, ib_ipoib, ib_uverbs are missing for the running kernel ${kernel}: they are built for 5.15.0-25-generic, not for the running kernel ${kernel}`);
    expect(stock.stdout).toContain('add_kernel_support: true');
    const installed = await run(mlnxPlay('\n        force: true'));
    expect(installed.code, installed.stdout + installed.stderr).toBe(0);
    const version = (await lab.sh(MLNX_HOST, 'ofed_info -n')).trim();
    const before = await lab.sh(MLNX_HOST, STATE);

    const refused = await run(doca('2.9.1', '', false), '-l', MLNX_HOST);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toContain(`remove MLNX_OFED ${version} (ofed_uninstall.sh), install DOCA-OFED 2.9.1 (apt install doca-ofed=2.9.1*): refused, this would remove the installed MLNX_OFED driver; set replace_mlnx: true to migrate`);
    expect(await lab.sh(MLNX_HOST, STATE)).toBe(before);

    const check = await run(doca('2.9.1', '\n        replace_mlnx: true', false), '-l', MLNX_HOST, '--check');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain(`remove MLNX_OFED ${version} (ofed_uninstall.sh), install DOCA-OFED 2.9.1`);
    expect(await lab.sh(MLNX_HOST, STATE)).toBe(before);

    const migrated = await run(doca('2.9.1', '\n        replace_mlnx: true', false), '-l', MLNX_HOST);
    expect(migrated.code, migrated.stdout + migrated.stderr).toBe(0);
    expect(await lab.sh(MLNX_HOST, 'ofed_info -s; ls /usr/sbin/ofed_uninstall.sh 2>&1; grep -c ofed_uninstall.sh /var/log/fleetlab/mofed-install.log')).toMatch(/^OFED-internal-24\.10-1\.1\.4:\n.*No such file.*\n1\n$/);
    expect(recap((await run(doca('2.9.1', '\n        replace_mlnx: true', false), '-l', MLNX_HOST)).stdout)[MLNX_HOST]).toMatchObject({ changed: 0, failed: 0 });

    // Back to MLNX_OFED: refused likewise until replace_mlnx is given.
    const back = await run(mlnx);
    expect(back.code).not.toBe(0);
    expect(back.stdout).toContain(`remove DOCA-OFED 2.9.1 (apt remove doca-ofed), install MLNX_OFED ${version}: refused`);
  });
});
