// Saved plans over WinRM on two lab Hyper-V hosts, the use they exist for: a plan that repartitions
// the GPUs and assigns partitions to named VMs must not be applied to a host where a VM was given a
// partition by hand since. That host stops (exit 2, the task and the difference named), the other
// host is applied exactly as planned.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nvidiaA2 } from '@fleetplay/lab/windows';
import { fleetplay } from '../support/cli.js';
import { startWindowsFleet, type WindowsFleet } from '../support/windows-hosts.js';

const PLAYBOOK = new URL('../../playbooks/gpu-partitioning.yml', import.meta.url).pathname;
const vms = () => ['vm-gpu-01', 'vm-gpu-02', 'vm-gpu-03'].map((name) => ({ name, state: 'Off' as const, generation: 2 as const, automaticStopAction: 'Save' as const }));

let fleet: WindowsFleet | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('plan / apply on Hyper-V hosts', { timeout: 300_000 }, () => {
  it('stops the host whose VM was given a partition by hand after the plan; applies the other', async () => {
    fleet = await startWindowsFleet([
      { name: 'hv1', gpuVms: ['vm-gpu-01'], hyperv: { enabled: true, gpus: [nvidiaA2(4)], vms: vms() } },
      { name: 'hv2', gpuVms: ['vm-gpu-03'], hyperv: { enabled: true, gpus: [nvidiaA2(4)], vms: vms() } },
    ]);
    dir = await mkdtemp(join(tmpdir(), 'fp-plan-gpu-'));
    const planFile = join(dir, 'gpu.fpplan');
    const before = await fleet.stateHashes();
    const plan = await fleetplay(['plan', PLAYBOOK, '-i', fleet.inventory, '-e', 'partition_count=8', '--out', planFile]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(await fleet.stateHashes()).toEqual(before);
    const shown = await fleetplay(['show', planFile]);
    expect(shown.stdout).toContain('HOST hv1');
    expect(shown.stdout).toMatch(/from 4 to 8 partitions/);

    // By hand, on hv1 only: vm-gpu-02 gets a partition of the GPU the plan repartitions.
    const byHand = join(dir, 'by-hand.yml');
    await writeFile(byHand, '- hosts: hv1\n  gather_facts: false\n  tasks:\n    - win_powershell: { script: "Add-VMGpuPartitionAdapter -VMName vm-gpu-02" }\n');
    const manual = await fleetplay([byHand, '-i', fleet.inventory]);
    expect(manual.code, manual.stdout + manual.stderr).toBe(0);
    expect(fleet.hosts[0]!.state().hyperv.vms.find((v) => v.name === 'vm-gpu-02')!.gpuAdapters).toHaveLength(1);

    const apply = await fleetplay(['apply', planFile]);
    expect(apply.code, apply.stdout + apply.stderr).toBe(2);
    expect(apply.stderr).toMatch(/drifted since plan: hv1: .*: planned: .*; now: /);
    expect(apply.stderr).toContain('applied on 1 of 2 hosts');
    const [hv1, hv2] = fleet.hosts.map((h) => h.state().hyperv);
    // hv1 left as the operator left it.
    expect(hv1!.gpus.map((g) => g.partitionCount)).toEqual([4]);
    expect(hv1!.vms.find((v) => v.name === 'vm-gpu-01')!.gpuAdapters).toHaveLength(0);
    // hv2 applied as planned.
    expect(hv2!.gpus.map((g) => g.partitionCount)).toEqual([8]);
    expect(hv2!.vms.find((v) => v.name === 'vm-gpu-03')!.gpuAdapters).toHaveLength(1);
  });
});
