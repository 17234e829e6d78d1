// sysctl and modprobe through the real CLI on an Ubuntu and a RHEL lab host (their kernel model:
// packages/lab/src/kernel-model.ts): check mode changes nothing, a real run tunes the kernel and writes
// the boot config (read back with OpenSSH), a second run changes nothing, the settings survive a
// restart of the host, and a typo fails clearly without writing anything.
import { describe, expect, it } from 'vitest';
import { MODULES_FILE, MODPROBE_LOG } from '@fleetplay/lab';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const fixture = (name: string) => new URL(`fixtures/system/${name}`, import.meta.url).pathname;
const HOSTS = ['linux-01', 'linux-02'] as const;
const STATE = ['/etc/sysctl.conf', '/etc/sysctl.d', '/etc/modules-load.d', '/etc/modprobe.d', MODULES_FILE];
const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });
const play = (...extra: string[]) => fleetplay([fixture('kernel.yml'), '-i', lab.inventory, ...extra]);
const kernel = (h: string) =>
  lab.sh(h, `PATH=$PATH:/usr/sbin; sysctl -n vm.zone_reclaim_mode vm.swappiness; lsmod | awk 'NR>1 {print $1}' | grep -E '^(ib_ipoib|rdma_ucm|dummy)$' | sort`);

describe('kernel tuning over SSH', () => {
  it('--check --diff shows the changes and changes nothing', async () => {
    const before = await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)));
    const r = await play('--check', '--diff');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ changed: 4, failed: 0 });
    expect(r.stdout).toContain('+vm.zone_reclaim_mode=1\n');
    expect(r.stdout).toContain('+options ib_ipoib send_queue_size=1024 recv_queue_size=512\n');
    expect(await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)))).toEqual(before);
    for (const h of HOSTS) expect(await kernel(h)).toBe('0\n60\n');
  });

  it('a real run tunes the kernel and writes the boot config on both distros', async () => {
    const r = await play();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) {
      expect(recap(r.stdout)[h]).toMatchObject({ changed: 4, failed: 0 });
      expect(await kernel(h)).toBe('1\n10\nib_ipoib\nrdma_ucm\n');
      const files = await lab.files(h, ['/etc/sysctl.d/90-hpc.conf', '/etc/modules-load.d/ib_ipoib.conf', '/etc/modprobe.d/ib_ipoib.conf', MODPROBE_LOG]);
      expect(files).toEqual({
        '/etc/sysctl.d/90-hpc.conf': 'vm.zone_reclaim_mode=1\n',
        '/etc/modules-load.d/ib_ipoib.conf': 'ib_ipoib\n',
        '/etc/modprobe.d/ib_ipoib.conf': 'options ib_ipoib send_queue_size=1024 recv_queue_size=512\n',
        [MODPROBE_LOG]: 'load ib_ipoib send_queue_size=1024 recv_queue_size=512\nload rdma_ucm\n',
      });
      // reload: false wrote the file but never ran sysctl -p on it.
      expect(await lab.sh(h, 'grep -c "^vm.swappiness=10$" /etc/sysctl.conf')).toBe('1\n');
    }
  });

  it('a second run changes nothing and writes nothing', async () => {
    const before = await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)));
    const r = await play('--diff');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ changed: 0, failed: 0 });
    expect(await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)))).toEqual(before);
  });

  it('after a restart of the host the boot config brings it all back, with a new boot id', async () => {
    const bootId = await lab.sh('linux-01', 'cat /proc/sys/kernel/random/boot_id');
    await lab.stop(['linux-01']);
    await lab.start(['linux-01']);
    expect(await lab.sh('linux-01', 'cat /proc/sys/kernel/random/boot_id')).not.toBe(bootId);
    // rdma_ucm was loaded by hand, not at boot; ib_ipoib comes from modules-load.d.
    expect(await kernel('linux-01')).toBe('1\n10\nib_ipoib\n');
    const r = await play();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(recap(r.stdout)['linux-01']).toMatchObject({ changed: 1, failed: 0 });
  });

  it('a key the kernel lacks and a missing module fail clearly, in check mode too, writing nothing', async () => {
    const before = await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)));
    for (const mode of [['--check'], []]) {
      const r = await fleetplay([fixture('kernel-bad.yml'), '-i', lab.inventory, ...mode]);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stdout).toContain('the kernel has no sysctl key vm.swapiness: sysctl: cannot stat /proc/sys/vm/swapiness: No such file or directory');
      expect(r.stdout).toMatch(/modprobe: FATAL: Module ib_ipoiv not found in directory \/lib\/modules\/\S+/);
      for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ failed: 1, ignored: 1 });
    }
    expect(await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)))).toEqual(before);
  });
});
