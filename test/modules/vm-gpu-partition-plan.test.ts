import { describe, expect, it } from 'vitest';
import type { PlanContext } from '../../src/engine/contract/module.js';
import { parseHypervFacts, type HypervFacts } from '../../src/modules/lib/hyperv.js';
import { vmGpuPartitionAssign } from '../../src/modules/vm-gpu-partition-assign.js';
import { vmGpuPartitionCount } from '../../src/modules/vm-gpu-partition-count.js';

const MB = 1024 * 1024;
const GPU_A = '\\\\?\\PCI#VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1#4&1a2b3c4d&0&0010#{064092b3-625e-43bf-9eb5-dc845897dd59}\\GPUPARAV';
const GPU_B = '\\\\?\\PCI#VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1#4&1a2b3c4d&0&0020#{064092b3-625e-43bf-9eb5-dc845897dd59}\\GPUPARAV';

function gpu(name: string, count: number) {
  return { Name: name, ValidPartitionCounts: [16, 8, 4, 2, 1], PartitionCount: count, TotalVRAM: 14592 * MB, AvailableVRAM: 14592 * MB, MinPartitionVRAM: 0, MaxPartitionVRAM: 0, OptimalPartitionVRAM: 0, TotalEncode: 0, TotalDecode: 0, TotalCompute: 0 };
}
function vm(name: string, state = 'Off', extra: Record<string, unknown> = {}) {
  return { Name: name, State: state, Generation: 2, AutomaticStopAction: 'TurnOff', GuestControlledCacheTypes: true, LowMemoryMappedIoSpace: 1024 * MB, HighMemoryMappedIoSpace: 32768 * MB, ...extra };
}
function facts(o: { gpus?: unknown[]; vms?: unknown[]; adapters?: unknown[]; cmdlet?: string | null }): HypervFacts {
  return parseHypervFacts(JSON.stringify({ Cmdlet: o.cmdlet === undefined ? 'Get-VMHostPartitionableGpu' : o.cmdlet, Gpus: o.gpus ?? [], Vms: o.vms ?? [], Adapters: o.adapters ?? [], Cluster: false }));
}
const pctx: PlanContext = { host: 'hv1', checkMode: false, facts: {}, evaluate: () => undefined, evaluateCondition: () => true };

describe('vm_gpu_partition_count plan', () => {
  it('plans 4 → 8 with VRAM per partition in the diff', () => {
    const p = vmGpuPartitionCount.plan({ partition_count: 8 }, facts({ gpus: [gpu(GPU_A, 4)] }), pctx);
    expect(p.changes).toEqual([{ name: GPU_A, from: 4, to: 8, cmdlet: 'Set-VMHostPartitionableGpu' }]);
    expect(p.diff?.[0]).toMatchObject({ kind: 'fields', fields: [{ key: 'partitions', before: 4, after: 8 }, { key: 'VRAM per partition', before: '3648 MB', after: '1824 MB' }] });
  });

  it('is a no-op with a reason when the count is already set', () => {
    const p = vmGpuPartitionCount.plan({ partition_count: 4 }, facts({ gpus: [gpu(GPU_A, 4)] }), pctx);
    expect(p.changes).toEqual([]);
    expect(p.reason).toMatch(/already has 4 partitions/);
  });

  it('refuses an invalid count, listing the valid ones', () => {
    const p = vmGpuPartitionCount.plan({ partition_count: 3 }, facts({ gpus: [gpu(GPU_A, 4)] }), pctx);
    expect(p.failed).toMatch(/3 is not a valid partition count; valid: 16, 8, 4, 2, 1/);
  });

  it('refuses to re-count a GPU with assigned partitions, naming the VMs', () => {
    const f = facts({ gpus: [gpu(GPU_A, 4)], vms: [vm('train01')], adapters: [{ VMName: 'train01', InstancePath: GPU_A }] });
    expect(vmGpuPartitionCount.plan({ partition_count: 8 }, f, pctx).failed).toMatch(/assigned to train01; unassign first/);
  });

  it('explains a host without partitionable GPUs', () => {
    expect(vmGpuPartitionCount.plan({ partition_count: 4 }, facts({}), pctx).failed).toMatch(/no partitionable GPUs.*GPU-P capable driver/);
    expect(vmGpuPartitionCount.plan({ partition_count: 4 }, facts({ cmdlet: null }), pctx).failed).toMatch(/is Hyper-V installed/);
  });

  it('selects GPUs by glob', () => {
    const p = vmGpuPartitionCount.plan({ partition_count: 8, gpu: '*0&0020*' }, facts({ gpus: [gpu(GPU_A, 4), gpu(GPU_B, 4)] }), pctx);
    expect(p.changes.map((c) => c.name)).toEqual([GPU_B]);
  });

  it('preflight fails a mixed cluster with a table, or warns when allowed', () => {
    const other = { ...gpu(GPU_A.replace('DEV_25B6', 'DEV_20B5'), 4), TotalVRAM: 40960 * MB };
    const targets = [
      { host: 'hv1', args: { partition_count: 4 }, current: facts({ gpus: [gpu(GPU_A, 4)] }) },
      { host: 'hv2', args: { partition_count: 4 }, current: facts({ gpus: [other] }) },
    ];
    const strict = vmGpuPartitionCount.preflight!(targets);
    expect(strict.errors[0]).toMatch(/not homogeneous[\s\S]*VEN_10DE&DEV_25B6&SUBSYS_157E10DE \| 14592 MB[\s\S]*→ hv1[\s\S]*DEV_20B5&SUBSYS_157E10DE \| 40960 MB[\s\S]*→ hv2/);
    const lax = vmGpuPartitionCount.preflight!(targets.map((t) => ({ ...t, args: { ...t.args, require_homogeneous: false } })));
    expect(lax.errors).toEqual([]);
    expect(lax.warnings).toHaveLength(1);
  });
});

