// The shipped InfiniBand playbooks' DOCA side, run as the README's lab section shows them, on an
// Ubuntu-like and a RHEL-like lab host that have an HCA: infiniband.yml installs MLNX_OFED; then
// mlnx-to-doca.yml in check mode lists the removal and the install per host and touches nothing; the
// real run migrates each host with one openibd restart and one reboot (the kernel modules changed)
// and ib_health passes; a second run changes nothing and reboots nothing; infiniband.yml with
// -e ofed_flavor=doca finds DOCA-OFED in place and passes its health check.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HOSTS = ['linux-01', 'linux-02'] as const;
const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });

/** The `fleetplay …` lines of the sh block of the README's lab section that runs mlnx-to-doca.yml. */
async function readmeDocaCommands(): Promise<string[][]> {
  const text = await readFile(`${ROOT}README.md`, 'utf8');
  const section = text.slice(text.indexOf('\n### The lab\n'));
  const block = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes('mlnx-to-doca.yml'));
  if (!block) throw new Error('README.md: no sh block with mlnx-to-doca.yml under "### The lab"');
  return block.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('fleetplay ')).map((l) => l.split(/\s+/).slice(1));
}

// As written, with the test lab's inventory for .lab's, and every port expected ACTIVE (the hosts have an HCA).
const play = (args: string[], ...extra: string[]) =>
  fleetplay([...args.map((a) => (a === '.lab/inventory.yml' ? lab.inventory : a)), '-e', 'ib_ports_expected=all', ...extra], { cwd: ROOT });
const bootId = (h: string) => lab.sh(h, 'cat /proc/sys/kernel/random/boot_id');
const STATE = 'ofed_info -s; wc -l < /var/log/fleetlab/openibd.log; ls /usr/sbin/ofed_uninstall.sh; (dpkg -l 2>/dev/null; rpm -qa 2>/dev/null) | grep -c doca; find /lib/modules -name "mlx5_ib.ko*" | sort; true';

describe('mlnx-to-doca.yml and infiniband.yml -e ofed_flavor=doca, as the README shows', { timeout: 600_000 }, () => {
  it('migrates with one openibd restart and one reboot per host, then changes nothing', async () => {
    const [check, real, ibDoca] = await readmeDocaCommands();
    expect(check).toEqual(['playbooks/mlnx-to-doca.yml', '-i', '.lab/inventory.yml', '--check', '--diff']);
    expect(real).toEqual(['playbooks/mlnx-to-doca.yml', '-i', '.lab/inventory.yml']);
    expect(ibDoca).toEqual(['playbooks/infiniband.yml', '-i', '.lab/inventory.yml', '-e', 'ofed_flavor=doca']);
    for (const h of HOSTS) await lab.sh(h, 'sudo fleetlab-ib add mlx5_0 1 200');

    const mlnx = await play(['playbooks/infiniband.yml', '-i', '.lab/inventory.yml']);
    expect(mlnx.code, mlnx.stdout + mlnx.stderr).toBe(0);
    const before = await Promise.all(HOSTS.map((h) => lab.sh(h, STATE)));
    for (const s of before) expect(s).toMatch(/^MLNX_OFED_LINUX-5\.8-3\.0\.7\.0:\n1\n\/usr\/sbin\/ofed_uninstall\.sh\n0\n/);
    const boots = await Promise.all(HOSTS.map(bootId));

    const dry = await play(check!);
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toContain('changed: [linux-01] (would remove MLNX_OFED 5.8-3.0.7.0 (ofed_uninstall.sh), install DOCA-OFED 2.9.1 (');
    expect(dry.stdout).toContain('doca-host_2.9.1-018000-24.10-ubuntu2204_amd64.deb → dpkg -i, then apt install doca-ofed=2.9.1*))');
    expect(dry.stdout).toContain('changed: [linux-02] (would remove MLNX_OFED 5.8-3.0.7.0 (ofed_uninstall.sh), install DOCA-OFED 2.9.1 (');
    expect(dry.stdout).toContain('doca-host-2.9.1-018000_24.10_rhel86.x86_64.rpm → rpm -U, then dnf install doca-ofed-2.9.1))');
    expect(await Promise.all(HOSTS.map((h) => lab.sh(h, STATE)))).toEqual(before);
    expect(await Promise.all(HOSTS.map(bootId))).toEqual(boots);

    const run = await play(real!);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(run.stdout)[h]).toMatchObject({ failed: 0, unreachable: 0 });
    expect(run.stdout).toMatch(/RUNNING HANDLER \[restart openibd\][^\n]*\nchanged: \[linux-0[12]\]\nchanged: \[linux-0[12]\]\n/);
    expect(run.stdout).toMatch(/RUNNING HANDLER \[reboot for the new driver\][^\n]*\nchanged: \[linux-0[12]\]\nchanged: \[linux-0[12]\]\n/);
    expect(run.stdout).toMatch(/TASK \[InfiniBand is healthy\][^\n]*\nok: \[linux-0[12]\][^\n]*\nok: \[linux-0[12]\]/);
    const kernel = (await lab.sh('linux-01', 'uname -r')).trim();
    for (const [i, h] of HOSTS.entries()) {
      expect(await bootId(h), `${h} rebooted`).not.toBe(boots[i]);
      // DOCA's modules in place of MLNX_OFED's, its ofed_info, one more openibd restart, no uninstaller left.
      expect(await lab.sh(h, STATE)).toBe(`OFED-internal-24.10-1.1.4:\n2\n2\n/lib/modules/${kernel}/updates/dkms/mlx5_ib.ko\n`);
    }

    const bootsAfter = await Promise.all(HOSTS.map(bootId));
    const again = await play(real!, '-v');
    expect(again.code, again.stdout + again.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(again.stdout)[h]).toMatchObject({ changed: 0, failed: 0 });
    expect(again.stdout).toContain('DOCA-OFED 2.9.1 is already installed');

    const ib = await play(ibDoca!);
    expect(ib.code, ib.stdout + ib.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(ib.stdout)[h]).toMatchObject({ changed: 0, failed: 0 });
    expect(ib.stdout).toMatch(/TASK \[InfiniBand is healthy\][^\n]*\nok: \[linux-0[12]\][^\n]*\nok: \[linux-0[12]\]/);
    expect(await Promise.all(HOSTS.map(bootId))).toEqual(bootsAfter);
    for (const h of HOSTS) expect(await lab.sh(h, 'wc -l < /var/log/fleetlab/openibd.log')).toBe('2\n');
  });
});
