// playbooks/gpu-partitioning.yml end to end: the real CLI, over WinRM with NTLM sealing, against two
// lab Hyper-V hosts; every GPU-P rule is exercised through that same path.
import { afterEach, describe, expect, it } from 'vitest';
import { nvidiaA16, nvidiaA2 } from '@fleetplay/lab/windows';
import { fleetplay, recap } from '../support/cli.js';
import { startWindowsFleet, type WindowsFleet } from '../support/windows-hosts.js';

const PLAYBOOK = new URL('../../playbooks/gpu-partitioning.yml', import.meta.url).pathname;
const vms = (running: string[] = []) =>
  ['vm-gpu-01', 'vm-gpu-02', 'vm-gpu-03'].map((name) => ({ name, state: running.includes(name) ? ('Running' as const) : ('Off' as const), generation: 2 as const, automaticStopAction: 'Save' as const }));

let fleet: WindowsFleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

describe('gpu-partitioning.yml on two Hyper-V hosts', { timeout: 300_000 }, () => {
  it('plans in check mode without touching the model, then configures, then is idempotent', async () => {
    fleet = await startWindowsFleet([
      { name: 'hv1', gpuVms: ['vm-gpu-01', 'vm-gpu-02'], hyperv: { enabled: true, gpus: [nvidiaA2(4), nvidiaA2(4)], vms: vms(['vm-gpu-01']) } },
      { name: 'hv2', gpuVms: ['vm-gpu-03'], hyperv: { enabled: true, gpus: [nvidiaA2(4), nvidiaA2(4)], vms: vms() } },
    ]);
    const before = await fleet.stateHashes();
    const check = await fleetplay([PLAYBOOK, '-i', fleet.inventory, '--check', '--diff', '-e', 'partition_count=8']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('partitions: 4 → 8');
    expect(check.stdout).toContain('VRAM per partition: 3648 MB → 1824 MB');
    expect(check.stdout).toMatch(/vm-gpu-01 running: shut down \(up to 300 s\) for the change and started again — save the workload first/);
    expect(await fleet.stateHashes()).toEqual(before);

    const run = await fleetplay([PLAYBOOK, '-i', fleet.inventory, '-e', 'partition_count=8']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(recap(run.stdout)).toMatchObject({ hv1: { changed: 2, failed: 0 }, hv2: { changed: 2, failed: 0 } });
    const [hv1, hv2] = fleet.hosts.map((h) => h.state().hyperv);
    expect(hv1!.gpus.map((g) => g.partitionCount)).toEqual([8, 8]);
    expect(hv2!.gpus.map((g) => g.partitionCount)).toEqual([8, 8]);
    const vm1 = hv1!.vms.find((v) => v.name === 'vm-gpu-01')!;
    expect(vm1.gpuAdapters).toHaveLength(1);
    // It was running: stopped for the change and started again.
    expect({ state: vm1.state, stops: vm1.stops, starts: vm1.starts }).toEqual({ state: 'Running', stops: 1, starts: 1 });
    expect(vm1.automaticStopAction).toBe('TurnOff');
    expect(hv1!.vms.find((v) => v.name === 'vm-gpu-02')!.gpuAdapters).toHaveLength(1);
    expect(hv1!.vms.find((v) => v.name === 'vm-gpu-03')!.gpuAdapters).toHaveLength(0);
    expect(hv2!.vms.find((v) => v.name === 'vm-gpu-03')!.gpuAdapters).toHaveLength(1);

    const again = await fleetplay([PLAYBOOK, '-i', fleet.inventory, '-e', 'partition_count=8']);
    expect(again.code).toBe(0);
    expect(recap(again.stdout)).toMatchObject({ hv1: { changed: 0 }, hv2: { changed: 0 } });

    // A partitioned GPU cannot be re-counted: the error names the VMs holding it.
    const recount = await fleetplay([PLAYBOOK, '-i', fleet.inventory, '-e', 'partition_count=4']);
    expect(recount.code).toBe(2);
    expect(recount.stdout).toMatch(/partitions are assigned to vm-gpu-0[12]; unassign first/);
    // hv2's other GPU is free, but a host's GPUs change all or none: the blocked one is named.
    expect(recount.stdout).toMatch(/hv2[\s\S]*partitions are assigned to vm-gpu-03; unassign first[\s\S]*none of this host's 2 selected GPUs was changed/);
    expect(fleet.hosts[1]!.state().hyperv.gpus.map((g) => g.partitionCount)).toEqual([8, 8]);

    // state: absent frees the partitions (and restarts the running VM again).
    const unassign = await fleetplay([PLAYBOOK, '-i', fleet.inventory, '-e', 'gpu_state=absent']);
    expect(unassign.code, unassign.stdout).toBe(0);
    const after = fleet.hosts[0]!.state().hyperv.vms.find((v) => v.name === 'vm-gpu-01')!;
    expect({ adapters: after.gpuAdapters.length, state: after.state, stops: after.stops, starts: after.starts }).toEqual({ adapters: 0, state: 'Running', stops: 2, starts: 2 });
  });

  it('refuses an invalid count before changing anything, listing the valid ones', async () => {
    fleet = await startWindowsFleet([{ name: 'hv1', gpuVms: [], hyperv: { enabled: true, gpus: [nvidiaA2(4)], vms: vms() } }]);
    const before = await fleet.stateHashes();
    const r = await fleetplay([PLAYBOOK, '-i', fleet.inventory, '-e', 'partition_count=3']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('3 is not a valid partition count; valid: 16, 8, 4, 2, 1');
    expect(await fleet.stateHashes()).toEqual(before);
  });

  it('fails a mixed cluster in preflight, before any host changes', async () => {
    fleet = await startWindowsFleet([
      { name: 'hv1', gpuVms: [], hyperv: { enabled: true, gpus: [nvidiaA2(4)], vms: vms() } },
      { name: 'hv2', gpuVms: [], hyperv: { enabled: true, gpus: [nvidiaA16(4)], vms: vms() } },
    ]);
    const before = await fleet.stateHashes();
    const r = await fleetplay([PLAYBOOK, '-i', fleet.inventory, '-e', 'partition_count=8']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/not homogeneous[\s\S]*SUBSYS_157E10DE \| 14592 MB[\s\S]*→ hv1[\s\S]*SUBSYS_14A910DE \| 15360 MB[\s\S]*→ hv2/);
    expect(await fleet.stateHashes()).toEqual(before);
  });

  it('gives the real errors for an unknown VM, no free partition, and a second partition', async () => {
    fleet = await startWindowsFleet([{ name: 'hv1', hyperv: { enabled: true, gpus: [nvidiaA2(1), nvidiaA2(1)], vms: vms() } }]);
    const unknown = await fleetplay([PLAYBOOK, '-i', fleet.inventory, '-e', '{"gpu_vms": ["nope"], "partition_count": 1}']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toContain('Hyper-V was unable to find a virtual machine with name \\"nope\\".');

    const noFree = await fleetplay([PLAYBOOK, '-i', fleet.inventory, '-e', '{"gpu_vms": ["vm-gpu-01", "vm-gpu-02", "vm-gpu-03"], "partition_count": 1}']);
    expect(noFree.code).toBe(2);
    expect(noFree.stdout).toMatch(/no free GPU partition on this host for vm-gpu-03: all 2 partitions of 2 GPU\(s\) are assigned/);
    // Nothing was half-assigned: the plan failed before apply.
    expect(fleet.hosts[0]!.state().hyperv.vms.every((v) => v.gpuAdapters.length === 0)).toBe(true);

    const one = await fleetplay([PLAYBOOK, '-i', fleet.inventory, '-e', '{"gpu_vms": ["vm-gpu-01"], "partition_count": 1}']);
    expect(one.code, one.stdout).toBe(0);
    const gpus = fleet.hosts[0]!.state().hyperv.gpus.map((g) => g.name);
    const held = fleet.hosts[0]!.state().hyperv.vms.find((v) => v.name === 'vm-gpu-01')!.gpuAdapters[0]!.instancePath;
    const other = gpus.find((g) => g !== held)!;
    const dir = fleet.dir;
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${dir}/second.yml`, `- hosts: hyperv\n  gather_facts: false\n  tasks:\n    - vm_gpu_partition_assign:\n        vm: vm-gpu-01\n        instance_path: '${other.replace(/'/g, "''")}'\n`);
    const second = await fleetplay([`${dir}/second.yml`, '-i', fleet.inventory]);
    expect(second.code).toBe(2);
    expect(second.stdout).toMatch(/vm-gpu-01 already has a partition of .*, not of the GPU instance_path pins; a VM can hold only one partition: set allow_move: true/);
  });
});
