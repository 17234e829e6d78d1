// `fleetplay report merge`: shard reports of one run joined into the report an unsharded run would
// have written — plays and tasks in their order, every host's results and recap line, the worst exit
// code. Reports that do not belong together are refused rather than merged into a recap that
// describes no real run: other playbooks or inventory (digests), other shard counts, a shard
// missing or given twice, or a host that ran in two shards.
import { ExitCode, InvalidInputError, type Diagnostic } from '../engine/contract/diagnostics.js';
import type { PlayReport, RunReport, TaskReport } from '../engine/report/json-schema.js';

export interface ShardReport {
  file: string;
  /** The file's text, to place problems at the line of the key they concern. */
  text: string;
  report: RunReport;
}

export interface Merged {
  report: RunReport;
  exitCode: number;
}

// The most actionable outcome wins: as a run of several playbooks ranks them (DESIGN.md exit codes).
const RANK: number[] = [ExitCode.ok, ExitCode.unreachable, ExitCode.hostFailed, ExitCode.invalidInput, ExitCode.badOptions, ExitCode.internal, ExitCode.interrupted];
export const worstExit = (a: number, b: number): number => (RANK.indexOf(b) > RANK.indexOf(a) ? b : a);

/** What a report's recap says, for reports that do not record their exit code. */
export function exitFromRecap(r: Pick<RunReport, 'stats' | 'interrupted'>): number {
  if (r.interrupted) return ExitCode.interrupted;
  const all = Object.values(r.stats);
  if (all.some((s) => s.failed > 0)) return ExitCode.hostFailed;
  if (all.some((s) => s.unreachable > 0)) return ExitCode.unreachable;
  return ExitCode.ok;
}

/** The line of a top-level key in a report as fleetplay writes it (two-space indented JSON). */
export function keyLoc(s: Pick<ShardReport, 'file' | 'text'>, key: string): { file: string; line: number; col: number } {
  const at = s.text.indexOf(`\n  "${key}":`);
  return at < 0 ? { file: s.file, line: 1, col: 1 } : { file: s.file, line: s.text.slice(0, at + 1).split('\n').length, col: 3 };
}

export function mergeShardReports(list: readonly ShardReport[]): Merged {
  if (!list.length) throw new InvalidInputError({ message: 'report merge: no reports given' });
  checkTogether(list);
  const first = list[0]!.report;
  const ordered = [...list].sort((a, b) => a.report.shard!.index - b.report.shard!.index);
  const report: RunReport = {
    version: 1,
    playbook: first.playbook,
    playbooks: [...first.playbooks],
    checkMode: first.checkMode,
    diffMode: ordered.some((s) => s.report.diffMode),
    startedAt: ordered.map((s) => s.report.startedAt).sort()[0]!,
    endedAt: ordered.map((s) => s.report.endedAt).sort().at(-1)!,
    interrupted: ordered.some((s) => s.report.interrupted),
    plays: mergeInOrder(
      ordered.map((s) => s.report.plays),
      (p) => p.id,
      (into, p) => {
        into.hosts.push(...p.hosts);
        into.tasks = mergeInOrder([into.tasks, p.tasks], (t) => t.id, (t, o) => void t.results.push(...o.results), cloneTask);
      },
      (p): PlayReport => ({ ...p, hosts: [...p.hosts], tasks: p.tasks.map(cloneTask) }),
    ),
    warnings: ordered.flatMap((s) => s.report.warnings),
    stats: Object.assign({}, ...ordered.map((s) => s.report.stats)),
    inputs: { ...first.inputs! },
    merged: { shards: ordered.length, files: ordered.map((s) => s.file) },
  };
  const pending = ordered.filter((s) => s.report.pendingHandlers).map((s) => s.report.pendingHandlers!);
  if (pending.length) report.pendingHandlers = Object.assign({}, ...pending);
  // Each host is in one shard, so its remote-command counts come from that shard's report.
  const remote = ordered.filter((s) => s.report.remote).map((s) => s.report.remote!);
  if (remote.length) report.remote = Object.assign({}, ...remote);
  let exitCode = exitFromRecap(report);
  for (const s of ordered) exitCode = worstExit(exitCode, s.report.exitCode ?? exitFromRecap(s.report));
  report.exitCode = exitCode;
  return { report, exitCode };
}

