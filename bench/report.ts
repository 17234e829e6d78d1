// The results as Markdown (bench/results/<date>.md and stdout): medians over passing runs with their
// spread, failures counted next to them, ratios against the issue's targets. Pure formatting.
import type { Sample } from './run-one.js';
import { formatMegabytes, formatPerHost, formatRatio, formatSeconds, median, ratio, sessionsPerHost, spread } from './stats.js';
import { RUN_KINDS, TOOL_NAMES, type RunKind, type ToolName } from './tools/tool.js';

export interface Row {
  n: number;
  /** The comparison's profile (absent: LAN). */
  profile?: 'wan';
  tool: ToolName;
  kind: RunKind;
  passed: number;
  total: number;
  wallMs: number[];
  cpuMs: number[];
  hostCpuMs: number[];
  otherCpuMs: number[];
  maxRssKb: number[];
  treePssKb: number[];
  /** Per passing run: every host's sessions and round trips (see remote/probe.ts). */
  sessions: number[][];
  roundTrips: number[][];
}

/** Groups samples by (size, tool, run); only passing runs feed the figures. */
export function summarize(samples: readonly Sample[]): Row[] {
  const rows = new Map<string, Row>();
  for (const s of samples) {
    if (s.tty) continue;
    const key = `${s.profile ?? 'lan'}|${s.n}|${s.tool}|${s.kind}`;
    let r = rows.get(key);
    if (!r) {
      r = { n: s.n, ...(s.profile ? { profile: s.profile } : {}), tool: s.tool, kind: s.kind, passed: 0, total: 0, wallMs: [], cpuMs: [], hostCpuMs: [], otherCpuMs: [], maxRssKb: [], treePssKb: [], sessions: [], roundTrips: [] };
      rows.set(key, r);
    }
    r.total++;
    if (s.problems.length) continue;
    r.passed++;
    r.wallMs.push(s.m.wallMs);
    r.cpuMs.push(s.m.cpuMs);
    r.hostCpuMs.push(s.m.hostCpuMs);
    r.otherCpuMs.push(s.m.otherCpuMs);
    r.maxRssKb.push(s.m.maxRssKb);
    r.treePssKb.push(s.m.treePssPeakKb);
    if (s.remote) {
      r.sessions.push(sessionsPerHost(s.remote));
      if (s.remote.roundTrips.length) r.roundTrips.push(s.remote.roundTrips);
    }
  }
  const order = (r: Row) => [r.profile ? 1 : 0, r.n, TOOL_NAMES.indexOf(r.tool), RUN_KINDS.indexOf(r.kind)];
  return [...rows.values()].sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]! || x[3]! - y[3]!;
  });
}

const TOOL_LABEL: Record<ToolName, string> = {
  fleetplay: 'fleetplay',
  ansible: 'ansible-playbook (tuned)',
  'floor-steps': 'raw SSH (a) per step',
  'floor-script': 'raw SSH (b) one script',
};

function wallCell(values: number[]): string {
  if (!values.length) return '—';
  const s = spread(values);
  return values.length > 1 ? `**${formatSeconds(s.median)}** (${formatSeconds(s.min)}–${formatSeconds(s.max)})` : `**${formatSeconds(s.median)}**`;
}

/** Per-host counts of the median repetition (by the hosts' median); `—` when not measured. */
function perHostCell(runs: readonly number[][]): string {
  if (!runs.length) return '—';
  const byMedian = [...runs].sort((a, b) => median(a) - median(b));
  return formatPerHost(byMedian[(byMedian.length - 1) >> 1]!);
}

const inProfile = (r: Row, wan: boolean) => (r.profile === 'wan') === wan;

export function comparisonTable(rows: readonly Row[], n: number, wan = false): string {
  const out = [
    `| tool | run | wall, median (min–max) | remote commands / host | round trips / host | controller CPU (tree) | hosts CPU (all lab hosts) | max RSS (largest process) | peak PSS (tree) | other load | passed |`,
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows.filter((x) => x.n === n && inProfile(x, wan))) {
    const fail = r.passed < r.total ? ` ⚠ ${r.total - r.passed} failed` : '';
    out.push(`| ${TOOL_LABEL[r.tool]} | ${r.kind} | ${wallCell(r.wallMs)} | ${perHostCell(r.sessions)} | ${perHostCell(r.roundTrips)} | ${formatSeconds(median(r.cpuMs))} | ${formatSeconds(median(r.hostCpuMs))} | ${formatMegabytes(median(r.maxRssKb))} | ${formatMegabytes(median(r.treePssKb))} | ${formatSeconds(median(r.otherCpuMs))} | ${r.passed}/${r.total}${fail} |`);
  }
  return out.join('\n');
}

