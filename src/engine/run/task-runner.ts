// Runs one task on a group of hosts: tag and --start-at-task selection, task_start/task_end,
// run_once, cluster preflight, then every host in parallel (bounded by the strategy), then the
// play's failure policies (any_errors_fatal, max_fail_percentage).
import type { TaskInfo } from '../contract/events.js';
import type { TaskNode } from '../contract/playbook.js';
import { exceedsMaxFail } from './batches.js';
import { executeOnHost } from './execute.js';
import type { HostState } from './host-state.js';
import { effectiveKeywords, effectiveTags } from './inherit.js';
import type { PlayRun, Scope } from './play-state.js';
import { runPreflight } from './preflight.js';
import { flagFor, recordOutcome, shareOutcome, type Recorded } from './record.js';
import type { Outcome } from './result.js';
import { readAheadFor } from './read-ahead.js';
import { startAtMatches, tagsSelected } from './tags.js';
import type { TaskExec } from './unit.js';

export function taskInfo(pr: PlayRun, task: TaskNode, isHandler: boolean): TaskInfo {
  const info: TaskInfo = { id: task.id, name: pr.taskName(task), module: task.module, loc: task.loc, isHandler };
  if (task.role) info.role = task.role.name;
  return info;
}

/** Whether tags and --start-at-task let this task run at all (unselected tasks leave no trace). */
export function selected(pr: PlayRun, task: TaskNode, scope: Scope): boolean {
  if (scope.handler) return true;
  if (!tagsSelected(effectiveTags(task, scope, pr.play), pr.run.tagFilter)) return false;
  if (scope.startAt.pending !== undefined) {
    if (!startAtMatches(scope.startAt.pending, pr.taskName(task), task.role?.name)) return false;
    scope.startAt.pending = undefined;
  }
  return true;
}

export function makeExec(pr: PlayRun, task: TaskNode, scope: Scope): TaskExec {
  const kw = effectiveKeywords(task, scope, pr.play);
  return {
    pr,
    task,
    scope,
    module: pr.run.registry.get(task.module),
    kw,
    name: pr.taskName(task),
    check: kw.checkMode ?? pr.run.checkMode,
    diff: kw.diff ?? pr.run.diffMode,
  };
}

/** The following tasks as they would run (only those the tags select), made once for all hosts. */
function aheadExecs(pr: PlayRun, following: readonly TaskNode[], scope: Scope): () => TaskExec[] {
  let made: TaskExec[] | undefined;
  return () => (made ??= following.filter((t) => tagsSelected(effectiveTags(t, scope, pr.play), pr.run.tagFilter)).map((t) => makeExec(pr, t, scope)));
}

async function timed(fn: () => Promise<Outcome>): Promise<{ o: Outcome; ms: number }> {
  const t0 = performance.now();
  const o = await fn();
  return { o, ms: Math.round(performance.now() - t0) };
}

export async function runTask(pr: PlayRun, task: TaskNode, hosts: readonly HostState[], scope: Scope, following: readonly TaskNode[] = []): Promise<void> {
  if (!hosts.length || !selected(pr, task, scope)) return;
  const run = pr.run;
  const tx = makeExec(pr, task, scope);
  if (following.length && !scope.handler && scope.startAt.pending === undefined) tx.beforeRead = readAheadFor(aheadExecs(pr, following, scope));
  const info = taskInfo(pr, task, scope.handler);
  run.emit({ type: 'task_start', task: info, hosts: hosts.map((h) => h.name) });
  const recorded: Recorded[] = [];

  // Ansible renders run_once once per task, with the first host's variables.
  if (flagFor(tx, hosts[0]!, tx.kw.runOnce)) {
    recorded.push(...(await runOnceTask(tx, hosts, info)));
  } else if (tx.module?.meta.once) {
    const { o, ms } = await timed(() => executeOnHost(tx, hosts[0]!));
    recorded.push(recordOutcome(tx, hosts[0]!, o, info, ms));
  } else {
    let early = new Map<HostState, Outcome>();
    if (tx.module?.preflight) {
      const pf = await runPreflight(tx, tx.module, hosts);
      for (const message of pf.warnings) run.emit({ type: 'warning', message, loc: task.loc });
      if (pf.failure) early = pf.failure;
      else {
        early = pf.early;
        tx.readCache = pf.cache;
      }
    }
    await scope.map(hosts, async (h) => {
      const pre = early.get(h);
      const { o, ms } = pre ? { o: pre, ms: 0 } : await timed(() => executeOnHost(tx, h));
      recorded.push(recordOutcome(tx, h, o, info, ms));
    });
  }
  run.emit({ type: 'task_end', task: info });
  applyFailurePolicies(pr, tx, recorded);
}

async function runOnceTask(tx: TaskExec, hosts: readonly HostState[], info: TaskInfo): Promise<Recorded[]> {
  const { pr } = tx;
  const key = `${tx.scope.key}|${tx.task.id}`;
  let memo = pr.runOnce.get(key) as Promise<{ o: Outcome; ms: number; rec?: Recorded }> | undefined;
  let runner: HostState | undefined;
  if (!memo) {
    runner = hosts[0]!;
    const first = runner;
    memo = timed(() => executeOnHost(tx, first)).then((r) => ({ ...r, rec: recordOutcome(tx, first, r.o, info, r.ms) }));
    pr.runOnce.set(key, memo);
  }
  const { o, rec } = await memo;
  for (const h of hosts) if (h !== runner) shareOutcome(tx, h, o, rec?.failed ?? false);
  return runner && rec ? [rec] : [];
}

function applyFailurePolicies(pr: PlayRun, tx: TaskExec, recorded: Recorded[]): void {
  const run = pr.run;
  if (pr.batch[0] && flagFor(tx, pr.batch[0], tx.kw.anyErrorsFatal) && recorded.some((r) => r.hard)) {
    pr.stop('any_errors_fatal');
    run.emit({ type: 'warning', message: `any_errors_fatal: task '${tx.name}' failed, ending the play for all hosts`, loc: tx.task.loc });
    return;
  }
  const max = pr.play.maxFailPercentage;
  if (max === undefined || !recorded.some((r) => r.hard)) return;
  const failed = pr.batch.filter((h) => h.unreachable || (h.failed && !h.failedRescuable)).length;
  if (exceedsMaxFail(failed, pr.batch.length, max)) {
    pr.stop('max_fail_percentage');
    run.emit({
      type: 'warning',
      message: `max_fail_percentage ${max}% exceeded: ${failed} of ${pr.batch.length} hosts in the batch failed; ending the play`,
      loc: tx.task.loc,
    });
  }
}
