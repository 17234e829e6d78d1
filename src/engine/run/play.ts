// One play: its hosts (pattern, --limit, hosts that failed earlier in the run drop out), serial
// batches, and per batch: facts, templated vars_files, the strategy's walk, and the final flush of
// handlers.
import { resolve } from 'node:path';
import type { Play, TaskNode } from '../contract/playbook.js';
import { Evaluator } from './conditions.js';
import { computeBatches } from './batches.js';
import { errorOutcome } from './execute.js';
import { flushHandlers } from './flush.js';
import { pendingNames } from './handlers.js';
import type { HostState } from './host-state.js';
import { restorePending } from './pending.js';
import { PlayRun, type HostMapper, type Scope } from './play-state.js';
import { recordOutcome } from './record.js';
import type { RunContext } from './run-context.js';
import { makeExec, runTask, taskInfo } from './task-runner.js';
import { taskLayers, varBlockLayer } from './vars.js';
import { halted, runItems } from './walk.js';

/** The play's host pattern (templated with play vars and -e), limited; inventory order. */
export function resolvePlayHosts(run: RunContext, play: Play): string[] {
  const pr = new PlayRun(run, play, []);
  const pattern = String(run.templater.render(play.hosts, [...pr.layers.low, run.extraLayer], play.loc));
  let hosts = run.inventory.select(pattern);
  for (const limit of [run.opts.limit, run.opts.limitHosts]) {
    if (limit === undefined) continue;
    const allowed = new Set(typeof limit === 'string' ? run.inventory.select(limit) : limit);
    hosts = hosts.filter((h) => allowed.has(h));
  }
  return hosts;
}

function serialOf(run: RunContext, pr: PlayRun): Array<number | string> {
  return pr.play.serial.map((s) => (typeof s === 'string' && run.templater.isTemplated(s) ? (run.templater.render(s, [...pr.layers.low, run.extraLayer], pr.play.loc) as number | string) : s));
}

export function syntheticTask(play: Play, suffix: string, name: string, module: string, args: Record<string, unknown> = {}): TaskNode {
  return {
    kind: 'task',
    id: `${play.id}/${suffix}`,
    name,
    loc: play.loc,
    when: [],
    tags: ['always'],
    vars: { vars: {}, locs: {} },
    baseDir: play.baseDir,
    module,
    args,
    argLocs: {},
    notify: [],
  };
}

