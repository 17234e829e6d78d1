// vm_gpu_partition_count: set how many partitions each partitionable GPU of a Hyper-V host offers.
// Only a count from the GPU's ValidPartitionCounts is possible, and never while a partition of that
// GPU is assigned to a VM. A cluster preflight checks, before any host changes, that every targeted
// GPU is the same model with the same VRAM, valid counts and host driver version (GPU-P clusters must
// be homogeneous), naming the odd host. A host's GPUs change all or none: one GPU that cannot change
// (a partition assigned) blocks the others, and a failed Set puts the ones already set back.
import Type, { type Static } from 'typebox';
import type { HostContext, Module, Plan, PlanContext, PreflightResult } from '../engine/contract/module.js';
import { homogeneityProblems, type HomogeneityRow } from './lib/gpu-homogeneity.js';
import { HYPERV_FACTS_SCRIPT, gpuLabel, mib, parseHypervFacts, ps, selectGpus, vramPerPartition, type HypervFacts } from './lib/hyperv.js';

const schema = Type.Object(
  {
    partition_count: Type.Integer({ minimum: 1, description: "partitions per GPU; must be one of the GPU's ValidPartitionCounts" }),
    gpu: Type.Optional(Type.String({ description: 'a GPU Name (PCI instance path), a glob on it, or all', default: 'all' })),
    require_homogeneous: Type.Optional(Type.Boolean({ description: 'fail the play when the targeted GPUs across all hosts differ in model, VRAM, valid counts or driver version (a warning when false)', default: true })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

interface Change {
  name: string;
  from: number;
  to: number;
  /** Set-VMHostPartitionableGpu, or Set-VMPartitionableGpu on older hosts. */
  cmdlet: string;
}

function noGpuMessage(facts: HypervFacts): string {
  return facts.cmdlet
    ? 'no partitionable GPUs on this host: Get-VMHostPartitionableGpu returned nothing (install a GPU-P capable driver, and make sure the GPU is not assigned with DDA)'
    : 'this host has no GPU partitioning cmdlets (Get-VMHostPartitionableGpu): is Hyper-V installed?';
}

export const vmGpuPartitionCount: Module<Args, HypervFacts, Change> = {
  meta: {
    name: 'vm_gpu_partition_count',
    description: 'Set the partition count of each partitionable GPU on a Hyper-V host (Windows Server 2025 / Azure Local), with a cluster-wide homogeneity preflight.',
    platforms: ['windows'],
    checkMode: 'full',
    example: ['- name: Four partitions per GPU', '  vm_gpu_partition_count:', '    partition_count: 4'].join('\n'),
    returns: {
      gpus: 'Each selected GPU: name, partition_count, valid_partition_counts (before the change).',
      set: 'The GPUs changed and their new partition count.',
    },
  },
  schema,

  async read(ctx: HostContext): Promise<HypervFacts> {
    const r = await ctx.run(HYPERV_FACTS_SCRIPT);
    if (r.rc !== 0) throw new Error(`reading GPU-P facts failed: ${r.stderr.trim() || r.stdout.trim()}`);
    return parseHypervFacts(r.stdout);
  },

  plan(args: Args, facts: HypervFacts, _ctx: PlanContext): Plan<Change> {
    const gpus = selectGpus(facts.gpus, args.gpu);
    if (!facts.gpus.length) return { changes: [], failed: noGpuMessage(facts) };
    if (!gpus.length) return { changes: [], failed: `no partitionable GPU matches '${args.gpu}'; the host has: ${facts.gpus.map((g) => g.name).join(', ')}` };
    const want = args.partition_count;
    const problems: string[] = [];
    const changes: Change[] = [];
    for (const g of gpus) {
      if (!g.validPartitionCounts.includes(want)) {
        problems.push(`${gpuLabel(g.name)}: ${want} is not a valid partition count; valid: ${g.validPartitionCounts.join(', ')}`);
        continue;
      }
      if (g.partitionCount === want) continue;
      const holders = [...new Set(facts.adapters.filter((a) => a.instancePath === g.name).map((a) => a.vm))];
      if (holders.length) {
        problems.push(`${gpuLabel(g.name)}: partitions are assigned to ${holders.join(', ')}; unassign first (vm_gpu_partition_assign state: absent)`);
        continue;
      }
      changes.push({ name: g.name, from: g.partitionCount, to: want, cmdlet: facts.cmdlet === 'Get-VMPartitionableGpu' ? 'Set-VMPartitionableGpu' : 'Set-VMHostPartitionableGpu' });
    }
    const result = {
      gpus: gpus.map((g) => ({
        name: g.name, partition_count: g.partitionCount, valid_partition_counts: g.validPartitionCounts, driver_version: g.driverVersion,
        vram_per_partition: mib(vramPerPartition(g, g.partitionCount)), vram_per_partition_after: mib(vramPerPartition(g, want)),
      })),
    };
    if (problems.length) {
      const all = gpus.length > 1 ? `\nnone of this host's ${gpus.length} selected GPUs was changed (all or none)` : '';
      return { changes: [], result, failed: problems.join('\n') + all };
    }
    if (!changes.length) return { changes, result, reason: `every selected GPU (${gpus.length}) already has ${want} partitions` };
    const byName = new Map(gpus.map((g) => [g.name, g]));
    return {
      changes,
      result,
      reason: changes.map((c) => `set ${gpuLabel(c.name)} from ${c.from} to ${c.to} partitions`).join('; '),
      diff: changes.map((c) => {
        const g = byName.get(c.name)!;
        return {
          kind: 'fields' as const,
          label: gpuLabel(c.name),
          fields: [
            { key: 'partitions', before: c.from, after: c.to },
            { key: 'VRAM per partition', before: mib(vramPerPartition(g, c.from)), after: mib(vramPerPartition(g, c.to)) },
          ],
        };
      }),
    };
  },

  async apply(ctx: HostContext, plan: Plan<Change>) {
    const r = await ctx.run(countScript(plan.changes));
    if (r.rc !== 0) return { failed: `${plan.changes[0]!.cmdlet} failed, and the GPUs set before it were set back: ${r.stderr.trim() || r.stdout.trim()}` };
    return { result: { set: plan.changes.map((c) => ({ name: c.name, partition_count: c.to })) } };
  },

  preflight(targets): PreflightResult {
    const rows: HomogeneityRow[] = [];
    for (const t of targets) for (const gpu of selectGpus(t.current.gpus, t.args.gpu)) rows.push({ host: t.host, gpu });
    const problems = homogeneityProblems(rows);
    if (!problems.length) return { errors: [], warnings: [] };
    const strict = targets.some((t) => t.args.require_homogeneous ?? true);
    return strict ? { errors: [`${problems.join('\n')}\nset require_homogeneous: false to proceed anyway`], warnings: [] } : { errors: [], warnings: problems };
  },
};

/** One Set per GPU by -Name; if one fails, the GPUs already set get their old count back. */
export function countScript(changes: Change[]): string {
  const lines = ["$ErrorActionPreference = 'Stop'", '$step = 0', '$gpu = $null', 'try {'];
  changes.forEach((c, i) => lines.push(`  $gpu = ${ps(gpuLabel(c.name))}; ${c.cmdlet} -Name ${ps(c.name)} -PartitionCount ${c.to}; $step = ${i + 1}`));
  lines.push('} catch {', '  $err = $_');
  changes.forEach((c, i) => lines.push(`  if ($step -gt ${i}) { ${c.cmdlet} -Name ${ps(c.name)} -PartitionCount ${c.from} }`));
  lines.push("  throw ('GPU ' + $gpu + ': ' + $err)", '}');
  return lines.join('\n');
}
