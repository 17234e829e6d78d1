// vm_gpu_partition_assign's preflight across the play's hosts, before any host changes: every VM's
// blocking problems (prerequisites, saved state, wrong GPU) one line each, a VM named on the wrong
// host, and live-migration headroom for clustered VMs — a clustered VM with a partition can move
// (live migration, failover) only to a node with a free partition of the same GPU configuration.
import type { PreflightResult } from '../../engine/contract/module.js';
import type { VmChange } from './gpu-assign-script.js';
import { gpuModel, type HostVm, type HypervFacts } from './hyperv.js';

export interface AssignTarget {
  host: string;
  current: HypervFacts;
  names: string[];
  plan(vm: HostVm, taken: Map<string, number>): VmChange | string[] | undefined;
}

/** "model / N partitions": what a partition must match on the node it moves to. */
function configOf(facts: HypervFacts, gpu: string): string | undefined {
  const g = facts.gpus.find((x) => x.name === gpu);
  return g ? `${gpuModel(g.name)} / ${g.partitionCount} partitions` : undefined;
}

export function preflightAssign(targets: AssignTarget[]): PreflightResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const homes = new Map<string, string[]>();
  for (const t of targets) for (const vm of t.current.vms) homes.set(vm.name.toLowerCase(), [...(homes.get(vm.name.toLowerCase()) ?? []), t.host]);
  // Free partitions per host and configuration once this task's assignments are made.
  const free = new Map<string, Map<string, number>>();
  const clustered: Array<{ host: string; vm: string; config: string; liveMigration: boolean | null }> = [];
  for (const t of targets) {
    const f = new Map<string, number>();
    for (const g of t.current.gpus) {
      const used = t.current.adapters.filter((a) => a.instancePath === g.name).length;
      const k = configOf(t.current, g.name)!;
      f.set(k, (f.get(k) ?? 0) + g.partitionCount - used);
    }
    free.set(t.host, f);
    const taken = new Map<string, number>();
    for (const name of t.names) {
      const vm = t.current.vms.find((v) => v.name.toLowerCase() === name.toLowerCase());
      if (!vm) {
        const elsewhere = (homes.get(name.toLowerCase()) ?? []).filter((h) => h !== t.host);
        if (elsewhere.length) errors.push(`VM '${name}' is on host ${elsewhere.join(', ')}, not ${t.host}: a VM and its GPU partition must be on the same host`);
        continue;
      }
      // A host without GPU-P gets its own message from the plan.
      if (!t.current.gpus.length) continue;
      const planned = t.plan(vm, taken);
      if (Array.isArray(planned)) {
        errors.push(...planned.map((p) => `${t.host}: ${p}`));
        continue;
      }
      const held = t.current.adapters.find((a) => a.vm === vm.name);
      const gpu = planned && (planned.adapter.kind === 'add' || planned.adapter.kind === 'move') ? planned.adapter.gpu : held?.instancePath;
      if (planned?.adapter.kind === 'remove' || !gpu) continue;
      const config = configOf(t.current, gpu);
      if (planned?.adapter.kind === 'add' && config) f.set(config, (f.get(config) ?? 0) - 1);
      if (vm.clustered && config) clustered.push({ host: t.host, vm: vm.name, config, liveMigration: held?.liveMigration ?? null });
    }
  }
  for (const c of clustered) {
    if (c.liveMigration === false) warnings.push(`${c.host}: the partition of clustered VM ${c.vm} does not support live migration (SupportsOutgoingLiveMigration is false): moving it restarts it`);
    const others = targets.filter((t) => t.host !== c.host);
    if (!others.length) continue;
    const room = others.map((t) => ({ host: t.host, n: Math.max(0, free.get(t.host)?.get(c.config) ?? 0) }));
    if (room.every((r) => r.n === 0)) {
      warnings.push(`${c.host}: clustered VM ${c.vm} would find no free partition of ${c.config} on another node (${room.map((r) => `${r.host}: ${r.n}`).join(', ')}): a live migration or failover would leave it without its GPU`);
    }
  }
  return { errors, warnings };
}
