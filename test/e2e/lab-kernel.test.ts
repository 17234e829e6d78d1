// The lab hosts' kernel model (packages/lab/src/kernel-model.ts) seen from inside a host with the
// stock OpenSSH client: procps sysctl, /proc/sys, ${MODULES}, lsmod and modprobe act on the host's
// own state, never on the machine's kernel or on another host.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { MODULES_FILE as MODULES, REBOOT_LOG } from '@fleetplay/lab';
import { useLab } from '../support/lab.js';

// Login shells of a non-root user have no sbin on PATH (as on Debian); Ansible looks there too.
const SBIN = 'PATH=$PATH:/usr/sbin;';
const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });

describe('lab kernel model', () => {
  it('sysctl -w changes this host only; unknown and machine-wide keys are refused', async () => {
    const machine = await readFile('/proc/sys/vm/swappiness', 'utf8');
    expect(await lab.sh('linux-01', SBIN + 'sysctl -n vm.swappiness')).toBe('60\n');
    expect(await lab.sh('linux-01', 'sudo sysctl -w vm.swappiness=10')).toBe('vm.swappiness = 10\n');
    expect(await lab.sh('linux-01', SBIN + 'cat /proc/sys/vm/swappiness; sysctl -n vm.swappiness')).toBe('10\n10\n');
    expect(await lab.sh('linux-02', SBIN + 'sysctl -n vm.swappiness')).toBe('60\n');
    expect(await readFile('/proc/sys/vm/swappiness', 'utf8')).toBe(machine);
    const bad = await lab.ssh('linux-01', 'sudo sysctl -w no.such.key=1');
    expect([bad.code, bad.stderr]).toEqual([1, 'sysctl: cannot stat /proc/sys/no/such/key: No such file or directory\n']);
    const wide = await lab.ssh('linux-01', 'sudo sysctl -w kernel.core_pattern=x');
    expect(wide.stderr).toContain('permission denied on key "kernel.core_pattern"');
    // The host's own network namespace keeps net.* private and writable.
    expect(await lab.sh('linux-01', 'sudo sysctl -w net.ipv4.ip_forward=1 && /usr/sbin/sysctl -n net.ipv4.ip_forward')).toBe('net.ipv4.ip_forward = 1\n1\n');
    expect(await lab.sh('linux-02', SBIN + 'sysctl -n net.ipv4.ip_forward')).toBe('0\n');
  });

  it('modprobe loads a module with what it needs, lsmod shows it, modprobe -r removes it', async () => {
    expect(await lab.sh('linux-01', SBIN + 'lsmod | head -1')).toBe('Module                  Size  Used by\n');
    expect(await lab.sh('linux-01', `grep -c "^ib_ipoib " ${MODULES} || true`)).toBe('0\n');
    expect(await lab.sh('linux-01', `sudo modprobe ib-ipoib && grep -E "^(ib_ipoib|ib_cm|ib_core) " ${MODULES} | cut -d" " -f1,3,4`)).toBe(
      'ib_ipoib 0 -\nib_cm 1 ib_ipoib,\nib_core 4 ib_uverbs,mlx5_ib,ib_cm,ib_ipoib,\n',
    );
    expect(await lab.sh('linux-01', SBIN + 'lsmod | grep "^ib_cm "')).toMatch(/^ib_cm\s+\d+\s+1 ib_ipoib\n$/);
    expect(await lab.sh('linux-02', `grep -c "^ib_ipoib " ${MODULES} || true`)).toBe('0\n');
    const inUse = await lab.ssh('linux-01', 'sudo modprobe -r ib_core');
    expect([inUse.code, inUse.stderr]).toEqual([1, 'modprobe: FATAL: Module ib_core is in use.\n']);
    const missing = await lab.ssh('linux-01', 'sudo modprobe nosuch');
    expect(missing.stderr).toMatch(/^modprobe: FATAL: Module nosuch not found in directory \/lib\/modules\/\S+\n$/);
    const user = await lab.ssh('linux-01', `${SBIN} modprobe dummy`);
    expect(user.stderr).toBe("modprobe: ERROR: could not insert 'dummy': Operation not permitted\n");
    await lab.sh('linux-01', 'sudo modprobe -r ib_ipoib');
    expect(await lab.sh('linux-01', `cut -d" " -f1 ${MODULES} | sort | tr "\\n" " "`)).toBe('hv_netvsc hv_storvsc hv_utils hv_vmbus ib_core ib_uverbs mlx5_core mlx5_ib mlxfw ');
  });

  it('each host has its own boot clock: uptime counts from when it started, not from the machine boot', async () => {
    const machine = Number((await readFile('/proc/uptime', 'utf8')).split(' ')[0]);
    const host = Number((await lab.sh('linux-01', 'cut -d" " -f1 /proc/uptime')).trim());
    expect(host).toBeLessThan(Math.min(machine, 600));
  });

  it('reboot takes the host down, keeps its files, and brings it back with a new boot id and no old processes', async () => {
    const bootId = await lab.sh('linux-02', 'cat /proc/sys/kernel/random/boot_id');
    await lab.sh('linux-02', 'echo kept | sudo tee /etc/fleetlab-kept >/dev/null; sudo touch /run/gone; (setsid sleep 1000 </dev/null >/dev/null 2>&1 &)');
    const r = await lab.ssh('linux-02', 'sudo /usr/sbin/shutdown -r now "kernel update"; echo returned');
    expect([r.code, r.stdout]).toEqual([0, 'returned\n']);
    let back = '';
    for (const until = Date.now() + 30_000; Date.now() < until && !back; await new Promise((ok) => setTimeout(ok, 250))) {
      const probe = await lab.ssh('linux-02', 'cat /proc/sys/kernel/random/boot_id');
      if (probe.code === 0 && probe.stdout !== bootId) back = probe.stdout;
    }
    expect(back).toMatch(/^[0-9a-f-]{36}\n$/);
    // A fresh uptime: the boot clock of the host started again.
    expect(Number((await lab.sh('linux-02', 'cut -d" " -f1 /proc/uptime')).trim())).toBeLessThan(30);
    expect(await lab.sh('linux-02', `cat /etc/fleetlab-kept; ls /run/gone 2>/dev/null; pgrep -c -x sleep || true; cat ${REBOOT_LOG} | cut -d' ' -f2-`)).toBe('kept\n0\nshutdown kernel update\n');
    const user = await lab.ssh('linux-01', '/usr/sbin/reboot');
    expect([user.code, user.stderr]).toEqual([1, 'Failed to set wall message, ignoring: Interactive authentication required.\nFailed to reboot system via logind: Interactive authentication required.\n']);
  });
});
