// vm_gpu_partition_assign's pure parts: the plan (prerequisites, adapter convergence, power states,
// per-VM clustering), the apply script's shape, and the cross-host preflight.
import { describe, expect, it } from 'vitest';
import type { PlanContext } from '../../src/engine/contract/module.js';
import { applyScript } from '../../src/modules/lib/gpu-assign-script.js';
import { parseHypervFacts, type HypervFacts } from '../../src/modules/lib/hyperv.js';
import { vmGpuPartitionAssign } from '../../src/modules/vm-gpu-partition-assign.js';

const MB = 1024 * 1024;
const GB = 1024 * MB;
const GPU_A = '\\\\?\\PCI#VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1#4&1a2b3c4d&0&0010#{064092b3-625e-43bf-9eb5-dc845897dd59}\\GPUPARAV';
const GPU_B = '\\\\?\\PCI#VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1#4&1a2b3c4d&0&0020#{064092b3-625e-43bf-9eb5-dc845897dd59}\\GPUPARAV';

const gpu = (name: string, count: number) => ({ Name: name, ValidPartitionCounts: [16, 8, 4, 2, 1], PartitionCount: count, TotalVRAM: 14592 * MB, DriverVersion: '32.0.15.6094' });
const vm = (name: string, state = 'Off', extra: Record<string, unknown> = {}) => ({
  Name: name, Id: `id-${name}`, State: state, Generation: 2, DynamicMemoryEnabled: false, AutomaticStopAction: 'TurnOff', GuestControlledCacheTypes: true,
  LowMemoryMappedIoSpace: GB, HighMemoryMappedIoSpace: 32 * GB, IsClustered: false, ...extra,
});
const adapter = (vmName: string, path: string, extra: Record<string, unknown> = {}) => ({ VMName: vmName, InstancePath: path, Id: `a-${vmName}`, ...extra });
function facts(o: { gpus?: unknown[]; vms?: unknown[]; adapters?: unknown[]; cluster?: boolean }): HypervFacts {
  return parseHypervFacts(JSON.stringify({ Cmdlet: 'Get-VMHostPartitionableGpu', Gpus: o.gpus ?? [gpu(GPU_A, 2)], Vms: o.vms ?? [], Adapters: o.adapters ?? [], Cluster: o.cluster ?? false }));
}
const pctx: PlanContext = { host: 'hv1', checkMode: false, facts: {}, evaluate: () => undefined, evaluateCondition: () => true };
const plan = (args: Record<string, unknown>, f: HypervFacts) => vmGpuPartitionAssign.plan(args as never, f, pctx);

