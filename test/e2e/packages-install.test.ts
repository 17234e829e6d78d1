// apt, dnf (as yum and dnf) and package on the lab's real package managers: an Ubuntu-like host
// (apt/dpkg) and a RHEL-like host (dnf/rpm) against the lab's signed repositories. Check mode names
// exactly what a run installs and changes nothing; the run installs; a second run changes nothing;
// the packages exist only on the host that installed them — not on the third host, not on the machine.
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const exec = promisify(execFile);
const lab = useLab({ linux: 3, distros: ['ubuntu22.04', 'rhel8.6'] });
const UBUNTU = 'linux-01';
const RHEL = 'linux-02';
const OTHER = 'linux-03';

const PLAYBOOK = `
- hosts: ${UBUNTU}
  become: true
  tasks:
    - name: HPC packages
      apt:
        name: [infiniband-diags, perftest, "linux-headers-{{ ansible_kernel }}"]
        update_cache: true
        cache_valid_time: 3600
        install_recommends: false
    - name: an older fleetlab-hello
      ansible.builtin.apt:
        name: fleetlab-hello=1.0-1
        update_cache: true
        cache_valid_time: 3600
- hosts: ${RHEL}
  become: true
  tasks:
    - name: HPC packages
      yum:
        name: [infiniband-diags, perftest, kernel-devel]
    - name: an older fleetlab-hello
      ansible.builtin.dnf:
        name: fleetlab-hello-1.0
`;

const dpkgState = (host: string) => lab.sh(host, "dpkg-query -W -f='${Package} ${Version}\\n' infiniband-diags perftest libibumad3 librdmacm1 libibverbs1 ibverbs-utils fleetlab-hello 2>/dev/null; true");
const rpmState = (host: string) => lab.sh(host, "rpm -q --qf '%{NAME} %{VERSION}-%{RELEASE}\\n' infiniband-diags perftest libibumad kernel-devel fleetlab-hello 2>/dev/null | grep -v 'not installed'; true");

