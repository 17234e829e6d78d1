// playbooks/hpc-node.yml as written, on an Ubuntu-like and a RHEL-like lab host: check mode first
// (shows every change, touches nothing, reboots nothing), then for real (real packages from the lab's
// signed repositories, MOFED from its mirror, one reboot per host through the handler, the play going
// on after the boot id changed), then again (changed=0, no reboot).
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const PLAYBOOK = new URL('../../playbooks/hpc-node.yml', import.meta.url).pathname;
const HOSTS = ['linux-01', 'linux-02'] as const;
const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });
// The lab's hosts have no InfiniBand ports; everything else is checked as on a real node.
const play = (...extra: string[]) => fleetplay([PLAYBOOK, '-i', lab.inventory, '-e', 'target=linux', '-e', 'ib_ports_expected=0', ...extra]);
const bootId = (h: string) => lab.sh(h, 'cat /proc/sys/kernel/random/boot_id');
// lsmod and sysctl live in sbin, which the login user's PATH lacks.
const sbin = (h: string, command: string) => lab.sh(h, `PATH=$PATH:/usr/sbin:/sbin; ${command}`);
const STATE = ['/etc/waagent.conf', '/etc/security/limits.d', '/etc/sysctl.d', '/etc/modules-load.d', '/usr/bin/ofed_info'];

describe('hpc-node.yml', { timeout: 400_000 }, () => {
  it('check mode first, then for real with one reboot, then nothing to do', async () => {
    const before = await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)));
    const boots = await Promise.all(HOSTS.map(bootId));

    const check = await play('--check', '--diff');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/would update the package cache; install .*rdma-core \(44\.0-2\)/);
    expect(check.stdout).toMatch(/would install .*kernel-devel/);
    expect(check.stdout).toContain('+OS.EnableRDMA=y');
    expect(check.stdout.match(/\(would reboot \(boot id /g)).toHaveLength(2);
    expect(await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)))).toEqual(before);
    expect(await Promise.all(HOSTS.map(bootId))).toEqual(boots);

    const real = await play();
    expect(real.code, real.stdout + real.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(real.stdout)[h]).toMatchObject({ failed: 0, unreachable: 0 });
    expect(real.stdout).toMatch(/RUNNING HANDLER \[reboot for the new driver\][^\n]*\nchanged: \[linux-0[12]\]\nchanged: \[linux-0[12]\]/);
    for (const [i, h] of HOSTS.entries()) {
      expect(await bootId(h), `${h} rebooted`).not.toBe(boots[i]);
      // Loaded at boot from /etc/modules-load.d, so still there after the reboot.
      expect(await sbin(h, 'lsmod | cut -d" " -f1')).toMatch(/^ib_ipoib$/m);
      expect(await sbin(h, 'sysctl -n vm.zone_reclaim_mode kernel.numa_balancing')).toBe('1\n0\n');
      expect(await lab.sh(h, 'cat /etc/security/limits.d/90-hpc-memlock.conf')).toMatch(/^\*\s+soft\s+memlock\s+unlimited\n\*\s+hard\s+memlock\s+unlimited\n$/m);
      expect(await lab.sh(h, 'ofed_info -s')).toMatch(/5\.8-3\.0\.7\.0/);
    }
    expect(await lab.sh('linux-01', 'dpkg-query -W -f "\\${Package} " rdma-core infiniband-diags perftest; apt-mark showhold')).toMatch(/^infiniband-diags perftest rdma-core linux-headers-\S+\n$/);
    expect(await lab.sh('linux-02', 'rpm -q --qf "%{NAME} " rdma-core infiniband-diags perftest kernel-devel; grep excludepkgs /etc/dnf/dnf.conf')).toMatch(/rdma-core infiniband-diags perftest kernel-devel excludepkgs=kernel-devel/);

    const after = await Promise.all(HOSTS.map(bootId));
    const again = await play();
    expect(again.code, again.stdout + again.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(again.stdout)[h]).toMatchObject({ changed: 0, failed: 0 });
    expect(await Promise.all(HOSTS.map(bootId))).toEqual(after);
  });
});
