// Cluster-wide preflight, a general engine capability: when a task's module declares `preflight`,
// every targeted host (and loop item) is read first, the module judges all of them together, and
// only then does any host plan or apply. An error fails the task on every host with nothing applied;
// the reads are reused by the real run. Under `strategy: free` hosts do not wait for each other, so
// the preflight there sees one host at a time.
import type { Module } from '../contract/module.js';
import { Evaluator } from './conditions.js';
import { errorOutcome, itemsOrSkip, layersFor } from './execute.js';
import type { HostState } from './host-state.js';
import { inheritedWhen } from './inherit.js';
import { loopItemLayer } from './loop.js';
import { failedOutcome, type Outcome } from './result.js';
import { isOutcome, prepareUnit, type TaskExec } from './unit.js';

export interface PreflightOutcome {
  /** Hosts whose result is already known (a template error, an unreachable host…). */
  early: Map<HostState, Outcome>;
  /** Reads to reuse, keyed `host#itemIndex`. */
  cache: Map<string, unknown>;
  warnings: string[];
  /** Set when the preflight failed: every host's result (nothing may run). */
  failure?: Map<HostState, Outcome>;
}

export async function runPreflight(tx: TaskExec, module: Module, hosts: readonly HostState[]): Promise<PreflightOutcome> {
  const run = tx.pr.run;
  const early = new Map<HostState, Outcome>();
  const cache = new Map<string, unknown>();
  const targets: Array<{ host: string; args: unknown; current: unknown }> = [];
  const targeted = new Set<HostState>();

  await tx.scope.map(hosts, async (h) => {
    const ev = new Evaluator(run, h);
    const layers = layersFor(tx, h);
    const whens = inheritedWhen(tx.task, tx.scope);
    try {
      const units: Array<{ layers: typeof layers; index: number }> = [];
      if (tx.task.loop === undefined) units.push({ layers, index: 0 });
      else {
        const items = itemsOrSkip(tx, layers, whens, ev);
        if (!Array.isArray(items)) return; // the normal run reports the skip
        items.forEach((item, index) => units.push({ layers: [...layers, loopItemLayer(tx.task.loopControl, item, index, items)], index }));
      }
      for (const u of units) {
        if (ev.firstFalse(whens, u.layers)) continue;
        const prepared = await prepareUnit(tx, module, h, u.layers, ev);
        if (isOutcome(prepared)) {
          early.set(h, prepared);
          return;
        }
        const current = await module.read(prepared.ctx, prepared.args);
        cache.set(`${h.name}#${u.index}`, current);
        targets.push({ host: h.name, args: prepared.args, current });
        targeted.add(h);
      }
    } catch (err) {
      early.set(h, errorOutcome(err, tx));
    }
  });

  // Hosts in inventory order, whatever order their reads finished in.
  const order = new Map(hosts.map((h, i) => [h.name, i]));
  targets.sort((a, b) => order.get(a.host)! - order.get(b.host)!);
  const verdict = targets.length ? module.preflight!(targets) : { errors: [], warnings: [] };
  const out: PreflightOutcome = { early, cache, warnings: verdict.warnings };
  if (verdict.errors.length) {
    const msg = `cluster preflight of '${module.meta.name}' failed; nothing was changed:\n${verdict.errors.join('\n')}`;
    out.failure = new Map(early);
    for (const h of targeted) if (!early.has(h)) out.failure.set(h, failedOutcome(msg));
  }
  return out;
}