export async function runPlay(run: RunContext, play: Play, hostNames: readonly string[]): Promise<void> {
  const names = hostNames.filter((n) => {
    const h = run.hosts.get(n);
    return !h || (!h.failed && !h.unreachable);
  });
  run.emit({ type: 'play_start', playId: play.id, name: play.name, loc: play.loc, hosts: names });
  const pr = new PlayRun(run, play, names);
  if (!names.length) {
    run.emit({ type: 'warning', message: `no hosts matched for play '${play.name}' (hosts: ${play.hosts}); skipping`, loc: play.loc });
    run.emit({ type: 'play_end', playId: play.id });
    return;
  }
  const hosts = names.map((n) => run.host(n));
  for (const h of hosts) h.ended = false;
  restorePending(pr, hosts);
  const linear: HostMapper = (hs, fn) => Promise.all(hs.map((h) => run.limiter(() => fn(h))));
  const direct: HostMapper = (hs, fn) => Promise.all(hs.map(fn));
  const scopeOf = (map: HostMapper, startAt: Scope['startAt']): Scope => ({ blocks: [], includeLayers: [], rescuable: false, handler: false, key: play.id, map, startAt });
  const cursors: Array<Scope['startAt']> = [];
  const root = (map: HostMapper): Scope => {
    const startAt = { pending: run.startAtPending };
    cursors.push(startAt);
    return scopeOf(map, startAt);
  };
  // Facts and templated vars_files are not tasks --start-at-task skips.
  const setupScope = (): Scope => scopeOf(linear, { pending: undefined });

  let batches: HostState[][];
  try {
    batches = computeBatches(hosts, serialOf(run, pr));
  } catch (err) {
    run.emit({ type: 'warning', message: `play '${play.name}': ${(err as Error).message}; running all hosts in one batch`, loc: play.loc });
    batches = [hosts];
  }
  for (const batch of batches) {
    if (halted(pr)) break;
    pr.startBatch(batch);
    if (play.gatherFacts) await gatherFacts(pr, batch, setupScope());
    await loadDeferredVarsFiles(pr, batch, setupScope());
    if (play.strategy === 'free') await Promise.all(batch.map((h) => run.limiter(() => runItems(pr, play.items, [h], root(direct)))));
    else await runItems(pr, play.items, batch, root(linear));
    // Found in this batch: later batches and plays run from their start, as Ansible does.
    if (run.startAtPending !== undefined && cursors.some((c) => c.pending === undefined)) run.startAtPending = undefined;
    if (!run.interrupted && pr.stopped !== 'end_play') await flushHandlers(pr, batch, linear);
    // Ansible stops the play when a whole batch failed (the next batches would fail the same way),
    // and with it the playbook.
    if (batch.every((h) => h.failed || h.unreachable)) {
      run.endedRunBecause = `every host of a batch of play '${play.name}' failed`;
      break;
    }
  }
  if (pr.stopped === 'any_errors_fatal') run.endedRunBecause = 'any_errors_fatal';
  if (pr.stopped === 'max_fail_percentage') run.endedRunBecause = `max_fail_percentage of play '${play.name}' was exceeded`;
  for (const h of hosts) {
    const pending = pendingNames(pr, h);
    if (pending.length) run.pendingHandlers.set(h.name, [...(run.pendingHandlers.get(h.name) ?? []), ...pending]);
    h.notified.clear();
  }
  run.emit({ type: 'play_end', playId: play.id });
}

async function gatherFacts(pr: PlayRun, batch: HostState[], scope: Scope): Promise<void> {
  if (!pr.run.registry.get('setup')) {
    pr.run.emit({ type: 'warning', message: "gather_facts: no 'setup' module is registered; facts were not gathered", loc: pr.play.loc });
    return;
  }
  await runTask(pr, syntheticTask(pr.play, 'gather_facts', 'Gathering Facts', 'setup'), batch.filter((h) => h.active), scope);
}

/** vars_files entries with `{{ }}` in the path: rendered with each host's vars (facts included). */
async function loadDeferredVarsFiles(pr: PlayRun, batch: HostState[], scope: Scope): Promise<void> {
  const { run, play } = pr;
  const deferred = play.varsFiles.map((vf, i) => ({ vf, i })).filter((x) => x.vf.deferredPath);
  if (!deferred.length) return;
  const task = syntheticTask(play, 'vars_files', 'Loading vars_files', 'vars_files');
  const tx = makeExec(pr, task, scope);
  const failures: Array<[HostState, unknown]> = [];
  for (const h of batch.filter((x) => x.active)) {
    for (const { vf, i } of deferred) {
      const expr = vf.deferredPath!;
      try {
        const rel = String(new Evaluator(run, h).render(expr.text, taskLayers(pr, h, task, scope, tx.check), expr.loc));
        const block = await run.services.loadVarsFile(resolve(play.baseDir, rel));
        pr.deferredFiles.set(`${h.name}#${i}`, varBlockLayer(block, `vars_files ${rel}`));
      } catch (err) {
        failures.push([h, err]);
        break;
      }
    }
  }
  if (!failures.length) return;
  // Only a failure is worth a task row: a host without its vars cannot run the play.
  const info = taskInfo(pr, task, false);
  run.emit({ type: 'task_start', task: info, hosts: failures.map(([h]) => h.name) });
  for (const [h, err] of failures) recordOutcome(tx, h, errorOutcome(err, tx), info, 0);
  run.emit({ type: 'task_end', task: info });
}