function find(rows: readonly Row[], n: number, tool: ToolName, kind: RunKind, wan = false): Row | undefined {
  return rows.find((r) => r.n === n && r.tool === tool && r.kind === kind && inProfile(r, wan));
}

const med = (r: Row | undefined, f: 'wallMs' | 'cpuMs') => (r ? median(r[f]) : Number.NaN);

/** Ratios of medians with the issue's targets: ≥ 10× faster than Ansible; ≤ 1.5× the per-step floor at N=50. */
export function ratioTable(rows: readonly Row[], n: number): string {
  const out = [
    '| run | ansible / fleetplay (wall) | target ≥ 10× | fleetplay / floor (a) (wall) | target ≤ 1.5× (N=50) | fleetplay / floor (b) (wall) | ansible / fleetplay (CPU) | fleetplay / floor (a) (CPU) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const kind of RUN_KINDS) {
    const fp = find(rows, n, 'fleetplay', kind);
    if (!fp) continue;
    const an = find(rows, n, 'ansible', kind);
    const fa = find(rows, n, 'floor-steps', kind);
    const fb = find(rows, n, 'floor-script', kind);
    const vsAnsible = ratio(med(an, 'wallMs'), med(fp, 'wallMs'));
    const vsFloor = ratio(med(fp, 'wallMs'), med(fa, 'wallMs'));
    const mark = (ok: boolean, r: number) => (Number.isFinite(r) ? (ok ? '✓' : '✗') : '—');
    const floorMark = n === 50 ? mark(vsFloor <= 1.5, vsFloor) : 'n/a';
    out.push(
      `| ${kind} | ${formatRatio(vsAnsible)} | ${mark(vsAnsible >= 10, vsAnsible)} | ${formatRatio(vsFloor)} | ${floorMark} | ${formatRatio(ratio(med(fp, 'wallMs'), med(fb, 'wallMs')))} | ${formatRatio(ratio(med(an, 'cpuMs'), med(fp, 'cpuMs')))} | ${formatRatio(ratio(med(fp, 'cpuMs'), med(fa, 'cpuMs')))} |`,
    );
  }
  return out.join('\n');
}

/**
 * The WAN profile's ratios, measured in the same run, against issue 19's first-run goals: ≥ 30×
 * faster than Ansible and ≤ 1.2× the one-script floor (b).
 */
export function wanRatioTable(rows: readonly Row[], n: number): string {
  const out = [
    '| run | ansible / fleetplay (wall) | goal ≥ 30× (first) | fleetplay / floor (b) one script (wall) | goal ≤ 1.2× (first) | fleetplay / floor (a) per step (wall) |',
    '|---|---|---|---|---|---|',
  ];
  for (const kind of RUN_KINDS) {
    const fp = find(rows, n, 'fleetplay', kind, true);
    if (!fp) continue;
    const vsAnsible = ratio(med(find(rows, n, 'ansible', kind, true), 'wallMs'), med(fp, 'wallMs'));
    const vsScript = ratio(med(fp, 'wallMs'), med(find(rows, n, 'floor-script', kind, true), 'wallMs'));
    const vsSteps = ratio(med(fp, 'wallMs'), med(find(rows, n, 'floor-steps', kind, true), 'wallMs'));
    const mark = (ok: boolean, r: number) => (kind !== 'first' ? 'n/a' : Number.isFinite(r) ? (ok ? '✓' : '✗') : '—');
    out.push(`| ${kind} | ${formatRatio(vsAnsible)} | ${mark(vsAnsible >= 30, vsAnsible)} | ${formatRatio(vsScript)} | ${mark(vsScript <= 1.2, vsScript)} | ${formatRatio(vsSteps)} |`);
  }
  return out.join('\n');
}

/** Issue 19's controller memory goals: < 200 MB up to 500 hosts, < 400 MB up to 1,000. */
export function rssGoalMb(n: number): number {
  return n <= 500 ? 200 : 400;
}

