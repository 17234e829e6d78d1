// The GPU-P cluster homogeneity check: every node's partitionable GPUs must match in model, VRAM,
// valid partition counts and host driver version (Microsoft's GPU-P requirements for clusters). The
// table groups hosts per configuration; one line per differing attribute names the odd host(s).
import { gpuModel, mib, type PartitionableGpu } from './hyperv.js';

export interface HomogeneityRow {
  host: string;
  gpu: PartitionableGpu;
}

const ATTRIBUTES: Array<{ label: string; value: (g: PartitionableGpu) => string }> = [
  { label: 'model', value: (g) => gpuModel(g.name) },
  { label: 'total VRAM', value: (g) => mib(g.totalVram) },
  { label: 'valid partition counts', value: (g) => g.validPartitionCounts.join(',') },
  { label: 'driver version', value: (g) => g.driverVersion || 'unknown' },
];

export function homogeneityProblems(rows: HomogeneityRow[]): string[] {
  const key = (g: PartitionableGpu) => ATTRIBUTES.map((a) => a.value(g)).join(' | ');
  const kinds = new Map<string, string[]>();
  for (const r of rows) kinds.set(key(r.gpu), [...(kinds.get(key(r.gpu)) ?? []), r.host]);
  if (kinds.size <= 1) return [];
  const lines = [
    `the targeted GPUs are not homogeneous (${ATTRIBUTES.map((a) => a.label).join(' | ')} → hosts):`,
    ...[...kinds.entries()].map(([k, hosts]) => `  ${k} → ${[...new Set(hosts)].join(', ')}`),
  ];
  for (const a of ATTRIBUTES) {
    const byValue = new Map<string, Set<string>>();
    for (const r of rows) byValue.set(a.value(r.gpu), (byValue.get(a.value(r.gpu)) ?? new Set()).add(r.host));
    if (byValue.size <= 1) continue;
    // The value most hosts have is the reference; the others are the odd ones.
    const sorted = [...byValue.entries()].sort((x, y) => y[1].size - x[1].size);
    const [common, commonHosts] = sorted[0]!;
    for (const [value, hosts] of sorted.slice(1)) {
      lines.push(`  ${a.label}: ${[...hosts].join(', ')} ${hosts.size > 1 ? 'have' : 'has'} ${value}, ${[...commonHosts].join(', ')} ${common}`);
    }
  }
  return [lines.join('\n')];
}
