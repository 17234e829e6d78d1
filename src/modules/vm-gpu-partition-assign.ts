// vm_gpu_partition_assign: give a VM one GPU partition with the requested resources (state: present)
// or take it back (absent). Hyper-V changes a partition adapter only while the VM is off, so a
// running VM is shut down (gracefully, then turned off only if force_off), changed and started again;
// a saved VM is refused unless its saved state may be discarded. Prerequisites, saved states and
// live-migration headroom are checked across the play's hosts before any host changes.
import Type, { type Static } from 'typebox';
import type { DiffItem, HostContext, Module, Plan, PlanContext, PreflightResult } from '../engine/contract/module.js';
import { adapterAction, GB, prerequisites, RESOURCE_ARGS, stopActionSetting, type Setting } from './lib/gpu-assign-plan.js';
import { applyScript, type VmChange } from './lib/gpu-assign-script.js';
import { preflightAssign } from './lib/gpu-assign-preflight.js';
import { HYPERV_FACTS_SCRIPT, gpuLabel, parseHypervFacts, type HostVm, type HypervFacts } from './lib/hyperv.js';

const resource = (what: string) => Type.Optional(Type.Integer({ minimum: 0, description: `${what} of the partition adapter; converged with Set-VMGpuPartitionAdapter when it differs (default: not set, a full partition)` }));