describe('assigning', () => {
  it('assigns a free partition to a running VM, shutting it down and starting it again', () => {
    const p = plan({ vm: 'train01' }, facts({ vms: [vm('train01', 'Running')] }));
    expect(p.changes[0]).toMatchObject({ vm: 'train01', state: 'Running', needsOff: true, adapter: { kind: 'add', gpu: GPU_A, flags: [] }, shutdownTimeout: 300, forceOff: false, restart: true });
    expect(p.warnings?.[0]).toBe('train01 running: shut down (up to 300 s) for the change and started again — save the workload first');
    expect(p.diff?.[0]).toMatchObject({ fields: expect.arrayContaining([{ key: 'state', before: 'Running', after: 'Off → Running' }]) });
  });

  it('is idempotent for a VM that holds a partition with the requested resources', () => {
    const f = facts({ vms: [vm('a')], adapters: [adapter('a', GPU_A, { MinPartitionVRAM: GB })] });
    const p = plan({ vm: 'a', min_partition_vram: GB }, f);
    expect(p.changes).toEqual([]);
    expect(p.reason).toMatch(/every VM holds a GPU partition as requested/);
  });

  it('converges differing resources with Set-VMGpuPartitionAdapter and a diff', () => {
    const f = facts({ vms: [vm('a', 'Running')], adapters: [adapter('a', GPU_A, { MinPartitionVRAM: GB, MaxPartitionVRAM: 2 * GB })] });
    const p = plan({ vm: 'a', min_partition_vram: GB, max_partition_vram: 4 * GB, optimal_partition_encode: 4 }, f);
    const c = p.changes[0]!;
    expect(c.adapter).toEqual({ kind: 'set', gpu: GPU_A, flags: [`-MinPartitionVRAM ${GB}`, `-MaxPartitionVRAM ${4 * GB}`, '-OptimalPartitionEncode 4'],
      fields: [{ key: 'MaxPartitionVRAM', before: 2 * GB, after: 4 * GB }, { key: 'OptimalPartitionEncode', before: 'not set', after: 4 }] });
    expect(p.reason).toBe('resize the partition of a (MaxPartitionVRAM, OptimalPartitionEncode)');
    expect(applyScript(c)).toContain(`Set-VMGpuPartitionAdapter -VMName 'a' -MinPartitionVRAM ${GB} -MaxPartitionVRAM ${4 * GB} -OptimalPartitionEncode 4`);
  });

  it('instance_path pins the GPU; a partition elsewhere moves only with allow_move', () => {
    expect(plan({ vm: 'a', instance_path: GPU_B }, facts({ gpus: [gpu(GPU_A, 2), gpu(GPU_B, 2)], vms: [vm('a')] })).changes[0]!.adapter).toMatchObject({ kind: 'add', gpu: GPU_B });
    const f = facts({ gpus: [gpu(GPU_A, 2), gpu(GPU_B, 2)], vms: [vm('a')], adapters: [adapter('a', GPU_A)] });
    expect(plan({ vm: 'a', instance_path: GPU_B }, f).failed).toMatch(/a already has a partition of .*0010, not of the GPU instance_path pins; .* set allow_move: true/);
    const moved = plan({ vm: 'a', instance_path: GPU_B, allow_move: true }, f).changes[0]!;
    expect(moved.adapter).toEqual({ kind: 'move', from: GPU_A, gpu: GPU_B, flags: [] });
    expect(applyScript(moved)).toMatch(/Remove-VMGpuPartitionAdapter -VMName 'a'\n\s*Add-VMGpuPartitionAdapter -VMName 'a' -InstancePath '.*0020.*'/);
  });

  it('fails when partitions run out, counting those it is about to assign', () => {
    const f = facts({ vms: [vm('a'), vm('b'), vm('c')], adapters: [adapter('a', GPU_A)] });
    expect(plan({ vm: ['a', 'b', 'c'] }, f).failed).toMatch(/no free GPU partition on this host for c: all 2 partitions of 1 GPU\(s\) are assigned/);
  });

  it('gives the real error for an unknown VM', () => {
    expect(plan({ vm: 'nope' }, facts({})).failed).toBe('Hyper-V was unable to find a virtual machine with name "nope".');
  });

  it('removes with state absent, and is ok when nothing is assigned', () => {
    const f = facts({ vms: [vm('a', 'Running'), vm('b')], adapters: [adapter('a', GPU_A)] });
    expect(plan({ vm: 'a', state: 'absent' }, f).changes[0]).toMatchObject({ adapter: { kind: 'remove', gpu: GPU_A }, needsOff: true, state: 'Running' });
    expect(plan({ vm: 'b', state: 'absent' }, f).reason).toMatch(/no GPU partition assigned to b/);
  });
});