describe('package modules on real apt and dnf', { timeout: 180_000 }, () => {
  it('check mode reports exactly what apt-get -s and dnf --assumeno resolve, and changes nothing', async () => {
    const pb = await lab.write('packages.yml', PLAYBOOK);
    const before = await lab.snapshot(UBUNTU, ['/var/lib/dpkg/status', '/var/lib/apt/lists']);
    const r = await fleetplay([pb, '-i', lab.inventory, '--check', '--diff']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(recap(r.stdout)[UBUNTU]).toMatchObject({ changed: 2, failed: 0 });
    expect(recap(r.stdout)[RHEL]).toMatchObject({ changed: 2, failed: 0 });
    const kernel = (await lab.sh(UBUNTU, 'uname -r')).trim();
    // apt pulls in the libraries the two depend on, not the recommends of rdma-core (none asked).
    const ubuntuLine = r.stdout.split('\n').find((l) => l.startsWith(`changed: [${UBUNTU}] (would update the package cache; install `)) ?? '';
    const planned = ubuntuLine.replace(/^.*?; install /, '').replace(/\)\)$/, ')').split(/, (?=[a-z])/).sort();
    const headers = `linux-headers-${kernel} (${kernel.replace(/[^A-Za-z0-9.+~]/g, '.')}-1)`;
    expect(planned).toEqual([headers, 'infiniband-diags (44.0-2)', 'libibumad3 (44.0-2)', 'libibverbs1 (44.0-2)', 'librdmacm1 (44.0-2)', 'perftest (4.5+0.20-1)'].sort());
    expect(r.stdout).toMatch(/would install (?=[^\n]*infiniband-diags \(44\.0-2\.el8\))(?=[^\n]*perftest \(4\.5-2\.el8\))(?=[^\n]*kernel-devel)(?=[^\n]*libibumad \(44\.0-2\.el8\))/);
    expect(r.stdout).toContain('  perftest: absent → 4.5+0.20-1');
    expect(await lab.snapshot(UBUNTU, ['/var/lib/dpkg/status', '/var/lib/apt/lists'])).toBe(before);
    expect(await dpkgState(UBUNTU)).toBe('');
    expect(await rpmState(RHEL)).toBe('');
  });

  it('installs on each host, then a second run changes nothing', async () => {
    const pb = await lab.write('packages.yml', PLAYBOOK);
    const r = await fleetplay([pb, '-i', lab.inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(recap(r.stdout)[UBUNTU]).toMatchObject({ changed: 2, failed: 0 });
    expect(recap(r.stdout)[RHEL]).toMatchObject({ changed: 2, failed: 0 });
    expect((await dpkgState(UBUNTU)).split('\n').sort().filter(Boolean)).toEqual(['fleetlab-hello 1.0-1', 'infiniband-diags 44.0-2', 'libibumad3 44.0-2', 'libibverbs1 44.0-2', 'librdmacm1 44.0-2', 'perftest 4.5+0.20-1']);
    expect(await lab.sh(UBUNTU, 'ib_write_bw; ibstat')).toBe('perftest 4.5+0.20-1\ninfiniband-diags 44.0-2\n');
    const rpms = (await rpmState(RHEL)).split('\n').filter(Boolean).sort();
    expect(rpms.filter((l) => !l.startsWith('kernel-devel'))).toEqual(['fleetlab-hello 1.0-1.el8', 'infiniband-diags 44.0-2.el8', 'libibumad 44.0-2.el8', 'perftest 4.5-2.el8']);
    expect(rpms.some((l) => l.startsWith('kernel-devel '))).toBe(true);

    const again = await fleetplay([pb, '-i', lab.inventory]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(recap(again.stdout)[UBUNTU]).toMatchObject({ changed: 0, failed: 0 });
    expect(recap(again.stdout)[RHEL]).toMatchObject({ changed: 0, failed: 0 });
  });

  it('leaves the other host and the machine without the packages', async () => {
    expect(await dpkgState(OTHER)).toBe('');
    expect(await lab.sh(OTHER, 'command -v ib_write_bw ibstat; true')).toBe('');
    const machine = await exec('dpkg-query', ['-W', 'perftest', 'infiniband-diags', 'fleetlab-hello']).then((x) => x.stdout, (e: { stdout: string }) => e.stdout);
    expect(machine).toBe('');
    // The machine has no rpm database of its own: no host's install may have left one there.
    // (Reading it with rpm would create one, so only the directory is looked at.)
    expect((await readdir('/var/lib/rpm')).filter((f) => f.startsWith('rpmdb') || f === 'Packages')).toEqual([]);
  });

  it('latest upgrades, a pinned older version needs allow_downgrade, absent removes; package picks the manager', async () => {
    const pb = await lab.write('lifecycle.yml', `
- hosts: ${UBUNTU},${RHEL}
  become: true
  tasks:
    - name: latest hello
      package: { name: fleetlab-hello, state: latest, update_cache: true }
    - name: back to 1.0 without allow_downgrade
      apt: { name: fleetlab-hello=1.0-1 }
      when: ansible_os_family == 'Debian'
      ignore_errors: true
    - name: back to 1.0 without allow_downgrade
      dnf: { name: fleetlab-hello-1.0 }
      when: ansible_os_family == 'RedHat'
      ignore_errors: true
    - name: remove perftest
      package: { name: perftest, state: absent }
`);
    const r = await fleetplay([pb, '-i', lab.inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('would downgrade fleetlab-hello (2.0-1 → 1.0-1): set allow_downgrade: true to allow it');
    expect(r.stdout).toContain('would downgrade fleetlab-hello (2.0-1.el8 → 1.0-1.el8): set allow_downgrade: true to allow it');
    expect(recap(r.stdout)[UBUNTU]).toMatchObject({ changed: 2, ignored: 1 });
    expect(recap(r.stdout)[RHEL]).toMatchObject({ changed: 2, ignored: 1 });
    expect(await lab.sh(UBUNTU, 'fleetlab-hello; command -v ib_write_bw; true')).toBe('fleetlab-hello 2.0-1\n');
    expect(await lab.sh(RHEL, 'fleetlab-hello; rpm -q perftest; true')).toBe('fleetlab-hello 2.0-1.el8\npackage perftest is not installed\n');
  });
});
