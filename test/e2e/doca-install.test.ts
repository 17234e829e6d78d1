// mofed_install flavor: doca on lab hosts: the lab serves NVIDIA-named doca-host packages (a real
// .deb / .rpm per DOCA release carrying that release's signed local repository) under its DOCA
// download area, and the DOCA packages exist nowhere else. On an Ubuntu-like and a RHEL-like host,
// check mode names the repository package and the profile and changes nothing; a wrong checksum
// fails before anything is installed; a run downloads, verifies and installs doca-host, then the
// profile, and restarts openibd once through the handler; a second run changes nothing; another
// release upgrades; hold: true holds the OFED packages and the kernel in the package manager; a host
// with MLNX_OFED is refused without replace_mlnx and migrated with it.
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const lab = useLab({ linux: 3, distros: ['ubuntu22.04', 'rhel8.6', 'ubuntu22.04'] });
const UBUNTU = 'linux-01';
const RHEL = 'linux-02';
const MLNX_HOST = 'linux-03';

const PM = "'deb' if ansible_facts.os_family == 'Debian' else 'rpm'";
const doca = (version: string, extra = '', checksum = `doca_host_sha256['${version}'][${PM}]`) => `
- hosts: all
  become: true
  tasks:
    - name: DOCA-OFED ${version}
      mofed_install:
        flavor: doca
        version: "${version}"
        base_url: "{{ doca_base_url }}"
        checksum: "sha256:{{ ${checksum} }}"${extra}
      notify: restart openibd
  handlers:
    - name: restart openibd
      command: /etc/init.d/openibd restart
`;

const STATE = 'ofed_info -s 2>&1; ofed_info -n 2>&1; cat /var/log/fleetlab/openibd.log 2>/dev/null | wc -l; ls /usr/sbin/ofed_uninstall.sh /etc/apt/sources.list.d/doca.list /etc/yum.repos.d/doca.repo /usr/share/doca-host-* 2>&1; ls -d /tmp/fleetplay-* 2>&1; (dpkg -l 2>/dev/null; rpm -qa 2>/dev/null) | grep -c doca; true';
const profile = (host: string) => lab.sh(host, "(dpkg-query -W -f='${Package} ${Version}\\n' doca-ofed mlnx-ofed-kernel-utils 2>/dev/null || rpm -q --qf '%{NAME} %{VERSION}-%{RELEASE}\\n' doca-ofed mlnx-ofed-kernel-utils 2>/dev/null) | grep -v 'not installed'; true");
const run = async (yaml: string, ...args: string[]) => fleetplay([await lab.write('doca.yml', yaml), '-i', lab.inventory, ...args]);

