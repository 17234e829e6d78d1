// Walks a list of play items for a group of hosts. The same walk serves both strategies: linear
// passes the batch (each task runs on all hosts before the next), free passes one host at a time.
// block/rescue/always follow Ansible: a failure in `block` sends the host to `rescue` (its failure
// then counts as rescued), `always` runs for every host that entered, unreachable hosts are never
// rescued.
import type { BlockNode, MetaNode, PlayItem } from '../contract/playbook.js';
import { flushHandlers } from './flush.js';
import type { HostState } from './host-state.js';
import { runInclude } from './include.js';
import { effectiveTags, inheritedWhen } from './inherit.js';
import { Evaluator } from './conditions.js';
import type { PlayRun, Scope } from './play-state.js';
import { tagsSelected } from './tags.js';
import { followingTasks } from './read-ahead.js';
import { runTask } from './task-runner.js';
import { taskLayers } from './vars.js';

/** True when nothing more may start: the play stopped or the user interrupted. */
export function halted(pr: PlayRun): boolean {
  if (pr.run.interrupted) pr.stop('interrupted');
  return pr.stopped !== undefined;
}

export async function runItems(pr: PlayRun, items: readonly PlayItem[], hosts: readonly HostState[], scope: Scope): Promise<void> {
  for (const [index, item] of items.entries()) {
    if (halted(pr)) return;
    const active = hosts.filter((h) => h.active);
    if (!active.length) return;
    switch (item.kind) {
      case 'task':
        await runTask(pr, item, active, scope, followingTasks(items, index));
        break;
      case 'block':
        await runBlock(pr, item, active, scope);
        break;
      case 'meta':
        await runMeta(pr, item, active, scope);
        break;
      default:
        await runInclude(pr, item, active, scope, runItems);
    }
  }
}

async function runBlock(pr: PlayRun, block: BlockNode, hosts: readonly HostState[], scope: Scope): Promise<void> {
  const inner: Scope = { ...scope, blocks: [...scope.blocks, block] };
  await runItems(pr, block.block, hosts, { ...inner, rescuable: scope.rescuable || block.rescue.length > 0 });
  const failedHere = hosts.filter((h) => h.failed && !h.unreachable && !h.ended);
  if (block.rescue.length && failedHere.length && !halted(pr)) {
    for (const h of failedHere) {
      h.failed = false;
      h.failedRescuable = false;
      if (h.lastFailure) {
        h.setVar('ansible_failed_task', { name: h.lastFailure.task });
        h.setVar('ansible_failed_result', h.lastFailure.result);
      }
    }
    pr.changed();
    await runItems(pr, block.rescue, failedHere, inner);
  }
  if (!block.always.length || pr.run.interrupted) return;
  // always: also for hosts that failed in block/rescue; they stay failed afterwards.
  const alwaysHosts = hosts.filter((h) => !h.unreachable && !h.ended);
  const wasFailed = alwaysHosts.filter((h) => h.failed);
  const rescuable = new Map(wasFailed.map((h) => [h, h.failedRescuable]));
  const cleared = new Map(wasFailed.map((h) => [h, h.errorsCleared]));
  for (const h of wasFailed) h.failed = false;
  pr.changed();
  const stoppedBefore = pr.stopped;
  // A play stopped by a failure policy still runs `always`, so cleanup happens.
  if (stoppedBefore === 'any_errors_fatal' || stoppedBefore === 'max_fail_percentage') pr.stopped = undefined;
  try {
    await runItems(pr, block.always, alwaysHosts, inner);
  } finally {
    pr.stopped ??= stoppedBefore;
    for (const h of wasFailed) {
      // clear_host_errors in `always`: the block's failure is forgotten and the host goes on.
      if (!h.failed && h.errorsCleared !== cleared.get(h)) continue;
      if (!h.failed) h.failedRescuable = rescuable.get(h) ?? false;
      h.failed = true;
    }
    pr.changed();
  }
}

async function runMeta(pr: PlayRun, meta: MetaNode, hosts: readonly HostState[], scope: Scope): Promise<void> {
  if (meta.action === 'flush_handlers') {
    await flushHandlers(pr, hosts, scope.map);
    return;
  }
  if (!tagsSelected(effectiveTags(meta, scope, pr.play), pr.run.tagFilter)) return;
  const whens = inheritedWhen(meta, scope);
  const applies = hosts.filter((h) => {
    if (!whens.length) return true;
    try {
      return !new Evaluator(pr.run, h).firstFalse(whens, taskLayers(pr, h, meta, scope, pr.checkMode));
    } catch (err) {
      pr.run.emit({ type: 'warning', message: `meta: ${meta.action} condition failed: ${(err as Error).message}`, host: h.name, loc: meta.loc });
      return false;
    }
  });
  if (!applies.length) return;
  switch (meta.action) {
    case 'end_play':
      for (const h of pr.batch) if (!h.unreachable) h.ended = true;
      pr.stop('end_play');
      break;
    case 'end_batch':
      // The batch's hosts are done (their handlers do not run); the play goes on with the next batch.
      for (const h of pr.batch) if (!h.unreachable) h.ended = true;
      break;
    case 'end_host':
      for (const h of applies) h.ended = true;
      break;
    case 'clear_host_errors':
      // As Ansible: the play's failed hosts are failed no more (later plays take them, the exit code
      // forgets them; their recap counts stay), but they take no more tasks in this play. A host in
      // an `always` section goes on after it.
      for (const name of pr.allNames) {
        const h = pr.run.host(name);
        h.errorsCleared++;
        if (!h.failed && !h.unreachable) continue;
        h.failed = false;
        h.failedRescuable = false;
        h.unreachable = false;
        h.ended = true;
      }
      break;
    case 'reset_connection':
      await Promise.all(applies.map((h) => pr.run.connections.reset(h.name)));
      break;
    case 'noop':
    case 'refresh_inventory':
      break;
  }
  pr.changed();
}
