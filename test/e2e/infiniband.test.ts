// playbooks/infiniband.yml end to end on lab hosts that look like Azure HPC VMs (mixed Ubuntu and
// RHEL), installing from the lab's MOFED mirror: check mode changes nothing, a real run installs and
// restarts each service once, a second run changes nothing, and each failure leaves the host as it was.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labDown, type LabInfo, labResetHosts, labUp } from '@fleetplay/lab';
import { fleetplay, recap } from '../support/cli.js';

const run = promisify(execFile);
const PLAYBOOK = new URL('../../playbooks/infiniband.yml', import.meta.url).pathname;
let dir: string;
let lab: LabInfo;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetplay-ib-'));
  lab = await labUp({ dir: join(dir, 'lab'), linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });
}, 120_000);
afterAll(async () => {
  if (lab) await labDown(lab.dir);
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await labResetHosts(lab.dir);
});

async function onHost(host: string, script: string): Promise<string> {
  const { stdout } = await run('ssh', ['-F', lab.files.sshConfig, host, script]);
  return stdout;
}

/** What this playbook may change on a host, as one string to compare. */
const STATE = [
  'sha256sum /etc/waagent.conf',
  'ls -la /usr/bin/ofed_info /etc/init.d/openibd 2>&1 | sed "s/ [A-Z][a-z][a-z] .* / /"',
  'cat /var/log/fleetlab/systemctl.log /var/log/fleetlab/openibd.log /var/log/fleetlab/mofed-install.log 2>&1',
  "ls -d /tmp/fleetplay-mofed.* 2>&1; true",
].join('; echo --; ');
const hostState = (h: string) => onHost(h, STATE);
const ib = (...args: string[]) => fleetplay([PLAYBOOK, '-i', lab.files.inventoryYaml, '-e', 'target=linux', ...args]);

describe('infiniband.yml on Ubuntu and RHEL lab hosts', { timeout: 300_000 }, () => {
  it('check, run, run again', async () => {
    const before = await Promise.all(['linux-01', 'linux-02'].map(hostState));
    const check = await ib('--check', '--diff');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('-# OS.EnableRDMA=y\n+OS.EnableRDMA=y');
    expect(check.stdout).toMatch(/version: "\(none\)" → "5\.8-3\.0\.7\.0"|version: \(none\) → 5\.8-3\.0\.7\.0/);
    expect(check.stdout).toContain('MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.6-x86_64.tgz');
    expect(await Promise.all(['linux-01', 'linux-02'].map(hostState))).toEqual(before);

    const first = await ib();
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(recap(first.stdout)).toMatchObject({ 'linux-01': { changed: 4, failed: 0 }, 'linux-02': { changed: 4, failed: 0 } });
    const u = await onHost('linux-01', 'ofed_info -n; grep -c restart /var/log/fleetlab/openibd.log; grep restart /var/log/fleetlab/systemctl.log; grep ^OS.EnableRDMA /etc/waagent.conf');
    expect(u.split('\n')).toEqual(['5.8-3.0.7.0', '1', 'restart walinuxagent', 'OS.EnableRDMA=y', '']);
    const r = await onHost('linux-02', 'ofed_info -n; grep -c restart /var/log/fleetlab/openibd.log; grep restart /var/log/fleetlab/systemctl.log; cat /var/log/fleetlab/mofed-install.log');
    expect(r).toMatch(/^5\.8-3\.0\.7\.0\n1\nrestart waagent\n.* rhel8\.6 --kernel \S+ --kernel-sources \/usr\/src\/kernels\/\S+ --add-kernel-support --skip-repo .*--distro rhel8\.6\n$/);

    const second = await ib();
    expect(second.code).toBe(0);
    expect(recap(second.stdout)).toMatchObject({ 'linux-01': { changed: 0 }, 'linux-02': { changed: 0 } });
    expect(await onHost('linux-01', 'wc -l < /var/log/fleetlab/openibd.log')).toBe('1\n');
  });

  it('reinstalls a different version and says which', async () => {
    expect((await ib('-e', 'mofed_version=5.8-1.0.1.1', '-e', '{"mofed_sha256": {}}')).code).toBe(0);
    const up = await ib('--diff');
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/version: "?5\.8-1\.0\.1\.1"? → "?5\.8-3\.0\.7\.0"?/);
    expect(await onHost('linux-01', 'ofed_info -n')).toBe('5.8-3.0.7.0\n');
  });

  it('a checksum mismatch fails before extracting: nothing installed, no temp files', async () => {
    const before = await hostState('linux-01');
    const bad = await ib('-l', 'linux-01', '-e', `{"mofed_sha256": {"ubuntu22.04": "${'0'.repeat(64)}"}}`);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/checksum mismatch for MLNX_OFED_LINUX-5\.8-3\.0\.7\.0-ubuntu22\.04-x86_64\.tgz.*nothing was extracted or installed/);
    // Both sums, so the user can tell a stale pin from a corrupt download.
    const actual = lab.mofed!.checksums['5.8-3.0.7.0']!['ubuntu22.04']!;
    expect(bad.stdout).toContain(`expected sha256:${'0'.repeat(64)}, got sha256:${actual}`);
    expect(await hostState('linux-01')).toEqual(before);
  });

  it('a missing tarball is a clear download failure', async () => {
    const r = await ib('-l', 'linux-01', '-e', 'mofed_version=9.9-9.9.9.9');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/download failed: http:\/\/\S+\/MLNX_OFED-9\.9-9\.9\.9\.9\/MLNX_OFED_LINUX-9\.9-9\.9\.9\.9-ubuntu22\.04-x86_64\.tgz/);
  });

  it('RHEL without kernel-devel for the running kernel says so and changes nothing', async () => {
    await onHost('linux-02', 'sudo rm -rf /usr/src/kernels');
    const before = await hostState('linux-02');
    const r = await ib('-l', 'linux-02');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/kernel-devel for the running kernel \S+ is not installed .*install kernel-devel-\S+ first, or set add_kernel_support: false/);
    expect(await hostState('linux-02')).toEqual(before);
  });

  it.each([
    [1, /mlnxofedinstall failed \(exit 1\)/],
    [22, /rejected a parameter \(exit 22\)/],
    [28, /not enough disk space .*\(exit 28\)/],
    [171, /not applicable to this system \(exit 171\)/],
    [172, /prerequisites not met \(exit 172\)/],
    [173, /failed to start the mst driver \(exit 173\)/],
    [174, /non-OFED RDMA packages are installed \(exit 174\)/],
  ])('installer exit %i gets its own message and no restart', async (code, message) => {
    await onHost('linux-01', `sudo sh -c 'mkdir -p /etc/fleetlab && echo ${code} > /etc/fleetlab/mofed-exit'`);
    const r = await ib('-l', 'linux-01');
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toMatch(message);
    expect(await onHost('linux-01', 'cat /var/log/fleetlab/openibd.log 2>/dev/null; ls /usr/bin/ofed_info 2>/dev/null; ls -d /tmp/fleetplay-mofed.* 2>/dev/null; true')).toBe('');
  });
});