export function scaleTable(samples: readonly Sample[]): string {
  const out = [
    '| N | tool | run | wall | fleetplay / one-script floor (wall) | remote commands / host | controller CPU (tree) | hosts CPU | max RSS (largest process) | goal (fleetplay) | per-host task time min / median / max | other load | passed |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const shown = samples.filter((x) => !x.tty);
  for (const s of shown) {
    const t = spread((s.hostTaskMs ?? []).filter(Number.isFinite));
    const times = t.count ? `${formatSeconds(t.min)} / ${formatSeconds(t.median)} / ${formatSeconds(t.max)}` : '—';
    const rss = s.m.maxRssKb;
    const ok = s.problems.length === 0;
    const fp = s.tool === 'fleetplay';
    const goal = rssGoalMb(s.n);
    const target = !fp ? '—' : Number.isFinite(rss) ? `${rss < goal * 1024 ? '✓' : '✗'} < ${goal} MB` : '—';
    const floor = fp ? shown.find((x) => x.tool === 'floor-script' && x.n === s.n && x.kind === s.kind && x.rep === s.rep && !x.problems.length) : undefined;
    const vsFloor = floor && ok ? formatRatio(ratio(s.m.wallMs, floor.m.wallMs)) : '—';
    const sessions = s.remote ? formatPerHost(sessionsPerHost(s.remote)) : '—';
    out.push(`| ${s.n} | ${TOOL_LABEL[s.tool]} | ${s.kind} | ${formatSeconds(s.m.wallMs)} | ${vsFloor} | ${sessions} | ${formatSeconds(s.m.cpuMs)} | ${formatSeconds(s.m.hostCpuMs)} | ${formatMegabytes(rss)} | ${target} | ${times} | ${formatSeconds(s.m.otherCpuMs)} | ${ok ? 'yes' : '⚠ no'} |`);
  }
  return out.join('\n');
}

export interface TtyPair {
  n: number;
  piped: Sample;
  tty: Sample;
  /** CPU the TTY run's profile attributes to the live renderer (listr2, our rows and frame writer). */
  rendererMs?: number;
}

/**
 * Renderer cost, two ways: what the TTY run's CPU profile attributes to the renderer, as a share of
 * that run's CPU (judged against the target: it does not depend on two runs' noise), and the extra
 * CPU of the run under a pseudo-terminal over the piped one (as a cross-check; ± several per cent
 * between any two runs at this size).
 */
export function ttyTable(pairs: readonly TtyPair[]): string {
  const out = [
    '| N | renderer CPU in the TTY run (profile) | share of that run\'s CPU | target < 5 % | fleetplay CPU piped / under a TTY | difference | wall piped / TTY |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const p of pairs) {
    const a = p.piped.m.mainCpuMs;
    const b = p.tty.m.mainCpuMs;
    const diff = ratio(b - a, b);
    const share = p.rendererMs === undefined ? NaN : ratio(p.rendererMs, b);
    const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : '—');
    const bad = p.piped.problems.length || p.tty.problems.length ? ' ⚠ a run failed' : '';
    const verdict = Number.isFinite(share) ? (share < 0.05 ? '✓' : '✗') : '—';
    out.push(
      `| ${p.n} | ${p.rendererMs === undefined ? '—' : formatSeconds(p.rendererMs)} | ${pct(share)}${bad} | ${verdict} | ${formatSeconds(a)} / ${formatSeconds(b)} | ${pct(diff)} | ${formatSeconds(p.piped.m.wallMs)} / ${formatSeconds(p.tty.m.wallMs)} |`,
    );
  }
  return out.join('\n');
}

export function problemsList(samples: readonly Sample[]): string {
  const failed = samples.filter((s) => s.problems.length);
  if (!failed.length) return 'Every run passed its correctness checks.';
  return failed
    .map((s) => `- N=${s.n} ${s.tool} ${s.kind}${s.tty ? ' (TTY)' : ''} rep ${s.rep} (${formatSeconds(s.m.wallMs)}): ${s.problems.slice(0, 4).join('; ')}${s.problems.length > 4 ? ` (+${s.problems.length - 4} more)` : ''} — log: ${s.log}`)
    .join('\n');
}
