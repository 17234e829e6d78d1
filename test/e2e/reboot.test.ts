// reboot and wait_for_connection through the real CLI on an Ubuntu and a RHEL lab host whose reboots
// are real (packages/lab/src/reboot-shim.ts: the host's processes and sshd stop, it comes back with a
// new boot id). The play resumes on the same hosts after the reboot and runs its handler once; check
// mode reboots nothing; a host that stays down is unreachable (exit 4) with the timeout named; and
// wait_for_connection waits for a host that is down when the play starts.
import { describe, expect, it } from 'vitest';
import { REBOOT_DELAY_FILE, REBOOT_LOG } from '@fleetplay/lab';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const fixture = (name: string) => new URL(`fixtures/system/${name}`, import.meta.url).pathname;
const HOSTS = ['linux-01', 'linux-02'] as const;
const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });
const bootId = (h: string) => lab.sh(h, 'cat /proc/sys/kernel/random/boot_id');
const reboots = async (h: string) => (await lab.sh(h, `cat ${REBOOT_LOG}`)).split('\n').filter(Boolean).map((l) => l.split(' ').slice(1).join(' '));

describe('reboot over SSH', () => {
  it('--check reboots nothing', async () => {
    const before = await Promise.all(HOSTS.map(bootId));
    const r = await fleetplay([fixture('reboot.yml'), '-i', lab.inventory, '--check']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) {
      expect(recap(r.stdout)[h]).toMatchObject({ failed: 0, unreachable: 0 });
      expect(await reboots(h)).toEqual([]);
    }
    expect(await Promise.all(HOSTS.map(bootId))).toEqual(before);
  });

  it('reboots both hosts mid-play, resumes on the new boot and runs the handler once', async () => {
    const before = await Promise.all(HOSTS.map(bootId));
    // Up long enough that a refreshed uptime after the reboot is visibly smaller.
    for (const h of HOSTS) {
      while (Number((await lab.sh(h, 'cut -d. -f1 /proc/uptime')).trim()) < 6) await new Promise((ok) => setTimeout(ok, 500));
    }
    const r = await fleetplay([fixture('reboot.yml'), '-i', lab.inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const [i, h] of HOSTS.entries()) {
      expect(recap(r.stdout)[h]).toMatchObject({ changed: 3, failed: 0, unreachable: 0 });
      const now = await bootId(h);
      expect(now).not.toBe(before[i]);
      // The command after the reboot ran on the new boot.
      // ...and the facts were gathered again on it (the hosts have been up longer than that before).
      expect(r.stdout).toContain(`"msg": "rebooted=True boot=${now.trim()} fresh=True"`);
      expect(await reboots(h)).toEqual(['shutdown driver update']);
      expect(await lab.sh(h, 'cat /var/log/fleetlab/handler.log')).toBe('handled\n');
    }
  });

  it('a host that does not come back within reboot_timeout is unreachable, with the timeout named', async () => {
    await lab.sh('linux-01', `echo 20 | sudo tee ${REBOOT_DELAY_FILE} >/dev/null`);
    const r = await fleetplay([fixture('reboot-timeout.yml'), '-i', lab.inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(r.stdout).toContain('the host did not come back within reboot_timeout (4 s)');
    expect(recap(r.stdout)['linux-01']).toMatchObject({ unreachable: 1 });
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
  });

  it('wait_for_connection waits for a host that is down when the play starts', async () => {
    // linux-01 is still down from the reboot above (20 s before it comes back).
    const r = await fleetplay([fixture('wait-for-connection.yml'), '-i', lab.inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('"msg": "up as linux-01"');
    expect(recap(r.stdout)['linux-01']).toMatchObject({ ok: 3, failed: 0, unreachable: 0 });
    await lab.sh('linux-01', `echo 1 | sudo tee ${REBOOT_DELAY_FILE} >/dev/null`);
  });
});
