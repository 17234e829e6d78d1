// Check-mode proof on the WinRM side: `--check` against lab Hyper-V hosts leaves every host's
// persisted model (GPUs, VMs, partitions, registry, files, installs, reboots) byte for byte as it
// was — also from a configured state with changes pending in every direction, and when the check
// run itself fails. The same runs without --check do change the hashes: the proof can see writes.
// (gpu-partitioning.yml from a fresh state: test/e2e/gpu-partitioning.test.ts.)
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { installedWinof2Version, nvidiaA2 } from '@fleetplay/lab/windows';
import { recap } from '../support/cli.js';
import { fleetplayToEnd } from '../support/fault-cli.js';
import { startWindowsFaultFleet, type WindowsFaultFleet } from '../support/windows-fault-hosts.js';

const GPU_PLAYBOOK = new URL('../../playbooks/gpu-partitioning.yml', import.meta.url).pathname;
const DEADLINE_MS = 90_000;

let fleet: WindowsFaultFleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

/** Everything a run could change on the hosts: the persisted files and the live models. */
async function hostStates(f: WindowsFaultFleet, names: string[]): Promise<{ files: Record<string, string>; models: string }> {
  return { files: await f.stateHashes(), models: JSON.stringify(names.map((n) => f.host(n).state())) };
}

async function cli(args: string[]) {
  const r = await fleetplayToEnd(args, DEADLINE_MS);
  expect(r.killed, 'fleetplay hung').toBe(false);
  expect(r.leaked).toEqual([]);
  return r;
}

const vms = (running: string[]) =>
  ['vm-gpu-01', 'vm-gpu-02', 'vm-gpu-03'].map((name) => ({ name, state: running.includes(name) ? ('Running' as const) : ('Off' as const), generation: 2 as const, automaticStopAction: 'Save' as const }));

describe('--check changes nothing on Windows hosts', { timeout: 150_000 }, () => {
  it('gpu-partitioning.yml from a configured cluster: unassigning, re-counting, and a failing check all leave the models as they were', async () => {
    fleet = await startWindowsFaultFleet(
      [
        { name: 'hv1', config: { hyperv: { enabled: true, gpus: [nvidiaA2(4), nvidiaA2(4)], vms: vms(['vm-gpu-01']) } }, vars: { gpu_vms: ['vm-gpu-01', 'vm-gpu-02'] } },
        { name: 'hv2', config: { hyperv: { enabled: true, gpus: [nvidiaA2(4), nvidiaA2(4)], vms: vms([]) } }, vars: { gpu_vms: ['vm-gpu-03'] } },
      ],
      {},
    );
    const f = fleet;
    const inv = ['-i', f.inventory];
    const fresh = await hostStates(f, ['hv1', 'hv2']);
    const setup = await cli([GPU_PLAYBOOK, ...inv, '-e', 'partition_count=8']);
    expect(setup.code, setup.stdout + setup.stderr).toBe(0);
    const configured = await hostStates(f, ['hv1', 'hv2']);
    // The proof can see writes: the real run changed both hosts' files.
    expect(configured.files.hv1).not.toBe(fresh.files.hv1);
    expect(configured.files.hv2).not.toBe(fresh.files.hv2);

    // Unassign everything: a running VM would be stopped, partitions removed — in check mode, none of it.
    const absent = await cli([GPU_PLAYBOOK, ...inv, '--check', '--diff', '-e', 'gpu_state=absent']);
    expect(absent.code, absent.stdout + absent.stderr).toBe(0);
    expect(recap(absent.stdout)).toMatchObject({ hv1: { changed: 1, failed: 0 }, hv2: { changed: 1, failed: 0 } });
    expect(await hostStates(f, ['hv1', 'hv2'])).toEqual(configured);

    // A count change while partitions are assigned: the check run fails the hosts and still writes nothing.
    const recount = await cli([GPU_PLAYBOOK, ...inv, '--check', '--diff', '-e', 'partition_count=16']);
    expect(recount.code).toBe(2);
    expect(recount.stdout).toMatch(/unassign first/);
    expect(await hostStates(f, ['hv1', 'hv2'])).toEqual(configured);

    // Nothing pending: the check finds nothing to do and writes nothing.
    const same = await cli([GPU_PLAYBOOK, ...inv, '--check', '--diff', '-e', 'partition_count=8']);
    expect(same.code, same.stdout + same.stderr).toBe(0);
    expect(recap(same.stdout)).toMatchObject({ hv1: { changed: 0 }, hv2: { changed: 0 } });
    expect(await hostStates(f, ['hv1', 'hv2'])).toEqual(configured);
  });

  it('mofed_install (WinOF-2) uploading its package: --check uploads and installs nothing; the real run does; a second --check finds nothing', async () => {
    fleet = await startWindowsFaultFleet([{ name: 'win-old', config: { winof2: { installedVersion: '3.10.40000' } } }, { name: 'win-new' }], {});
    const f = fleet;
    const pkg = 'MLNX_WinOF2-3_10_50000_All_x64.exe';
    const payload = Buffer.from('MZ lab WinOF-2 3.10.50000 package '.repeat(4000));
    await mkdir(join(f.dir, 'files'));
    await writeFile(join(f.dir, 'files', pkg), payload);
    const pb = join(f.dir, 'winof2.yml');
    await writeFile(
      pb,
      stringify([
        {
          name: 'WinOF-2 on the Hyper-V hosts',
          hosts: 'hyperv',
          gather_facts: false,
          tasks: [{ name: 'WinOF-2 3.10.50000', mofed_install: { version: '3.10.50000', src: pkg, checksum: `sha256:${createHash('sha256').update(payload).digest('hex')}` } }],
        },
      ]),
    );
    const before = await hostStates(f, ['win-old', 'win-new']);
    expect(installedWinof2Version(f.host('win-old').state())).toBe('3.10.40000');

    const check = await cli([pb, '-i', f.inventory, '--check', '--diff']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(recap(check.stdout)).toMatchObject({ 'win-old': { changed: 1, failed: 0 }, 'win-new': { changed: 1, failed: 0 } });
    expect(check.stdout).toContain('version: 3.10.40000 → 3.10.50000');
    expect(check.stdout).toContain('version: (none) → 3.10.50000');
    expect(await hostStates(f, ['win-old', 'win-new'])).toEqual(before);

    const apply = await cli([pb, '-i', f.inventory]);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const after = await hostStates(f, ['win-old', 'win-new']);
    expect(after.files['win-old']).not.toBe(before.files['win-old']);
    expect(after.files['win-new']).not.toBe(before.files['win-new']);
    for (const h of ['win-old', 'win-new']) expect(installedWinof2Version(f.host(h).state()), h).toBe('3.10.50000');

    const recheck = await cli([pb, '-i', f.inventory, '--check', '--diff']);
    expect(recheck.code, recheck.stdout + recheck.stderr).toBe(0);
    expect(recap(recheck.stdout)).toMatchObject({ 'win-old': { changed: 0 }, 'win-new': { changed: 0 } });
    expect(await hostStates(f, ['win-old', 'win-new'])).toEqual(after);
  });
});
