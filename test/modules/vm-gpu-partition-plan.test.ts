import { describe, expect, it } from 'vitest';
import type { PlanContext } from '../../src/engine/contract/module.js';
import { parseHypervFacts, type HypervFacts } from '../../src/modules/lib/hyperv.js';
import { countScript, vmGpuPartitionCount } from '../../src/modules/vm-gpu-partition-count.js';

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


describe('vm_gpu_partition_count across GPUs and hosts', () => {
  const withDriver = (name: string, count: number, driver: string) => ({ ...gpu(name, count), DriverVersion: driver });

  it('preflight names the host whose GPU driver version differs, and its value', () => {
    const targets = ['hv1', 'hv2', 'hv3'].map((host) => ({
      host, args: { partition_count: 8 }, current: facts({ gpus: [withDriver(GPU_A, 4, host === 'hv2' ? '31.0.15.5222' : '32.0.15.6094')] }),
    }));
    const r = vmGpuPartitionCount.preflight!(targets);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toContain('  driver version: hv2 has 31.0.15.5222, hv1, hv3 32.0.15.6094');
    expect(r.errors[0]).not.toContain('  model:');
  });

  it('changes none of a host\'s GPUs when one is blocked, naming the blocker', () => {
    const f = facts({ gpus: [gpu(GPU_A, 4), gpu(GPU_B, 4)], vms: [vm('train01')], adapters: [{ VMName: 'train01', InstancePath: GPU_B }] });
    const p = vmGpuPartitionCount.plan({ partition_count: 8 }, f, pctx);
    expect(p.changes).toEqual([]);
    expect(p.failed).toMatch(/0020: partitions are assigned to train01; unassign first[\s\S]*none of this host's 2 selected GPUs was changed \(all or none\)/);
  });

  it('reports the VRAM per partition the new count gives each GPU, from its totals', () => {
    const f = facts({ gpus: [gpu(GPU_A, 4), { ...gpu(GPU_B, 4), TotalVRAM: 15360 * MB }] });
    const p = vmGpuPartitionCount.plan({ partition_count: 8 }, f, pctx);
    expect((p.result as { gpus: Array<{ vram_per_partition_after: string }> }).gpus.map((g) => g.vram_per_partition_after)).toEqual(['1824 MB', '1920 MB']);
    expect(p.diff?.map((d) => (d as { fields: Array<{ after: unknown }> }).fields[1]!.after)).toEqual(['1824 MB', '1920 MB']);
  });

  it('sets each GPU by -Name and puts the ones already set back when a later one fails', () => {
    const p = vmGpuPartitionCount.plan({ partition_count: 8 }, facts({ gpus: [gpu(GPU_A, 4), gpu(GPU_B, 4)] }), pctx);
    const script = countScript(p.changes);
    expect(script).toContain(`Set-VMHostPartitionableGpu -Name '${GPU_A}' -PartitionCount 8; $step = 1`);
    expect(script).toContain(`Set-VMHostPartitionableGpu -Name '${GPU_B}' -PartitionCount 8; $step = 2`);
    expect(script).toContain(`if ($step -gt 0) { Set-VMHostPartitionableGpu -Name '${GPU_A}' -PartitionCount 4 }`);
  });
});