const schema = Type.Object(
  {
    vm: Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })], { description: 'VM name, or a list of names on this host' }),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { description: 'present assigns one partition; absent removes it', default: 'present' })),
    instance_path: Type.Optional(Type.String({ description: 'pins the GPU (Name / instance path, or a glob) the partition comes from; default: the GPU with the most free partitions' })),
    allow_move: Type.Optional(Type.Boolean({ description: 'move a partition held on another GPU than instance_path pins (remove, then add); otherwise that is an error', default: false })),
    ...Object.fromEntries(RESOURCE_ARGS.map((r) => [r.arg, resource(r.key)])),
    shutdown_timeout: Type.Optional(Type.Integer({ minimum: 0, description: 'seconds to wait for a graceful guest shutdown (Stop-VM) before giving up or, with force_off, turning the VM off', default: 300 })),
    force_off: Type.Optional(Type.Boolean({ description: 'turn off (Stop-VM -TurnOff) a VM that did not shut down within shutdown_timeout, or a paused one', default: false })),
    discard_saved_state: Type.Optional(Type.Boolean({ description: "discard a saved VM's saved state (Remove-VMSavedState) so it can be changed; it stays off afterwards", default: false })),
    fix_prerequisites: Type.Optional(Type.Boolean({ description: 'set what GPU-P needs on the VM (static memory, GuestControlledCacheTypes, MMIO space) instead of failing on it', default: false })),
    low_mmio_space: Type.Optional(Type.Integer({ minimum: 0, description: 'minimum LowMemoryMappedIoSpace in bytes', default: GB })),
    high_mmio_space: Type.Optional(Type.Integer({ minimum: 0, description: 'minimum HighMemoryMappedIoSpace in bytes', default: 32 * GB })),
    offline_action: Type.Optional(Type.Union([Type.Literal('force_shutdown'), Type.Literal('keep')], {
      description: "force_shutdown (recommended): a clustered VM's resource gets OfflineAction 3, a standalone VM AutomaticStopAction TurnOff, so a failed host fails over; keep leaves them",
      default: 'force_shutdown',
    })),
    restart_vm: Type.Optional(Type.Boolean({ description: 'start the VM again after the change if it was running', default: true })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema> & Record<string, unknown>;
type Change = VmChange;

const vmNames = (args: Args): string[] => (Array.isArray(args.vm) ? args.vm : [args.vm]);
const notFound = (vm: string) => `Hyper-V was unable to find a virtual machine with name "${vm}".`;

function changeFor(args: Args, vm: HostVm, adapter: VmChange['adapter'], settings: Setting[]): VmChange {
  return {
    vm: vm.name,
    state: vm.state,
    needsOff: adapter.kind !== 'none' || settings.some((s) => s.offline),
    adapter,
    settings,
    shutdownTimeout: args.shutdown_timeout ?? 300,
    forceOff: args.force_off ?? false,
    discardSavedState: args.discard_saved_state ?? false,
    restart: args.restart_vm ?? true,
  };
}

/** Problems of the VM's power state that would stop the change: named before anything runs. */
function powerProblem(c: VmChange): string | undefined {
  if (!c.needsOff) return undefined;
  if (c.state === 'Saved' && !c.discardSavedState) return `VM ${c.vm} is in a saved state, which cannot be resumed after a device change; set discard_saved_state: true to discard it`;
  if (c.state !== 'Running' && c.state !== 'Off' && c.state !== 'Saved' && !c.forceOff) return `VM ${c.vm} is ${c.state}: it cannot be shut down gracefully; set force_off: true to turn it off`;
  return undefined;
}

export function planVm(args: Args, facts: HypervFacts, vm: HostVm, taken: Map<string, number>): VmChange | string[] | undefined {
  if ((args.state ?? 'present') === 'absent') {
    const mine = facts.adapters.find((a) => a.vm === vm.name);
    return mine ? changeFor(args, vm, { kind: 'remove', gpu: mine.instancePath }, []) : undefined;
  }
  const { problems, settings } = prerequisites(vm, args);
  const stop = stopActionSetting(vm, args);
  if (typeof stop === 'string') problems.push(stop);
  else if (stop) settings.push(stop);
  let adapter: VmChange['adapter'] = { kind: 'none' };
  try {
    adapter = adapterAction(facts, args, vm, taken);
  } catch (e) {
    problems.push((e as Error).message);
  }
  const c = changeFor(args, vm, adapter, settings);
  const power = powerProblem(c);
  if (power) problems.push(power);
  if (problems.length) return problems;
  return c.adapter.kind === 'none' && !c.settings.length ? undefined : c;
}

function describe(c: VmChange): string {
  const a = c.adapter;
  const what = a.kind === 'add' ? `assign a partition of ${gpuLabel(a.gpu)} to ${c.vm}`
    : a.kind === 'set' ? `resize the partition of ${c.vm} (${a.fields.map((f) => f.key).join(', ')})`
    : a.kind === 'move' ? `move the partition of ${c.vm} from ${gpuLabel(a.from)} to ${gpuLabel(a.gpu)}`
    : a.kind === 'remove' ? `unassign the partition of ${c.vm}`
    : `configure ${c.vm} (${c.settings.map((s) => s.key).join(', ')})`;
  return what;
}

function diffFor(c: VmChange): DiffItem {
  const a = c.adapter;
  const fields: Array<{ key: string; before: unknown; after: unknown }> = [];
  if (a.kind === 'add') fields.push({ key: 'gpu partition', before: 'none', after: gpuLabel(a.gpu) });
  if (a.kind === 'move') fields.push({ key: 'gpu partition', before: gpuLabel(a.from), after: gpuLabel(a.gpu) });
  if (a.kind === 'remove') fields.push({ key: 'gpu partition', before: gpuLabel(a.gpu), after: 'none' });
  if (a.kind === 'set') fields.push(...a.fields);
  if (c.needsOff && c.state !== 'Off') {
    const after = c.state === 'Running' ? (c.restart ? 'Off → Running' : 'Off') : 'Off';
    fields.push({ key: 'state', before: c.state, after: c.state === 'Saved' ? 'Off (saved state discarded)' : after });
  }
  for (const s of c.settings) fields.push({ key: s.key, before: s.before, after: s.after });
  return { kind: 'fields', label: `VM ${c.vm}`, fields };
}

export const vmGpuPartitionAssign: Module<Args, HypervFacts, Change> = {
  meta: {
    name: 'vm_gpu_partition_assign',
    description: 'Assign one GPU partition with the requested resources to a Hyper-V VM (present) or unassign it (absent); the VM is turned off for the change and put back in the state it was in.',
    platforms: ['windows'],
    checkMode: 'full',
    example: ['- name: One GPU partition for each listed VM', '  vm_gpu_partition_assign:', '    vm: "{{ gpu_vms }}"', '    state: present', '    fix_prerequisites: true', '    shutdown_timeout: 300'].join('\n'),
    returns: {
      vms: 'The VMs named.',
      assigned: 'VM → instance path of its partition before the change.',
      live_migration: 'VM → whether its partition can live-migrate (SupportsOutgoingLiveMigration), null when the host does not say.',
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
      const planned = planVm(args, facts, vm, taken);
      if (Array.isArray(planned)) problems.push(...planned);
      else if (planned) changes.push(planned);
    }
    const result = {
      vms: vmNames(args),
      assigned: Object.fromEntries(facts.adapters.map((a) => [a.vm, a.instancePath])),
      live_migration: Object.fromEntries(facts.adapters.map((a) => [a.vm, a.liveMigration])),
    };
    if (problems.length) return { changes: [], result, failed: problems.join('\n') };
    if (!changes.length) {
      return { changes, result, reason: state === 'present' ? `every VM holds a GPU partition as requested (${vmNames(args).join(', ')})` : `no GPU partition assigned to ${vmNames(args).join(', ')}` };
    }
    const stopped = changes.filter((c) => c.needsOff && c.state === 'Running');
    const warnings = stopped.map((c) => `${c.vm} running: shut down (up to ${c.shutdownTimeout} s${c.forceOff ? ', then turned off' : ''}) for the change${c.restart ? ' and started again' : ''} — save the workload first`);
    for (const c of changes.filter((x) => x.state === 'Saved' && x.needsOff)) warnings.push(`${c.vm} saved: its saved state is discarded and it stays off`);
    return { changes, result, warnings, reason: changes.map(describe).join('; '), diff: changes.map(diffFor) };
  },

  async apply(ctx: HostContext, plan: Plan<Change>) {
    const done: string[] = [];
    for (const c of plan.changes) {
      const r = await ctx.run(applyScript(c));
      if (r.rc !== 0) {
        const why = r.stderr.trim() || r.stdout.trim();
        return { failed: `${describe(c)} failed: ${why}`, result: { ...plan.result, done } };
      }
      done.push(c.vm);
    }
    return { result: { ...plan.result, done } };
  },

  preflight(targets): PreflightResult {
    return preflightAssign(targets.map((t) => ({ ...t, plan: (vm: HostVm, taken: Map<string, number>) => planVm(t.args, t.current, vm, taken), names: vmNames(t.args) })));
  },
};