describe('vm_gpu_partition_assign plan', () => {
  it('assigns a free partition and restarts a running VM, warning in the plan', () => {
    const p = vmGpuPartitionAssign.plan({ vm: 'train01' }, facts({ gpus: [gpu(GPU_A, 2)], vms: [vm('train01', 'Running')] }), pctx);
    expect(p.changes).toEqual([{ vm: 'train01', action: 'add', gpu: GPU_A, wasRunning: true, settings: [], adapterFlags: [], restart: true }]);
    expect(p.warnings?.[0]).toMatch(/train01 running: turned off .* started again — save the workload first/);
    expect(p.diff?.[0]).toMatchObject({ fields: expect.arrayContaining([{ key: 'state', before: 'Running', after: 'Off → Running' }]) });
  });

  it('is idempotent for a VM that already holds a partition', () => {
    const f = facts({ gpus: [gpu(GPU_A, 2)], vms: [vm('train01')], adapters: [{ VMName: 'train01', InstancePath: GPU_A }] });
    const p = vmGpuPartitionAssign.plan({ vm: 'train01' }, f, pctx);
    expect(p.changes).toEqual([]);
    expect(p.reason).toMatch(/already holds a GPU partition/);
  });

  it('gives the real error for an unknown VM', () => {
    const p = vmGpuPartitionAssign.plan({ vm: 'nope' }, facts({ gpus: [gpu(GPU_A, 2)] }), pctx);
    expect(p.failed).toBe('Hyper-V was unable to find a virtual machine with name "nope".');
  });

  it('fails when partitions run out, counting those it is about to assign', () => {
    const f = facts({ gpus: [gpu(GPU_A, 2)], vms: [vm('a'), vm('b'), vm('c')], adapters: [{ VMName: 'a', InstancePath: GPU_A }] });
    const p = vmGpuPartitionAssign.plan({ vm: ['a', 'b', 'c'] }, f, pctx);
    expect(p.failed).toMatch(/no free GPU partition on this host for c: all 2 partitions of 1 GPU\(s\) are assigned/);
  });

  it('refuses a second partition on another GPU', () => {
    const f = facts({ gpus: [gpu(GPU_A, 2), gpu(GPU_B, 2)], vms: [vm('a')], adapters: [{ VMName: 'a', InstancePath: GPU_A }] });
    expect(vmGpuPartitionAssign.plan({ vm: 'a', instance_path: GPU_B }, f, pctx).failed).toMatch(/only one partition: unassign it first/);
  });

  it('sets the offline action and MMIO on a standalone host when assigning', () => {
    const f = facts({ gpus: [gpu(GPU_A, 2)], vms: [vm('a', 'Off', { AutomaticStopAction: 'Save', GuestControlledCacheTypes: false })] });
    const settings = vmGpuPartitionAssign.plan({ vm: 'a' }, f, pctx).changes[0]!.settings;
    expect(settings.map(({ key, before, after }) => ({ key, before, after }))).toEqual([
      { key: 'GuestControlledCacheTypes / MMIO low / high', before: 'false / 1GB / 32GB', after: 'true / 1GB / 32GB' },
      { key: 'AutomaticStopAction', before: 'Save', after: 'TurnOff' },
    ]);
    expect(settings[1]!.command).toBe("Set-VM -Name 'a' -AutomaticStopAction TurnOff");
  });

  it('removes with state absent, and is ok when nothing is assigned', () => {
    const f = facts({ gpus: [gpu(GPU_A, 2)], vms: [vm('a', 'Running'), vm('b')], adapters: [{ VMName: 'a', InstancePath: GPU_A }] });
    expect(vmGpuPartitionAssign.plan({ vm: 'a', state: 'absent' }, f, pctx).changes).toEqual([{ vm: 'a', action: 'remove', wasRunning: true, settings: [], adapterFlags: [], restart: true }]);
    expect(vmGpuPartitionAssign.plan({ vm: 'b', state: 'absent' }, f, pctx).reason).toMatch(/no GPU partition assigned to b/);
  });

  it('preflight names the host a VM really lives on', () => {
    const targets = [
      { host: 'hv1', args: { vm: 'train02' }, current: facts({ vms: [vm('train01')] }) },
      { host: 'hv2', args: { vm: 'train01' }, current: facts({ vms: [vm('train02')] }) },
    ];
    expect(vmGpuPartitionAssign.preflight!(targets).errors).toEqual([
      "VM 'train02' is on host hv2, not hv1: a VM and its GPU partition must be on the same host",
      "VM 'train01' is on host hv1, not hv2: a VM and its GPU partition must be on the same host",
    ]);
  });
});

describe('vm_gpu_partition_assign preflight with VM names repeated across hosts', () => {
  it('does not flag a VM that exists on its own host too', () => {
    const targets = [
      { host: 'hv1', args: { vm: 'vm1' }, current: facts({ vms: [vm('vm1')] }) },
      { host: 'hv2', args: { vm: 'vm1' }, current: facts({ vms: [vm('vm1')] }) },
    ];
    expect(vmGpuPartitionAssign.preflight!(targets).errors).toEqual([]);
  });
});
