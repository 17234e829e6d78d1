// Pure planning for vm_gpu_partition_assign: what one VM needs (prerequisites, the adapter and its
// resources, cluster/standalone stop action) and whether it must be turned off for it. No I/O.
import { gpuLabel, ps, RESOURCE_KEYS, selectGpus, type GpuAdapter, type HostVm, type HypervFacts, type ResourceKey } from './hyperv.js';

export const GB = 1024 ** 3;

/** The module's arguments this planner reads (the schema lives with the module). */
export interface AssignArgs {
  instance_path?: string;
  allow_move?: boolean;
  fix_prerequisites?: boolean;
  low_mmio_space?: number;
  high_mmio_space?: number;
  offline_action?: 'force_shutdown' | 'keep';
  discard_saved_state?: boolean;
  force_off?: boolean;
  /** snake_case resource arguments, e.g. min_partition_vram. */
  [resource: string]: unknown;
}

/** A VM setting with the PowerShell that sets it; `offline` = only while the VM is off. */
export interface Setting {
  key: string;
  before: string;
  after: string;
  command: string;
  offline: boolean;
}

export type AdapterAction =
  | { kind: 'none' }
  | { kind: 'add'; gpu: string; flags: string[] }
  | { kind: 'set'; gpu: string; flags: string[]; fields: Array<{ key: string; before: unknown; after: unknown }> }
  | { kind: 'move'; from: string; gpu: string; flags: string[] }
  | { kind: 'remove'; gpu: string };

/** The cmdlet flag (-MinPartitionVRAM) and argument name (min_partition_vram) of each resource. */
export const RESOURCE_ARGS: Array<{ key: ResourceKey; arg: string }> = RESOURCE_KEYS.map((key) => ({
  key,
  arg: key.replace(/^(Min|Max|Optimal)Partition(\w+)$/, (_m, b: string, r: string) => `${b.toLowerCase()}_partition_${r.toLowerCase()}`),
}));

const size = (bytes: number) => (bytes >= GB && bytes % GB === 0 ? `${bytes / GB}GB` : `${Math.round(bytes / (1024 * 1024))}MB`);

export function wantedResources(args: AssignArgs): Array<{ key: ResourceKey; value: number }> {
  return RESOURCE_ARGS.filter((r) => typeof args[r.arg] === 'number').map((r) => ({ key: r.key, value: args[r.arg] as number }));
}

/**
 * GPU-P's VM prerequisites, one entry each. A problem that cannot be fixed (Generation 1) or that
 * fix_prerequisites was not asked to fix is a line in `problems`; otherwise a setting.
 */
export function prerequisites(vm: HostVm, args: AssignArgs): { problems: string[]; settings: Setting[] } {
  const fix = args.fix_prerequisites ?? false;
  const low = args.low_mmio_space ?? GB;
  const high = args.high_mmio_space ?? 32 * GB;
  const name = ps(vm.name);
  const problems: string[] = [];
  const settings: Setting[] = [];
  if (vm.generation !== 2) problems.push(`VM ${vm.name}: Generation ${vm.generation}; GPU partitions need a Generation 2 VM (a VM's generation cannot be changed: recreate it)`);
  const need = (ok: boolean, what: string, s: Omit<Setting, 'offline'>) => {
    if (ok) return;
    if (fix) settings.push({ ...s, offline: true });
    else problems.push(`VM ${vm.name}: ${what} (fix_prerequisites: true runs ${s.command})`);
  };
  need(!vm.dynamicMemory, 'dynamic memory is on; GPU-P needs static memory', { key: 'DynamicMemoryEnabled', before: 'true', after: 'false', command: `Set-VM -Name ${name} -StaticMemory` });
  need(vm.guestControlledCacheTypes, 'GuestControlledCacheTypes is off', { key: 'GuestControlledCacheTypes', before: 'false', after: 'true', command: `Set-VM -Name ${name} -GuestControlledCacheTypes $true` });
  need(vm.lowMmio >= low, `low MMIO space is ${size(vm.lowMmio)}, needs ${size(low)}`, { key: 'LowMemoryMappedIoSpace', before: size(vm.lowMmio), after: size(low), command: `Set-VM -Name ${name} -LowMemoryMappedIoSpace ${low}` });
  need(vm.highMmio >= high, `high MMIO space is ${size(vm.highMmio)}, needs ${size(high)}`, { key: 'HighMemoryMappedIoSpace', before: size(vm.highMmio), after: size(high), command: `Set-VM -Name ${name} -HighMemoryMappedIoSpace ${high}` });
  return { problems, settings };
}