describe('DOCA-OFED through the package manager', { timeout: 300_000 }, () => {
  it('check, wrong checksum, run, run again, upgrade, hold', async () => {
    const hosts = ['-l', `${UBUNTU},${RHEL}`];
    const state = () => Promise.all([UBUNTU, RHEL].map((h) => lab.sh(h, STATE)));
    const before = await state();
    const check = await run(doca('2.8.0'), ...hosts, '--check', '--diff');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(recap(check.stdout)[UBUNTU]).toMatchObject({ changed: 1, failed: 0 });
    expect(check.stdout).toMatch(/install DOCA-OFED 2\.8\.0 \(http:\/\/[0-9.:]+\/doca\/DOCA_v2\.8\.0\/host\/doca-host_2\.8\.0-204000-24\.07-ubuntu2204_amd64\.deb → dpkg -i, then apt install doca-ofed=2\.8\.0\*\)/);
    expect(check.stdout).toMatch(/install DOCA-OFED 2\.8\.0 \(http:\/\/[0-9.:]+\/doca\/DOCA_v2\.8\.0\/host\/doca-host-2\.8\.0-204000_24\.07_rhel86\.x86_64\.rpm → rpm -U, then dnf install doca-ofed-2\.8\.0\)/);
    expect(await state()).toEqual(before);

    // The other distro's checksum: the download is refused before dpkg/rpm sees it.
    const wrong = await run(doca('2.8.0', '', `doca_host_sha256['2.8.0'][${PM.replace("'deb' if", "'rpm' if").replace("else 'rpm'", "else 'deb'")}]`), ...hosts);
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toContain('doca-host_2.8.0-204000-24.07-ubuntu2204_amd64.deb does not match its checksum: expected sha256:');
    expect(wrong.stdout).toContain('doca-host-2.8.0-204000_24.07_rhel86.x86_64.rpm does not match its checksum');
    expect(wrong.stdout).toContain('nothing was installed');
    expect(await state()).toEqual(before);

    const first = await run(doca('2.8.0'), ...hosts);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    for (const h of [UBUNTU, RHEL]) {
      expect(recap(first.stdout)[h]).toMatchObject({ changed: 2, failed: 0 });
      expect(await lab.sh(h, 'ofed_info -s; wc -l < /var/log/fleetlab/openibd.log')).toBe('OFED-internal-24.07-0.6.1:\n1\n');
    }
    expect(await profile(UBUNTU)).toBe('doca-ofed 2.8.0-1\nmlnx-ofed-kernel-utils 24.07.0.6.1-1\n');
    expect(await profile(RHEL)).toBe('doca-ofed 2.8.0-1.el8\nmlnx-ofed-kernel-utils 24.07.0.6.1-1.el8\n');
    // The package manager got the profile from the repository doca-host added, not from elsewhere.
    expect(await lab.sh(UBUNTU, 'cat /etc/apt/sources.list.d/doca.list; apt-cache policy doca-ofed | grep -c doca-host-2.8.0')).toMatch(/^deb \[signed-by=\/usr\/share\/doca-host-2\.8\.0-204000-24\.07\/repo\/GPG-KEY-fleetlab-doca\.gpg\] file:\/usr\/share\/doca-host-2\.8\.0-204000-24\.07\/repo \.\/\n[1-9]\n$/);
    expect(await lab.sh(RHEL, 'grep ^baseurl /etc/yum.repos.d/doca.repo; dnf -q repolist --enabled | grep -c "^doca "')).toBe('baseurl=file:///usr/share/doca-host-2.8.0-204000-24.07/repo\n1\n');

    const again = await run(doca('2.8.0'), ...hosts, '-v');
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(recap(again.stdout)[UBUNTU]).toMatchObject({ changed: 0, failed: 0 });
    expect(recap(again.stdout)[RHEL]).toMatchObject({ changed: 0, failed: 0 });
    expect(again.stdout).toContain('DOCA-OFED 2.8.0 is already installed (doca-ofed 2.8.0-1; ofed_info -s: OFED-internal-24.07-0.6.1:)');

    const upCheck = await run(doca('2.9.1'), ...hosts, '--check');
    expect(upCheck.code, upCheck.stdout + upCheck.stderr).toBe(0);
    expect(upCheck.stdout).toMatch(new RegExp(`changed: \\[${UBUNTU}\\] \\(would upgrade DOCA-OFED 2\\.8\\.0 → 2\\.9\\.1 \\(http://\\S+/doca-host_2\\.9\\.1-018000-24\\.10-ubuntu2204_amd64\\.deb → dpkg -i, then apt install doca-ofed=2\\.9\\.1\\*\\)\\)`));
    expect(upCheck.stdout).toContain('doca-host-2.9.1-018000_24.10_rhel86.x86_64.rpm → rpm -U, then dnf install doca-ofed-2.9.1))');
    const up = await run(doca('2.9.1'), ...hosts, '--diff');
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toMatch(/stack: "?DOCA-OFED 2\.8\.0 \(doca-ofed\)"? → "?DOCA-OFED 2\.9\.1 \(doca-ofed\)"?/);
    // The 2.9.1 doca-host replaced 2.8.0's, and with it the repository the package manager uses.
    for (const h of [UBUNTU, RHEL]) expect(await lab.sh(h, 'ofed_info -s; wc -l < /var/log/fleetlab/openibd.log; cat /etc/apt/sources.list.d/doca.list /etc/yum.repos.d/doca.repo 2>/dev/null | grep -o "doca-host-[0-9.]*" | sort -u')).toBe('OFED-internal-24.10-1.1.4:\n2\ndoca-host-2.9.1\n');
    expect(recap((await run(doca('2.9.1'), ...hosts)).stdout)[RHEL]).toMatchObject({ changed: 0, failed: 0 });

    // hold: true on the installed stack: the OFED packages and the running kernel's are held.
    await lab.sh(UBUNTU, 'sudo apt-get -qq install -y linux-headers-$(uname -r) >/dev/null');
    await lab.sh(RHEL, 'sudo dnf -q -y install kernel-devel >/dev/null');
    const hold = await run(doca('2.9.1', '\n        hold: true'), ...hosts, '--diff');
    expect(hold.code, hold.stdout + hold.stderr).toBe(0);
    // Adding the holds is a change, so the play's handler runs once more (task + handler).
    expect(recap(hold.stdout)[UBUNTU]).toMatchObject({ changed: 2, failed: 0 });
    const kernel = (await lab.sh(UBUNTU, 'uname -r')).trim();
    const held = (await lab.sh(UBUNTU, 'apt-mark showhold')).trim().split('\n');
    expect(held).toEqual(expect.arrayContaining(['doca-ofed', 'doca-host', 'mlnx-ofed-kernel-utils', `linux-headers-${kernel}`]));
    const excluded = await lab.sh(RHEL, 'grep ^excludepkgs /etc/dnf/dnf.conf');
    for (const n of ['doca-ofed', 'doca-host', 'mlnx-ofed-kernel-utils', 'kernel-devel']) expect(excluded).toContain(n);
    // Held for real: the package managers refuse to touch them.
    const removeHeld = await lab.ssh(UBUNTU, 'sudo apt-get -s -y remove doca-ofed');
    expect(removeHeld.code, removeHeld.stdout).not.toBe(0);
    expect(removeHeld.stderr).toContain('Held packages were changed');
    expect((await lab.ssh(RHEL, 'sudo dnf -q -y reinstall doca-ofed')).code).not.toBe(0);
    const holdAgain = await run(doca('2.9.1', '\n        hold: true'), ...hosts);
    expect(recap(holdAgain.stdout)[UBUNTU]).toMatchObject({ changed: 0, failed: 0 });
    expect(recap(holdAgain.stdout)[RHEL]).toMatchObject({ changed: 0, failed: 0 });
    expect(await lab.sh(UBUNTU, 'wc -l < /var/log/fleetlab/openibd.log')).toBe('3\n');

    // The modules now exist only for another kernel (a host booted into a newer one): a reinstall says so.
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

    const refused = await run(doca('2.9.1'), '-l', MLNX_HOST);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toContain(`remove MLNX_OFED ${version} (ofed_uninstall.sh), install DOCA-OFED 2.9.1 (`);
    expect(refused.stdout).toContain('doca-host_2.9.1-018000-24.10-ubuntu2204_amd64.deb → dpkg -i, then apt install doca-ofed=2.9.1*): refused, this would remove the installed MLNX_OFED driver; set replace_mlnx: true to migrate');
    expect(await lab.sh(MLNX_HOST, STATE)).toBe(before);

    const check = await run(doca('2.9.1', '\n        replace_mlnx: true'), '-l', MLNX_HOST, '--check');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain(`remove MLNX_OFED ${version} (ofed_uninstall.sh), install DOCA-OFED 2.9.1`);
    expect(await lab.sh(MLNX_HOST, STATE)).toBe(before);

    const migrated = await run(doca('2.9.1', '\n        replace_mlnx: true'), '-l', MLNX_HOST);
    expect(migrated.code, migrated.stdout + migrated.stderr).toBe(0);
    expect(await lab.sh(MLNX_HOST, 'ofed_info -s; ls /usr/sbin/ofed_uninstall.sh 2>&1; grep -c ofed_uninstall.sh /var/log/fleetlab/mofed-install.log')).toMatch(/^OFED-internal-24\.10-1\.1\.4:\n.*No such file.*\n1\n$/);
    expect(recap((await run(doca('2.9.1', '\n        replace_mlnx: true'), '-l', MLNX_HOST)).stdout)[MLNX_HOST]).toMatchObject({ changed: 0, failed: 0 });

    // Back to MLNX_OFED: refused likewise until replace_mlnx is given.
    const back = await run(mlnx);
    expect(back.code).not.toBe(0);
    expect(back.stdout).toContain(`remove DOCA-OFED 2.9.1 (apt remove doca-ofed), install MLNX_OFED ${version}: refused`);
  });
});
