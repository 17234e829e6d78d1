// What a task's result does to its host: register, set_fact, facts, handler notifications,
// failure state and stats, and the host_result event.
import type { TaskInfo, TaskResult } from '../contract/events.js';
import type { Expr } from '../contract/playbook.js';
import { Evaluator } from './conditions.js';
import { notifyHandlers } from './handlers.js';
import type { HostState } from './host-state.js';
import type { Outcome } from './result.js';
import { toTaskResult } from './result.js';
import { countResult } from '../contract/stats.js';
import type { TaskExec } from './unit.js';
import { layersFor } from './execute.js';

/** Applies register / set_fact / facts (also for hosts sharing a run_once result). */
export function applyVars(tx: TaskExec, h: HostState, o: Outcome): void {
  if (tx.task.register) h.setVar(tx.task.register, o.data, o.undetermined ? tx.name : undefined);
  if (o.status === 'failed' || o.status === 'unreachable' || o.status === 'skipped') return;
  if (o.setVars) for (const [k, v] of Object.entries(o.setVars)) h.setVar(k, v);
  if (o.includeVars) h.includeVars(o.includeVars);
  for (const change of o.inventory ?? []) tx.pr.run.changeInventory(change);
  if (o.facts) h.mergeFacts(o.facts);
}

function ignoreErrors(tx: TaskExec, h: HostState): boolean {
  const ie = tx.kw.ignoreErrors;
  if (ie === undefined || typeof ie === 'boolean') return ie ?? false;
  try {
    return new Evaluator(tx.pr.run, h).condition(ie, layersFor(tx, h), ie.loc);
  } catch {
    return false;
  }
}

/** A keyword flag given as `{{ }}`, rendered with this host's variables (false when it cannot be). */
export function flagFor(tx: TaskExec, h: HostState, v: boolean | Expr | undefined): boolean {
  if (v === undefined || typeof v === 'boolean') return v ?? false;
  try {
    return new Evaluator(tx.pr.run, h).flag(v, layersFor(tx, h)) ?? false;
  } catch {
    return false;
  }
}

export interface Recorded {
  /** Failed or unreachable and not ignored (a rescue may still catch it). */
  failed: boolean;
  /** ... and no rescue will: counts for any_errors_fatal and max_fail_percentage. */
  hard: boolean;
}

/** Records one host's outcome (vars, notifications, failure state, stats, the host_result event). */
export function recordOutcome(tx: TaskExec, h: HostState, o: Outcome, info: TaskInfo, durationMs: number, uncounted = false): Recorded {
  const { pr, kw } = tx;
  const run = pr.run;
  applyVars(tx, h, o);
  if (o.status === 'changed' && tx.task.notify.length) {
    notifyHandlers(pr, h, tx.task.notify, (message) => run.emit({ type: 'warning', message, host: h.name, loc: tx.task.loc }), !tx.check);
  }
  let ignored = false;
  let rescued = false;
  let hard = false;
  if (o.status === 'failed') {
    ignored = !o.fatal && ignoreErrors(tx, h);
    if (!ignored) {
      rescued = !o.fatal && tx.scope.rescuable;
      h.markFailed(rescued, { task: tx.name, loc: tx.task.loc, result: o.data });
      // A fatal failure (drift from a saved plan) stops the host: no rescue, always or handler runs.
      if (o.fatal) h.ended = true;
      pr.changed();
      hard = !rescued;
      if (hard) run.failures.push({ host: h.name, task: tx.name, loc: tx.task.loc, msg: kw.noLog ? 'hidden (no_log)' : (o.msg ?? 'failed'), unreachable: false });
    }
  } else if (o.status === 'unreachable') {
    ignored = flagFor(tx, h, kw.ignoreUnreachable);
    if (!ignored) {
      h.unreachable = true;
      pr.changed();
      hard = true;
      run.failures.push({ host: h.name, task: tx.name, loc: tx.task.loc, msg: o.msg ?? 'unreachable', unreachable: true });
      void run.connections.reset(h.name);
    }
  }
  const result: TaskResult = toTaskResult(o, { durationMs, noLog: kw.noLog, ignored, rescued, delegatedTo: o.delegatedTo });
  if (!uncounted) countResult(h.stats, result);
  run.emit({ type: 'host_result', task: info, host: h.name, result });
  return { failed: (o.status === 'failed' || o.status === 'unreachable') && !ignored, hard };
}

/** run_once: another host of the batch takes the runner's result (no event, no stats). */
export function shareOutcome(tx: TaskExec, h: HostState, o: Outcome, runnerFailed: boolean): void {
  applyVars(tx, h, o);
  // Ansible fails every host of the play when a run_once task fails.
  if (runnerFailed && !h.unreachable) {
    h.markFailed(tx.scope.rescuable, { task: tx.name, loc: tx.task.loc, result: o.data });
    tx.pr.changed();
  }
}
