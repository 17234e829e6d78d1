// Running notified handlers: at `meta: flush_handlers` and at the end of each batch. Each handler
// runs once per host per flush, in definition order; a handler may notify a later one (same pass)
// or an earlier one (next pass). Failed hosts keep their notifications (reported as pending) unless
// force_handlers; under --check handlers run in check mode like any task.
import type { HostState } from './host-state.js';
import { journalRan } from './pending.js';
import type { HostMapper, PlayRun, Scope } from './play-state.js';
import { runTask } from './task-runner.js';

const MAX_PASSES = 16;

export async function flushHandlers(pr: PlayRun, hosts: readonly HostState[], map: HostMapper): Promise<void> {
  const force = pr.play.forceHandlers ?? pr.run.forceHandlers;
  const eligible = (h: HostState) => !h.unreachable && !h.ended && (!h.failed || force);
  const scope: Scope = { blocks: [], includeLayers: [], rescuable: false, handler: true, key: `flush${++flushes}`, map, startAt: { pending: undefined } };
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let ran = false;
    // The list may grow while flushing (include_role inside a handler).
    for (let i = 0; i < pr.handlers.length; i++) {
      if (pr.run.interrupted || pr.stopped === 'end_play' || (pr.stopped && !force)) return;
      const handler = pr.handlers[i]!;
      const gate = pr.run.opts.planGate;
      const allowed = (h: HostState) => !gate?.allowHandler || gate.allowHandler(h.name, pr.taskName(handler));
      const targets = hosts.filter((h) => h.notified.has(handler) && eligible(h) && allowed(h));
      if (!targets.length) continue;
      ran = true;
      for (const h of targets) h.notified.delete(handler);
      // A forced handler on a failed host runs as if the host were healthy, then the failure stands.
      const failed = targets.filter((h) => h.failed);
      for (const h of failed) h.failed = false;
      try {
        await runTask(pr, handler, targets, scope);
        // Before failures are restored: a host the handler failed on still owes it.
        for (const h of targets) if (!h.failed && !h.unreachable) journalRan(pr, h, handler);
      } finally {
        for (const h of failed) h.failed = true;
        pr.changed();
      }
    }
    if (!ran) return;
  }
}

let flushes = 0;
