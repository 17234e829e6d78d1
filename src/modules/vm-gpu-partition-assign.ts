// vm_gpu_partition_assign: give a VM one GPU partition (state: present) or take it back (absent).
// Hyper-V allows one partition per VM and only while the VM is off, so a running VM is turned off,
// changed and started again — the plan says so in check mode, because the guest's workload stops.
import Type, { type Static } from 'typebox';
import type { DiffItem, HostContext, Module, Plan, PlanContext, PreflightResult } from '../engine/contract/module.js';
import { HYPERV_FACTS_SCRIPT, gpuLabel, parseHypervFacts, ps, selectGpus, type HostVm, type HypervFacts } from './lib/hyperv.js';

const GB = 1024 ** 3;
const resource = (what: string) => Type.Optional(Type.Integer({ minimum: 0, description: `${what} for the partition adapter (default: a full partition)` }));

const schema = Type.Object(
  {
    vm: Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })], { description: 'VM name, or a list of names on this host' }),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { description: 'present assigns one partition; absent removes it', default: 'present' })),
    instance_path: Type.Optional(Type.String({ description: 'the GPU (Name / instance path, or a glob) to take the partition from; default: the GPU with the most free partitions' })),
    min_partition_vram: resource('MinPartitionVRAM'),
    max_partition_vram: resource('MaxPartitionVRAM'),
    optimal_partition_vram: resource('OptimalPartitionVRAM'),
    min_partition_encode: resource('MinPartitionEncode'),
    max_partition_encode: resource('MaxPartitionEncode'),
    optimal_partition_encode: resource('OptimalPartitionEncode'),
    min_partition_decode: resource('MinPartitionDecode'),
    max_partition_decode: resource('MaxPartitionDecode'),
    optimal_partition_decode: resource('OptimalPartitionDecode'),
    min_partition_compute: resource('MinPartitionCompute'),
    max_partition_compute: resource('MaxPartitionCompute'),
    optimal_partition_compute: resource('OptimalPartitionCompute'),
    offline_action: Type.Optional(Type.Union([Type.Literal('force_shutdown'), Type.Literal('keep')], {
      description: 'force_shutdown (recommended): cluster OfflineAction=3, or AutomaticStopAction TurnOff on a standalone host, so a failed host fails over; keep leaves it',
      default: 'force_shutdown',
    })),
    configure_vm: Type.Optional(Type.Boolean({ description: 'when assigning, also set GuestControlledCacheTypes and MMIO space (1GB low, 32GB high) as GPU-P needs', default: true })),
    restart_vm: Type.Optional(Type.Boolean({ description: 'start the VM again after the change if it was running', default: true })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

/** A VM setting GPU-P wants, with the PowerShell that sets it. */
interface Setting {
  key: string;
  before: string;
  after: string;
  command: string;
}

interface Change {
  vm: string;
  action: 'add' | 'remove';
  gpu?: string;
  wasRunning: boolean;
  settings: Setting[];
  /** Add-VMGpuPartitionAdapter's VRAM/encode/decode/compute flags, e.g. `-MinPartitionVRAM 1000`. */
  adapterFlags: string[];
  /** Start the VM again afterwards if it was running. */
  restart: boolean;
}

const vmNames = (args: Args): string[] => (Array.isArray(args.vm) ? args.vm : [args.vm]);
const notFound = (vm: string) => `Hyper-V was unable to find a virtual machine with name "${vm}".`;

const ADAPTER_ARGS: Array<[keyof Args, string]> = (['vram', 'encode', 'decode', 'compute'] as const).flatMap((r) =>
  (['min', 'max', 'optimal'] as const).map((b): [keyof Args, string] => [`${b}_partition_${r}` as keyof Args, `-${b[0]!.toUpperCase()}${b.slice(1)}Partition${r === 'vram' ? 'VRAM' : r[0]!.toUpperCase() + r.slice(1)}`]),
);

const size = (bytes: number) => (bytes >= GB ? `${bytes / GB}GB` : `${Math.round(bytes / (1024 * 1024))}MB`);

function vmSettings(vm: HostVm, args: Args, cluster: boolean): Setting[] {
  const out: Setting[] = [];
  const name = ps(vm.name);
  if ((args.configure_vm ?? true) && (!vm.guestControlledCacheTypes || vm.lowMmio < GB || vm.highMmio < 32 * GB)) {
    out.push({
      key: 'GuestControlledCacheTypes / MMIO low / high',
      before: `${vm.guestControlledCacheTypes} / ${size(vm.lowMmio)} / ${size(vm.highMmio)}`,
      after: `true / ${size(Math.max(vm.lowMmio, GB))} / ${size(Math.max(vm.highMmio, 32 * GB))}`,
      command: `Set-VM -Name ${name} -GuestControlledCacheTypes $true -LowMemoryMappedIoSpace ${Math.max(vm.lowMmio, GB)} -HighMemoryMappedIoSpace ${Math.max(vm.highMmio, 32 * GB)}`,
    });
  }
  if ((args.offline_action ?? 'force_shutdown') === 'force_shutdown') {
    // Failover Clustering names a VM's resource 'Virtual Machine <name>'; 3 = force shutdown.
    if (cluster) out.push({ key: 'cluster OfflineAction', before: '(unknown)', after: '3 (force shutdown)', command: `Get-ClusterResource -Name ${ps(`Virtual Machine ${vm.name}`)} | Set-ClusterParameter -Name OfflineAction -Value 3` });
    else if (vm.automaticStopAction !== 'TurnOff') out.push({ key: 'AutomaticStopAction', before: vm.automaticStopAction, after: 'TurnOff', command: `Set-VM -Name ${name} -AutomaticStopAction TurnOff` });
  }
  return out;
}

function planPresent(args: Args, facts: HypervFacts, vm: HostVm, taken: Map<string, number>): Change | string | undefined {
  const mine = facts.adapters.filter((a) => a.vm === vm.name);
  if (mine.length) {
    const wanted = args.instance_path ? selectGpus(facts.gpus, args.instance_path).map((g) => g.name) : undefined;
    if (wanted && !wanted.includes(mine[0]!.instancePath)) {
      return `${vm.name} already has a partition of ${gpuLabel(mine[0]!.instancePath)}; a VM can hold only one partition: unassign it first (state: absent)`;
    }
    return undefined;
  }
  const candidates = args.instance_path ? selectGpus(facts.gpus, args.instance_path) : facts.gpus;
  if (args.instance_path && !candidates.length) return `no partitionable GPU matches instance_path '${args.instance_path}'`;
  const free = (name: string, count: number) => count - facts.adapters.filter((a) => a.instancePath === name).length - (taken.get(name) ?? 0);
  const best = candidates.map((g) => ({ g, free: free(g.name, g.partitionCount) })).sort((a, b) => b.free - a.free)[0];
  if (!best || best.free <= 0) {
    const total = candidates.reduce((n, g) => n + g.partitionCount, 0);
    return `no free GPU partition on this host for ${vm.name}: all ${total} partitions of ${candidates.length} GPU(s) are assigned (${[...new Set(facts.adapters.map((a) => a.vm))].join(', ') || 'none'})`;
  }
  taken.set(best.g.name, (taken.get(best.g.name) ?? 0) + 1);
  return {
    vm: vm.name,
    action: 'add',
    gpu: best.g.name,
    wasRunning: vm.state === 'Running',
    settings: vmSettings(vm, args, facts.cluster),
    adapterFlags: ADAPTER_ARGS.filter(([k]) => args[k] !== undefined).map(([k, flag]) => `${flag} ${args[k]}`),
    restart: args.restart_vm ?? true,
  };
}

function diffFor(c: Change, restart: boolean): DiffItem {
  const fields: Array<{ key: string; before: unknown; after: unknown }> = [
    { key: 'gpu partition', before: c.action === 'add' ? 'none' : 'assigned', after: c.action === 'add' ? gpuLabel(c.gpu!) : 'none' },
  ];
  if (c.wasRunning) fields.push({ key: 'state', before: 'Running', after: restart ? 'Off → Running' : 'Off' });
  for (const s of c.settings) fields.push({ key: s.key, before: s.before, after: s.after });
  return { kind: 'fields', label: `VM ${c.vm}`, fields };
}

function applyScript(c: Change): string {
  const vm = ps(c.vm);
  const body: string[] = [];
  for (const s of c.settings) body.push(s.command);
  if (c.action === 'add') {
    body.push([`Add-VMGpuPartitionAdapter -VMName ${vm} -InstancePath ${ps(c.gpu!)}`, ...c.adapterFlags].join(' '));
  } else {
    body.push(`Remove-VMGpuPartitionAdapter -VMName ${vm}`);
  }
  return [
    "$ErrorActionPreference = 'Stop'",
    `$wasRunning = (Get-VM -Name ${vm}).State -eq 'Running'`,
    `if ($wasRunning) { Stop-VM -Name ${vm} -Force }`,
    'try {',
    ...body.map((l) => `  ${l}`),
    '} catch {',
    `  if ($wasRunning) { Start-VM -Name ${vm} }`,
    '  throw $_',
    '}',
    c.restart ? `if ($wasRunning) { Start-VM -Name ${vm} }` : '',
  ].join('\n');
}

export const vmGpuPartitionAssign: Module<Args, HypervFacts, Change> = {
  meta: {
    name: 'vm_gpu_partition_assign',
    description: 'Assign one GPU partition to a Hyper-V VM (present) or unassign it (absent); a running VM is turned off and started again.',
    platforms: ['windows'],
    checkMode: 'full',
    example: ['- name: One GPU partition for each listed VM', '  vm_gpu_partition_assign:', '    vm: "{{ gpu_vms }}"', '    state: present'].join('\n'),
    returns: {
      vms: 'The VMs named.',
      assigned: 'VM → instance path of its partition before the change.',
      done: 'The VMs changed.',
    },
  },
  schema,

  async read(ctx: HostContext): Promise<HypervFacts> {
    const r = await ctx.run(HYPERV_FACTS_SCRIPT);
    if (r.rc !== 0) throw new Error(`reading Hyper-V facts failed: ${r.stderr.trim() || r.stdout.trim()}`);
    return parseHypervFacts(r.stdout);
  },

  plan(args: Args, facts: HypervFacts, _ctx: PlanContext): Plan<Change> {
    const state = args.state ?? 'present';
    const problems: string[] = [];
    const changes: Change[] = [];
    const taken = new Map<string, number>();
    if (state === 'present' && !facts.gpus.length) return { changes, failed: 'no partitionable GPUs on this host: set up GPU partitioning first (vm_gpu_partition_count)' };
    for (const name of vmNames(args)) {
      const vm = facts.vms.find((v) => v.name.toLowerCase() === name.toLowerCase());
      if (!vm) {
        problems.push(notFound(name));
        continue;
      }
      if (state === 'absent') {
        if (facts.adapters.some((a) => a.vm === vm.name)) changes.push({ vm: vm.name, action: 'remove', wasRunning: vm.state === 'Running', settings: [], adapterFlags: [], restart: args.restart_vm ?? true });
        continue;
      }
      const planned = planPresent(args, facts, vm, taken);
      if (typeof planned === 'string') problems.push(planned);
      else if (planned) changes.push(planned);
    }
    const result = { vms: vmNames(args), assigned: Object.fromEntries(facts.adapters.map((a) => [a.vm, a.instancePath])) };
    if (problems.length) return { changes: [], result, failed: problems.join('\n') };
    if (!changes.length) {
      return { changes, result, reason: state === 'present' ? `every VM already holds a GPU partition (${vmNames(args).join(', ')})` : `no GPU partition assigned to ${vmNames(args).join(', ')}` };
    }
    const restart = args.restart_vm ?? true;
    const running = changes.filter((c) => c.wasRunning).map((c) => c.vm);
    return {
      changes,
      result,
      warnings: running.length ? [`${running.join(', ')} running: turned off (guest shutdown) for the change${restart ? ' and started again' : ''} — save the workload first`] : [],
      reason: changes.map((c) => `${c.action === 'add' ? `assign a partition of ${gpuLabel(c.gpu!)} to` : 'unassign the partition of'} ${c.vm}`).join('; '),
      diff: changes.map((c) => diffFor(c, restart)),
    };
  },

  async apply(ctx: HostContext, plan: Plan<Change>) {
    const done: string[] = [];
    for (const c of plan.changes) {
      const r = await ctx.run(applyScript(c));
      if (r.rc !== 0) {
        const why = r.stderr.trim() || r.stdout.trim();
        return { failed: `${c.action === 'add' ? 'assigning a partition to' : 'unassigning the partition of'} ${c.vm} failed: ${why}`, result: { done } };
      }
      done.push(c.vm);
    }
    return { result: { ...plan.result, done } };
  },

  // A VM named on one host but living on another is a playbook mistake worth naming precisely.
  preflight(targets): PreflightResult {
    const homes = new Map<string, string[]>();
    for (const t of targets) for (const vm of t.current.vms) homes.set(vm.name.toLowerCase(), [...(homes.get(vm.name.toLowerCase()) ?? []), t.host]);
    const errors: string[] = [];
    for (const t of targets) {
      if (t.current.vms.length === 0 && !t.current.cmdlet) continue;
      for (const name of vmNames(t.args)) {
        const here = t.current.vms.some((v) => v.name.toLowerCase() === name.toLowerCase());
        const elsewhere = (homes.get(name.toLowerCase()) ?? []).filter((h) => h !== t.host);
        if (!here && elsewhere.length) errors.push(`VM '${name}' is on host ${elsewhere.join(', ')}, not ${t.host}: a VM and its GPU partition must be on the same host`);
      }
    }
    return { errors, warnings: [] };
  },
};