const cloneTask = (t: TaskReport): TaskReport => ({ ...t, results: [...t.results] });

function checkTogether(list: readonly ShardReport[]): void {
  const problems: Diagnostic[] = [];
  for (const s of list) {
    if (!s.report.shard) problems.push({ loc: keyLoc(s, 'version'), message: `${s.file} is not a shard report: it has no "shard" (reports of 'fleetplay --shard k/n --json FILE' are merged)` });
    else if (!s.report.inputs) problems.push({ loc: keyLoc(s, 'shard'), message: `${s.file} has no "inputs" digests: it was written by an older fleetplay; run the shard again` });
  }
  if (problems.length) throw new InvalidInputError(problems);
  const [first, ...rest] = list as [ShardReport, ...ShardReport[]];
  const f = first.report;
  const same = (what: string, key: string, a: unknown, b: unknown, s: ShardReport) => {
    if (a !== b) problems.push({ loc: keyLoc(s, key), message: `${s.file} ${what} than ${first.file}: these reports are not shards of one run`, hint: 'merge only the reports of one sharded run (same playbooks, inventory and options)' });
  };
  for (const s of rest) {
    const r = s.report;
    same(`has other playbooks (digest ${r.inputs!.playbooks.slice(0, 12)}…, not ${f.inputs!.playbooks.slice(0, 12)}…)`, 'inputs', r.inputs!.playbooks, f.inputs!.playbooks, s);
    same(`has another inventory (digest ${r.inputs!.inventory.slice(0, 12)}…, not ${f.inputs!.inventory.slice(0, 12)}…)`, 'inputs', r.inputs!.inventory, f.inputs!.inventory, s);
    same(`is split ${r.shard!.count} ways, not ${f.shard!.count}`, 'shard', r.shard!.count, f.shard!.count, s);
    same(`was ${r.checkMode ? '' : 'not '}a check-mode run, unlike the other`, 'checkMode', r.checkMode, f.checkMode, s);
  }
  if (problems.length) throw new InvalidInputError(problems);
  const byIndex = new Map<number, ShardReport>();
  for (const s of list) {
    const seen = byIndex.get(s.report.shard!.index);
    if (seen) problems.push({ loc: keyLoc(s, 'shard'), message: `shard ${s.report.shard!.index}/${f.shard!.count} is given twice: ${seen.file} and ${s.file}` });
    else byIndex.set(s.report.shard!.index, s);
  }
  const missing = Array.from({ length: f.shard!.count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length) {
    // A missing shard's hosts would silently drop out of the recap: refuse, and name them.
    problems.push({ message: `shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${f.shard!.count}`).join(', ')} missing: give the report of every shard (an empty shard writes one too)` });
  }
  const ranOn = new Map<string, string>();
  for (const s of list) {
    for (const host of Object.keys(s.report.stats)) {
      const other = ranOn.get(host);
      if (other) problems.push({ loc: keyLoc(s, 'stats'), message: `host ${host} ran in two shards (${other} and ${s.file}): the reports overlap` });
      else ranOn.set(host, s.file);
    }
  }
  if (problems.length) throw new InvalidInputError(problems);
}

/**
 * Lists of keyed entries joined in the order they ran: an entry only some shards have (a play or
 * task whose hosts all fell in other shards) goes after its predecessor in the list that has it.
 */
function mergeInOrder<T>(lists: readonly (readonly T[])[], key: (t: T) => string, join: (into: T, other: T) => void, clone: (t: T) => T): T[] {
  const out: T[] = [];
  const index = new Map<string, T>();
  for (const list of lists) {
    let after = -1;
    for (const item of list) {
      const k = key(item);
      const have = index.get(k);
      if (have) {
        join(have, item);
        after = out.indexOf(have);
      } else {
        const copy = clone(item);
        index.set(k, copy);
        out.splice(after + 1, 0, copy);
        after += 1;
      }
    }
  }
  return out;
}
