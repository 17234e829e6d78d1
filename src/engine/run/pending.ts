// Handlers owed from an earlier run, and keeping the handler journal in step with this one: a
// notification from a real change is journaled at once, a handler that ran on a host is struck off,
// and at play start the host's entries for this play are notified again so they run at the first
// flush. Plays are matched by name (and position, when several plays share a name); handlers by the
// name reports show.
import type { HandlerNode, Play } from '../contract/playbook.js';
import type { PendingHandler } from '../journal/index.js';
import type { HostState } from './host-state.js';
import type { PlayRun } from './play-state.js';
import type { RunContext } from './run-context.js';

const HOSTS_SHOWN = 10;

function belongsTo(e: PendingHandler, play: Play, index: number, plays: readonly Play[]): boolean {
  if (e.play !== play.name) return false;
  return plays.filter((p) => p.name === play.name).length === 1 || e.playIndex === index;
}

function entryFor(pr: PlayRun, handler: HandlerNode): { entry: PendingHandler; same: (e: PendingHandler) => boolean } {
  const { run, play } = pr;
  const index = run.playbook.plays.indexOf(play);
  const entry: PendingHandler = { play: play.name, playIndex: index, handler: pr.taskName(handler) };
  return { entry, same: (e) => e.handler === entry.handler && belongsTo(e, play, index, run.playbook.plays) };
}

/** A real change notified `handler` on `h`. */
export function journalNotified(pr: PlayRun, h: HostState, handler: HandlerNode): void {
  const journal = pr.run.journal;
  if (!journal) return;
  const { entry, same } = entryFor(pr, handler);
  journal.add(h.name, entry, same);
}

/** `handler` ran on `h` (ok, changed or skipped): the host no longer owes it. */
export function journalRan(pr: PlayRun, h: HostState, handler: HandlerNode): void {
  const journal = pr.run.journal;
  if (!journal) return;
  journal.remove(h.name, entryFor(pr, handler).same);
}

/** At play start: notify each host's handlers pending from an earlier run, and say so. */
export function restorePending(pr: PlayRun, hosts: readonly HostState[]): void {
  const { run, play } = pr;
  const journal = run.journal;
  if (!journal) return;
  const index = run.playbook.plays.indexOf(play);
  // Hosts owing the same handlers share one message.
  const byList = new Map<string, { names: string[]; hosts: string[] }>();
  for (const h of hosts) {
    const names: string[] = [];
    for (const e of journal.pending(h.name)) {
      if (!belongsTo(e, play, index, run.playbook.plays)) continue;
      const handler = lastNamed(pr, e.handler);
      if (!handler) {
        run.emit({
          type: 'warning',
          host: h.name,
          message: `handler '${e.handler}' pending from an earlier run is no longer in play '${play.name}'; kept in the journal (--clear-pending discards it)`,
          loc: play.loc,
        });
        continue;
      }
      h.notified.add(handler);
      names.push(e.handler);
    }
    if (!names.length) continue;
    const key = JSON.stringify(names);
    const group = byList.get(key) ?? { names, hosts: [] };
    group.hosts.push(h.name);
    byList.set(key, group);
  }
  for (const { names, hosts: owing } of byList.values()) {
    const n = names.length;
    const what = `${n} handler${n === 1 ? '' : 's'} pending from an earlier run`;
    const on = `on ${hostList(owing)}`;
    const list = names.join(', ');
    const message = run.checkMode ? `check mode: ${what} would run ${on}: ${list}` : `running ${what} ${on}: ${list}`;
    run.emit({ type: 'warning', message, loc: play.loc });
  }
}

/** At run start: entries this run will not reach (host not in the run, or play gone) are kept, and said. */
export function reportUnreached(run: RunContext, hostLists: readonly string[][]): void {
  const journal = run.journal;
  if (!journal) return;
  const plays = run.playbook.plays;
  const notInRun = new Set<string>();
  const targets = hostLists.map((list) => new Set(list));
  const noPlay = new Map<string, string[]>();
  // Inventory order, as every other host list in the output.
  const order = new Map([...run.inventory.hosts.keys()].map((h, i) => [h, i]));
  const rank = (h: string) => order.get(h) ?? order.size;
  for (const host of journal.hostNames().sort((a, b) => rank(a) - rank(b))) {
    for (const e of journal.pending(host)) {
      const i = plays.findIndex((p, idx) => belongsTo(e, p, idx, plays));
      if (i < 0) noPlay.set(e.play, [...(noPlay.get(e.play) ?? []), `${host} (${e.handler})`]);
      else if (!targets[i]!.has(host)) notInRun.add(host);
    }
  }
  if (notInRun.size) {
    const n = notInRun.size;
    run.emit({ type: 'warning', message: `${n} host${n === 1 ? ' has' : 's have'} handlers pending from an earlier run but ${n === 1 ? 'is' : 'are'} not in this run: ${hostList([...notInRun])}; they run when ${n === 1 ? 'it is' : 'they are'} next targeted (--clear-pending discards them)` });
  }
  for (const [play, what] of noPlay) {
    run.emit({ type: 'warning', message: `handlers pending from an earlier run for play '${play}', which this playbook no longer has: ${hostList(what)}; kept in the journal (--clear-pending discards them)` });
  }
}

/** The last handler with this name, as notify resolves names (a later definition wins). */
function lastNamed(pr: PlayRun, name: string): HandlerNode | undefined {
  for (let i = pr.handlers.length - 1; i >= 0; i--) if (pr.taskName(pr.handlers[i]!) === name) return pr.handlers[i];
  return undefined;
}

function hostList(names: readonly string[]): string {
  const shown = names.slice(0, HOSTS_SHOWN).join(', ');
  return names.length > HOSTS_SHOWN ? `${shown} and ${names.length - HOSTS_SHOWN} more` : shown;
}
