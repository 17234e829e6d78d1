// Handler lookup and notification. A notification names a handler (the last one defined with that
// name wins, as in Ansible; "role : name" also matches) or a `listen` topic (every listener).
// Notified handlers run at the next flush in DEFINITION order, once per host however often notified.
import { didYouMean, formatLoc, type Diagnostic } from '../contract/diagnostics.js';
import type { HandlerNode, Play, PlayItem } from '../contract/playbook.js';
import type { HostState } from './host-state.js';
import { journalNotified } from './pending.js';
import type { PlayRun } from './play-state.js';

/** The handlers a notification reaches (empty when none). */
export function findHandlers(handlers: readonly HandlerNode[], name: string, displayName: (h: HandlerNode) => string): HandlerNode[] {
  const out: HandlerNode[] = [];
  for (let i = handlers.length - 1; i >= 0; i--) {
    const h = handlers[i]!;
    const n = displayName(h);
    if (n === name || (h.role && `${h.role.name} : ${n}` === name)) {
      out.push(h);
      break;
    }
  }
  const seen = new Set(out.map(displayName));
  for (const h of handlers) {
    if (!h.listen.includes(name)) continue;
    const n = displayName(h);
    if (h.name && seen.has(n)) continue;
    seen.add(n);
    out.push(h);
  }
  return out;
}

/** `journal`: the change was real (not check mode), so the host owes these handlers until they run. */
export function notifyHandlers(pr: PlayRun, h: HostState, names: readonly string[], warn: (msg: string) => void, journal = false): void {
  for (const raw of names) {
    const name = renderName(pr, raw);
    const found = findHandlers(pr.handlers, name, (x) => pr.taskName(x));
    if (!found.length) warn(`handler '${name}' was notified but does not exist`);
    for (const handler of found) {
      h.notified.add(handler);
      if (journal) journalNotified(pr, h, handler);
    }
  }
}

function renderName(pr: PlayRun, raw: string): string {
  if (!pr.run.templater.isTemplated(raw)) return raw;
  try {
    return String(pr.run.templater.render(raw, [...pr.layers.low, pr.run.extraLayer], pr.play.loc));
  } catch {
    return raw;
  }
}

/** Pending notifications of a host, as handler names in definition order. */
export function pendingNames(pr: PlayRun, h: HostState): string[] {
  return pr.handlers.filter((x) => h.notified.has(x)).map((x) => pr.taskName(x));
}

/**
 * Every literal `notify:` of the play (tasks, blocks, handlers) must reach a handler: a typo would
 * otherwise silently skip a restart. Templated names are checked when they are notified.
 */
export function checkNotifications(play: Play, isTemplated: (s: string) => boolean): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const plain = (h: HandlerNode) => h.name ?? '';
  const known = [...new Set(play.handlers.flatMap((h) => [plain(h), ...h.listen]).filter(Boolean))];
  const visit = (items: readonly PlayItem[]) => {
    for (const item of items) {
      if (item.kind === 'block') {
        visit(item.block);
        visit(item.rescue);
        visit(item.always);
      } else if (item.kind === 'task') check(item.notify, item.loc);
    }
  };
  const check = (names: readonly string[], loc: HandlerNode['loc']) => {
    for (const name of names) {
      if (isTemplated(name) || play.handlers.some((h) => isTemplated(plain(h)))) continue;
      if (findHandlers(play.handlers, name, plain).length) continue;
      const hint = didYouMean(name, known);
      problems.push({ message: `handler '${name}' notified at ${formatLoc(loc)} does not exist`, hint: hint ? `did you mean '${hint}'?` : undefined });
    }
  };
  visit(play.items);
  for (const h of play.handlers) check(h.notify, h.loc);
  return problems;
}
