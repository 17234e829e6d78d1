// Assembles one invocation's Markdown section and appends it to bench/results/<date>.md.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Environment } from './environment.js';
import type { BenchOptions } from './options.js';
import { comparisonTable, problemsList, ratioTable, scaleTable, summarize, ttyTable, wanRatioTable } from './report.js';
import { describeWan } from './wan/profile.js';
import type { Sample } from './run-one.js';
import type { ScaleResult } from './scale.js';

export interface ResultsInput {
  repoRoot: string;
  started: Date;
  options: BenchOptions;
  env: Environment;
  samples: Sample[];
  scale?: ScaleResult;
  /** Why the bench stopped before finishing (what was measured is still reported). */
  stopped?: string;
  playbookArg: string;
  cpuProfDir?: string;
  out?: string;
}

/** YYYY-MM-DD in local time. */
export function dateStamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

const METHOD = [
  '*Method.* Each tool runs the unchanged reference workload against the same lab hosts (root login, the lab\'s key and',
  'known_hosts). Wall = spawn to exit. Controller CPU = user+sys of the whole process tree, read from a cgroup per run',
  '(so detached OpenSSH ControlPersist masters count too). Hosts CPU = every process of every lab host (sshd, sessions,',
  'the commands run there), from the hosts\' own cgroup. Other load = the machine\'s busy CPU during the run that neither',
  'explains (other work on the machine; large values mean a skewed run). Max RSS = the largest',
  'single process (GNU time %M; for fleetplay the node process); peak PSS = the tree\'s summed proportional set size,',
  'sampled every 200 ms. Connection setup is inside every timing: Ansible and floor (a) start with no ControlMaster',
  '(a fresh ControlPath directory per run; leftover masters are killed after each run). Hosts are reset to fresh',
  'before every first and check run; the second run follows the first. After every run the tool\'s PLAY RECAP and',
  'every host\'s end state (/etc/waagent.conf and the workload directory: content, mode, owner, no stray files) are',
  'checked against a model of the workload; a run that fails a check is not counted in the medians.',
].join('\n');

function repetitions(o: BenchOptions): string {
  const parts: string[] = [];
  if (o.hosts.length) parts.push(`comparison at N = ${o.hosts.join(', ')}: ${o.reps} repetition(s)`);
  if (o.scale.length) parts.push(`scale run at N = ${o.scale.join(', ')}: ${o.scaleReps} repetition(s)`);
  return parts.join('; ');
}

export function resultsMarkdown(r: ResultsInput): string {
  const o = r.options;
  const e = r.env;
  const out: string[] = [
    `## Benchmark ${r.started.toISOString().replace(/\.\d+Z$/, 'Z')}`,
    '',
    `\`npm run bench -- ${process.argv.slice(2).join(' ')}\` — workload \`${r.playbookArg}\`; ${repetitions(o)}.`,
    '',
    `Machine: ${e.cpu}, ${e.cores} cores, ${e.memoryGb} GB, Linux ${e.kernel}; Node ${e.node}; ${e.openssh}${e.ansible ? `; ${e.ansible}` : ''}; fleetplay ${e.commit}${e.fleetplayStart ? `, started from ${e.fleetplayStart}` : ''}.`,
    '',
    METHOD,
  ];
  if (r.stopped) out.push('', `**Stopped early:** ${r.stopped.split('\n')[0]} — the tables hold what was measured before.`);
  const rows = summarize(r.samples);
  for (const profile of o.profiles) {
    for (const n of o.hosts) {
      if (profile === 'lan') out.push('', `### N = ${n}${o.profiles.length > 1 ? ' (LAN)' : ''}`, '', comparisonTable(rows, n), '', ratioTable(rows, n));
      else out.push('', `### N = ${n} (WAN)`, '', `Profile: ${describeWan(o.wan)}.`, '', comparisonTable(rows, n, true), '', wanRatioTable(rows, n));
    }
  }
  if (r.scale) {
    out.push('', `### Scale: fleetplay, and the one-script floor (first run)`, '', scaleTable(r.scale.samples));
    for (const f of r.scale.labFailures) out.push('', `Lab of ${f.n} hosts could not start: ${f.error}`);
    if (r.scale.tty.length) out.push('', '#### Live TTY renderer cost', '', ttyTable(r.scale.tty), '', 'The renderer\'s CPU is what the TTY run\'s CPU profile attributes to listr2 (and its dependencies) and to fleetplay\'s rows and frame writer, as a share of that run\'s CPU (the process tree under GNU time, excluding `script`, which relays the terminal). Both runs of the pair are profiled, so the profiler\'s overhead is on both sides of the piped/TTY difference; that difference compares two separate runs and carries their noise (± several per cent at this size).');
  }
  if (r.cpuProfDir) out.push('', `CPU profiles of the fleetplay runs: \`${r.cpuProfDir}\` (summarize one with \`npx tsx bench/profile-summary.ts FILE\`).`);
  out.push('', '### Correctness', '', problemsList([...r.samples, ...(r.scale?.samples ?? []), ...(r.scale?.tty.map((p) => p.tty) ?? [])]), '');
  return out.join('\n');
}

export async function writeResults(r: ResultsInput): Promise<{ file: string; markdown: string }> {
  const file = r.out ? resolve(r.out) : join(r.repoRoot, 'bench', 'results', `${dateStamp(r.started)}.md`);
  await mkdir(dirname(file), { recursive: true });
  const markdown = resultsMarkdown(r);
  await appendFile(file, `${markdown}\n`);
  return { file, markdown };
}