describe('prerequisites', () => {
  const bad = vm('a', 'Off', { DynamicMemoryEnabled: true, GuestControlledCacheTypes: false, LowMemoryMappedIoSpace: 128 * MB, HighMemoryMappedIoSpace: 512 * MB });

  it('names each missing prerequisite on its own line', () => {
    expect(plan({ vm: 'a' }, facts({ vms: [bad] })).failed!.split('\n')).toEqual([
      'VM a: dynamic memory is on; GPU-P needs static memory (fix_prerequisites: true runs Set-VM -Name \'a\' -StaticMemory)',
      "VM a: GuestControlledCacheTypes is off (fix_prerequisites: true runs Set-VM -Name 'a' -GuestControlledCacheTypes $true)",
      `VM a: low MMIO space is 128MB, needs 1GB (fix_prerequisites: true runs Set-VM -Name 'a' -LowMemoryMappedIoSpace ${GB})`,
      `VM a: high MMIO space is 512MB, needs 32GB (fix_prerequisites: true runs Set-VM -Name 'a' -HighMemoryMappedIoSpace ${32 * GB})`,
    ]);
  });

  it('fix_prerequisites sets them while the VM is off; Generation 1 cannot be fixed', () => {
    const c = plan({ vm: 'a', fix_prerequisites: true }, facts({ vms: [bad] })).changes[0]!;
    expect(c.settings.map((s) => `${s.key}: ${s.before} → ${s.after}`)).toEqual(['DynamicMemoryEnabled: true → false', 'GuestControlledCacheTypes: false → true', 'LowMemoryMappedIoSpace: 128MB → 1GB', 'HighMemoryMappedIoSpace: 512MB → 32GB']);
    expect(c.settings.every((s) => s.offline)).toBe(true);
    expect(plan({ vm: 'g1', fix_prerequisites: true }, facts({ vms: [vm('g1', 'Off', { Generation: 1 })] })).failed).toMatch(/VM g1: Generation 1; GPU partitions need a Generation 2 VM/);
  });
});

describe('power states', () => {
  it('refuses a saved VM unless its saved state may be discarded', () => {
    expect(plan({ vm: 's' }, facts({ vms: [vm('s', 'Saved')] })).failed).toBe('VM s is in a saved state, which cannot be resumed after a device change; set discard_saved_state: true to discard it');
    const p = plan({ vm: 's', discard_saved_state: true }, facts({ vms: [vm('s', 'Saved')] }));
    expect(p.warnings).toEqual(['s saved: its saved state is discarded and it stays off']);
    expect(applyScript(p.changes[0]!)).toContain("Remove-VMSavedState -VMName 's'");
  });

  it('a paused VM needs force_off', () => {
    expect(plan({ vm: 'p' }, facts({ vms: [vm('p', 'Paused')] })).failed).toMatch(/VM p is Paused: .* set force_off: true/);
  });

  it('shuts down gracefully with a timeout; turns off only with force_off', () => {
    const graceful = applyScript(plan({ vm: 'h', shutdown_timeout: 60 }, facts({ vms: [vm('h', 'Running')] })).changes[0]!);
    expect(graceful).toContain("Stop-VM -Name 'h' -Force -AsJob");
    expect(graceful).toContain('$i -lt 30');
    expect(graceful).toContain("throw 'VM h did not shut down within 60 s");
    expect(graceful).not.toContain('-TurnOff');
    const forced = applyScript(plan({ vm: 'h', force_off: true }, facts({ vms: [vm('h', 'Running')] })).changes[0]!);
    expect(forced).toContain("Stop-VM -Name 'h' -TurnOff -Force");
    expect(forced).toMatch(/if \(\$prior -eq 'Running'\) \{ Start-VM -Name 'h' \}$/);
  });

  it('a change that needs no power-off leaves the VM running', () => {
    const f = facts({ vms: [vm('a', 'Running', { AutomaticStopAction: 'Save' })], adapters: [adapter('a', GPU_A)] });
    const c = plan({ vm: 'a' }, f).changes[0]!;
    expect(c.needsOff).toBe(false);
    expect(applyScript(c)).toBe("$ErrorActionPreference = 'Stop'\nSet-VM -Name 'a' -AutomaticStopAction TurnOff");
  });
});

