// One task on one host: `when` (per item for loops), the loop, and turning every error into a
// result (a template error is a failed task with its file:line:col, never a crash).
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidInputError, UnreachableError } from '../contract/diagnostics.js';
import type { Expr } from '../contract/playbook.js';
import type { VarLayer } from '../contract/template.js';
import { Evaluator, UndeterminedError } from './conditions.js';
import { errorText } from './connections.js';
import type { HostState } from './host-state.js';
import { inheritedWhen } from './inherit.js';
import { itemLabel, LoopError, loopItemLayer, loopResultVars, loopValues, loopVarName } from './loop.js';
import { aggregateItems, failedOutcome, skippedOutcome, unreachableOutcome, type Outcome } from './result.js';
import { runUnit, type TaskExec } from './unit.js';
import { taskLayers, valueLayer } from './vars.js';

export function conditionFalse(e: Expr): Outcome {
  const o = skippedOutcome('Conditional result was False');
  o.data.false_condition = e.text;
  return o;
}

/** Any error while running a task on a host, as that host's result. */
export function errorOutcome(err: unknown, tx: Pick<TaskExec, 'task'>): Outcome {
  if (err instanceof UndeterminedError) return skippedOutcome(err.message, { undetermined: true, checkMode: true });
  if (err instanceof UnreachableError) return unreachableOutcome(err.message);
  if (err instanceof InvalidInputError || err instanceof LoopError) return failedOutcome(err.message);
  return failedOutcome(`${tx.task.module}: ${errorText(err)}`);
}

export function layersFor(tx: TaskExec, h: HostState): VarLayer[] {
  return taskLayers(tx.pr, h, tx.task, tx.scope, tx.check);
}

export async function executeOnHost(tx: TaskExec, h: HostState): Promise<Outcome> {
  h.lastTask = tx.name;
  const run = tx.pr.run;
  const ev = new Evaluator(run, h);
  const layers = layersFor(tx, h);
  const whens = inheritedWhen(tx.task, tx.scope);
  try {
    if (tx.task.loop === undefined) {
      const f = ev.firstFalse(whens, layers);
      if (f) return conditionFalse(f);
      if (!tx.module) return failedOutcome(`unknown module '${tx.task.module}'`);
      return await runUnit(tx, tx.module, h, layers, ev, 0);
    }
    return await runLoop(tx, h, layers, whens, ev);
  } catch (err) {
    return errorOutcome(err, tx);
  }
}

/** The loop's items, or (like Ansible) a skip when the list is undefined but `when` is false. */
export function itemsOrSkip(tx: TaskExec, layers: readonly VarLayer[], whens: Expr[], ev: Evaluator): unknown[] | Outcome {
  const { task } = tx;
  try {
    return loopValues(task, layers, task.loopLoc ?? task.loc, ev);
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    let f: Expr | undefined;
    try {
      f = ev.firstFalse(whens, layers);
    } catch {
      throw err;
    }
    if (f) return conditionFalse(f);
    throw err;
  }
}

async function runLoop(tx: TaskExec, h: HostState, layers: VarLayer[], whens: Expr[], ev: Evaluator): Promise<Outcome> {
  const { task } = tx;
  const items = itemsOrSkip(tx, layers, whens, ev);
  if (!Array.isArray(items)) return items;
  if (items.length === 0) return skippedOutcome('No items in the list');
  const loopVar = loopVarName(task.loopControl);
  const pauseMs = (task.loopControl?.pause ?? 0) * 1000;
  const out: Array<Outcome & { label: string }> = [];
  // set_fact in a loop: each item sees the facts the previous items set (Ansible's accumulate idiom).
  const loopFacts: Record<string, unknown> = {};
  const factsLayer = valueLayer('set_fact of earlier items', loopFacts);
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && pauseMs > 0) await sleep(pauseMs, undefined, { signal: tx.pr.run.killSignal }).catch(() => undefined);
    const item = items[i];
    const itemLayers = [...layers, factsLayer, loopItemLayer(task.loopControl, item, i, items)];
    let o: Outcome;
    try {
      const f = ev.firstFalse(whens, itemLayers);
      if (f) o = conditionFalse(f);
      else if (!tx.module) o = failedOutcome(`unknown module '${task.module}'`);
      else o = await runUnit(tx, tx.module, h, itemLayers, ev, i);
    } catch (err) {
      o = errorOutcome(err, tx);
    }
    o.data = { ...o.data, [loopVar]: item, ansible_loop_var: loopVar };
    Object.assign(o.data, loopResultVars(task.loopControl, item, i, items));
    if (o.setVars && o.status !== 'failed') Object.assign(loopFacts, o.setVars);
    out.push({ ...o, label: itemLabel(task.loopControl, item, itemLayers, task.loc, ev) });
    // The connection is gone: the remaining items cannot run either.
    if (o.status === 'unreachable') break;
  }
  const agg = aggregateItems(out);
  agg.delegatedTo = out.find((o) => o.delegatedTo)?.delegatedTo;
  return agg;
}