/**
 * The stop action that lets a failed host fail over: decided per VM. A clustered VM's resource is the
 * one found from its own cluster group; a standalone VM (even on a cluster node) uses Set-VM.
 */
export function stopActionSetting(vm: HostVm, args: AssignArgs): Setting | string | undefined {
  if ((args.offline_action ?? 'force_shutdown') !== 'force_shutdown') return undefined;
  if (vm.clustered) {
    if (!vm.clusterResource) return `VM ${vm.name} is clustered but no cluster group with a 'Virtual Machine' resource was found for it (Get-ClusterGroup -VMId ${vm.id})`;
    if (vm.offlineAction === 3) return undefined;
    return {
      key: `cluster OfflineAction (${vm.clusterResource})`, before: String(vm.offlineAction ?? 'unknown'), after: '3 (forced shutdown)', offline: false,
      command: `Get-ClusterResource -Name ${ps(vm.clusterResource)} | Set-ClusterParameter -Name OfflineAction -Value 3`,
    };
  }
  if (vm.automaticStopAction === 'TurnOff') return undefined;
  return { key: 'AutomaticStopAction', before: vm.automaticStopAction, after: 'TurnOff', offline: false, command: `Set-VM -Name ${ps(vm.name)} -AutomaticStopAction TurnOff` };
}

/** Free partitions per GPU, less those already promised to earlier VMs of this task. */
export function freePartitions(facts: HypervFacts, gpu: string, taken: Map<string, number>): number {
  const g = facts.gpus.find((x) => x.name === gpu);
  return (g?.partitionCount ?? 0) - facts.adapters.filter((a) => a.instancePath === gpu).length - (taken.get(gpu) ?? 0);
}

function pickGpu(facts: HypervFacts, args: AssignArgs, vm: string, taken: Map<string, number>): string {
  const candidates = args.instance_path ? selectGpus(facts.gpus, args.instance_path) : facts.gpus;
  if (args.instance_path && !candidates.length) throw new Error(`no partitionable GPU matches instance_path '${args.instance_path}'; the host has: ${facts.gpus.map((g) => g.name).join(', ')}`);
  const best = candidates.map((g) => ({ g, free: freePartitions(facts, g.name, taken) })).sort((a, b) => b.free - a.free)[0];
  if (!best || best.free <= 0) {
    const total = candidates.reduce((n, g) => n + g.partitionCount, 0);
    throw new Error(`no free GPU partition on this host for ${vm}: all ${total} partitions of ${candidates.length} GPU(s) are assigned (${[...new Set(facts.adapters.map((a) => a.vm))].join(', ') || 'none'})`);
  }
  taken.set(best.g.name, (taken.get(best.g.name) ?? 0) + 1);
  return best.g.name;
}

/** What the VM's adapter needs: add, converge its resources, move it to the pinned GPU, or nothing. */
export function adapterAction(facts: HypervFacts, args: AssignArgs, vm: HostVm, taken: Map<string, number>): AdapterAction {
  const mine: GpuAdapter | undefined = facts.adapters.find((a) => a.vm === vm.name);
  const want = wantedResources(args);
  const flags = want.map((w) => `-${w.key} ${w.value}`);
  if (!mine) return { kind: 'add', gpu: pickGpu(facts, args, vm.name, taken), flags };
  if (args.instance_path && !selectGpus(facts.gpus, args.instance_path).some((g) => g.name === mine.instancePath)) {
    if (!args.allow_move) {
      throw new Error(`${vm.name} already has a partition of ${gpuLabel(mine.instancePath)}, not of the GPU instance_path pins; a VM can hold only one partition: set allow_move: true to move it (or unassign it first with state: absent)`);
    }
    return { kind: 'move', from: mine.instancePath, gpu: pickGpu(facts, args, vm.name, taken), flags };
  }
  const fields = want.filter((w) => mine.resources[w.key] !== w.value).map((w) => ({ key: w.key, before: mine.resources[w.key] ?? 'not set', after: w.value }));
  return fields.length ? { kind: 'set', gpu: mine.instancePath, flags, fields } : { kind: 'none' };
}