describe('clustering is per VM', () => {
  it('a clustered VM gets OfflineAction on the resource found from its group; a standalone VM on the same node gets AutomaticStopAction', () => {
    const f = facts({
      cluster: true,
      vms: [
        vm('ha', 'Off', { IsClustered: true, ClusterGroup: 'SCVMM ha', ClusterResource: 'SCVMM ha Resource', OfflineAction: 1, AutomaticStopAction: 'Save' }),
        vm('local', 'Off', { AutomaticStopAction: 'Save' }),
      ],
    });
    const [ha, local] = plan({ vm: ['ha', 'local'] }, f).changes;
    expect(ha!.settings.map((s) => s.command)).toEqual(["Get-ClusterResource -Name 'SCVMM ha Resource' | Set-ClusterParameter -Name OfflineAction -Value 3"]);
    expect(local!.settings.map((s) => s.command)).toEqual(["Set-VM -Name 'local' -AutomaticStopAction TurnOff"]);
  });

  it('is idempotent once OfflineAction is 3, and fails a clustered VM whose role is not found', () => {
    const done = facts({ cluster: true, vms: [vm('ha', 'Off', { IsClustered: true, ClusterGroup: 'g', ClusterResource: 'r', OfflineAction: 3 })], adapters: [adapter('ha', GPU_A)] });
    expect(plan({ vm: 'ha' }, done).changes).toEqual([]);
    const lost = facts({ cluster: true, vms: [vm('ha', 'Off', { IsClustered: true })] });
    expect(plan({ vm: 'ha' }, lost).failed).toMatch(/VM ha is clustered but no cluster group with a 'Virtual Machine' resource was found for it/);
  });
});

describe('preflight', () => {
  const targets = (hv2Adapters: unknown[]) => [
    { host: 'hv1', args: { vm: 'ha' }, current: facts({ cluster: true, gpus: [gpu(GPU_A, 1)], vms: [vm('ha', 'Off', { IsClustered: true, ClusterGroup: 'g', ClusterResource: 'r', OfflineAction: 3 })] }) },
    { host: 'hv2', args: { vm: 'other' }, current: facts({ cluster: true, gpus: [gpu(GPU_A, 1)], vms: [vm('other')], adapters: hv2Adapters }) },
  ];

  it('warns when a clustered VM would find no free partition of its configuration on another node', () => {
    const r = vmGpuPartitionAssign.preflight!(targets([adapter('other', GPU_A)]) as never);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual(['hv1: clustered VM ha would find no free partition of VEN_10DE&DEV_25B6&SUBSYS_157E10DE / 1 partitions on another node (hv2: 0): a live migration or failover would leave it without its GPU']);
  });

  it('lists every host\'s blocking problems before any host changes, and names the host a VM lives on', () => {
    const r = vmGpuPartitionAssign.preflight!([
      { host: 'hv1', args: { vm: ['s', 'train02'] }, current: facts({ vms: [vm('s', 'Saved')] }) },
      { host: 'hv2', args: { vm: 'd' }, current: facts({ vms: [vm('d', 'Off', { DynamicMemoryEnabled: true }), vm('train02')] }) },
    ] as never);
    expect(r.errors).toEqual([
      'hv1: VM s is in a saved state, which cannot be resumed after a device change; set discard_saved_state: true to discard it',
      "VM 'train02' is on host hv2, not hv1: a VM and its GPU partition must be on the same host",
      "hv2: VM d: dynamic memory is on; GPU-P needs static memory (fix_prerequisites: true runs Set-VM -Name 'd' -StaticMemory)",
    ]);
  });

  it('does not flag a VM name repeated across hosts', () => {
    const r = vmGpuPartitionAssign.preflight!([
      { host: 'hv1', args: { vm: 'vm1' }, current: facts({ vms: [vm('vm1')] }) },
      { host: 'hv2', args: { vm: 'vm1' }, current: facts({ vms: [vm('vm1')] }) },
    ] as never);
    expect(r.errors).toEqual([]);
  });
});
