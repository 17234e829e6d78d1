// Read-ahead: fewer round trips per host. Before a task runs on a host, the engine looks at the tasks
// that follow it in the same list and learns which command each one's read will send first (by
// running the read against a stand-in connection that only records). Those reads then go to the
// host together — riding on the current task's own command, or as one batch when the current task
// only reads — and each task later finds its answer waiting (connection/read-ahead.ts keeps them,
// and throws them away as soon as anything else is sent to the host).
//
// Only modules that declare `meta.readAhead` (their read depends on nothing but the host's files)
// are read early. The look stops at the first task that may change the host from outside this
// connection or whose answer could go stale by waiting: a non-read-ahead module that will really
// run (not in check mode), a delegated or run_once task, a loop, anything not a plain task.
// Arguments that would call a lookup are not rendered early (a lookup may have side effects).
//
// Every task looks at the tasks after it, so without memory a task would be worked out again at
// each of the 16 tasks before it. What a task would read is kept per host and worked out again only
// when the host's variables changed (register, set_fact, facts, add_host) or the play run is another
// (a serial batch). A kept answer can be stale only in other ways (another host's variables): that
// costs a read sent for nothing, never a wrong answer, since the connection hands out an answer only
// to the identical command, once, while nothing else was sent to the host.
import type { Connection } from '../contract/connection.js';
import type { PlayItem, TaskNode } from '../contract/playbook.js';
import type { BatchItem } from '../connection/exec-batch.js';
import { ReadAheadConnection, RecordingConnection } from '../connection/read-ahead.js';
import { Evaluator } from './conditions.js';
import type { HostState } from './host-state.js';
import { inheritedWhen } from './inherit.js';
import { isOutcome, prepareUnit, type PreparedUnit, type TaskExec } from './unit.js';
import { taskLayers } from './vars.js';

/** How many following tasks are looked at. */
const WINDOW = 16;

/** Controller-side modules that take no time: the look goes on past them. */
const INSTANT = new Set(['debug', 'set_fact', 'assert']);

const CALLS_LOOKUP = /\b(lookup|query|q|now|pipe)\s*\(/;

/** The following plain tasks a read-ahead may look at (stops at blocks, includes, meta). */
export function followingTasks(items: readonly PlayItem[], index: number): TaskNode[] {
  const out: TaskNode[] = [];
  for (let i = index + 1; i < items.length && out.length < WINDOW; i++) {
    const it = items[i]!;
    if (it.kind !== 'task') break;
    out.push(it);
  }
  return out;
}

/** The first command `tx`'s read would send on `h` with these prepared args; undefined if none or unknown. */
async function firstRead(tx: TaskExec, p: PreparedUnit): Promise<BatchItem | undefined> {
  const module = tx.module;
  if (!module?.meta.readAhead || tx.task.loop !== undefined) return undefined;
  const rec = new RecordingConnection();
  // The read stops at its first command (NotYetRead) or fails on its own; either way what it asked
  // for first, if anything, is the answer.
  await module.read(p.ctx.withConnection(rec), p.args).catch(() => undefined);
  return rec.asked[0];
}

/** The reads of the tasks after the current one, in order, until one that ends the look. */
async function aheadReads(ahead: readonly TaskExec[], h: HostState): Promise<BatchItem[]> {
  const out: BatchItem[] = [];
  for (const ax of ahead) {
    const m = ax.module;
    if (!m || ax.kw.delegateTo !== undefined || ax.kw.runOnce || ax.task.loop !== undefined) break;
    if (!m.meta.readAhead) {
      if (m.meta.runsOn === 'controller' ? INSTANT.has(m.meta.name) : ax.check) continue;
      break;
    }
    if (CALLS_LOOKUP.test(JSON.stringify(ax.task.args))) continue;
    const item = await speculateOnce(ax, h);
    if (item) out.push(item);
  }
  return out;
}

interface Speculated {
  pr: TaskExec['pr'];
  scope: string;
  version: number;
  item: BatchItem | undefined;
}
const speculated = new WeakMap<HostState, Map<TaskNode, Speculated>>();

/** speculate(), remembered for this host until its variables change. */
async function speculateOnce(ax: TaskExec, h: HostState): Promise<BatchItem | undefined> {
  let memo = speculated.get(h);
  if (!memo) speculated.set(h, (memo = new Map()));
  const had = memo.get(ax.task);
  if (had && had.pr === ax.pr && had.scope === ax.scope.key && had.version === h.version) return had.item;
  const version = h.version;
  const item = await speculate(ax, h);
  memo.set(ax.task, { pr: ax.pr, scope: ax.scope.key, version, item });
  return item;
}

/** A later task's first read as it would be now; undefined when it cannot be known without running earlier tasks. */
async function speculate(ax: TaskExec, h: HostState): Promise<BatchItem | undefined> {
  const ev = new Evaluator(ax.pr.run, h);
  try {
    const layers = taskLayers(ax.pr, h, ax.task, ax.scope, ax.check);
    if (ev.firstFalse(inheritedWhen(ax.task, ax.scope), layers)) return undefined;
    const p = await prepareUnit(ax, ax.module!, h, layers, ev);
    return isOutcome(p) ? undefined : await firstRead(ax, p);
  } catch {
    // Anything that needs an earlier task's result: the task reads for itself when its turn comes.
    return undefined;
  }
}

/**
 * Called by runUnit before the first read of a task on a host. Sends nothing itself unless the
 * current task reads and there is more to read; otherwise leaves the following reads to ride on the
 * next command the host gets.
 */
export function readAheadFor(ahead: () => readonly TaskExec[]) {
  return async (tx: TaskExec, h: HostState, p: PreparedUnit, pooled: Connection | undefined): Promise<void> => {
    if (!(pooled instanceof ReadAheadConnection) || tx.task.loop !== undefined) return;
    const own = await firstRead(tx, p);
    const rest = await aheadReads(ahead(), h);
    pooled.setPending(rest);
    if (!own || pooled.has(own)) return;
    if (rest.length === 0) return;
    await pooled.prefetch([own, ...rest], tx.pr.run.killSignal);
  };
}
