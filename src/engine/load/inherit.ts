// Keyword inheritance is resolved at load time, so the executor only ever reads a task's own fields:
// what a block, an import_tasks/import_role statement or a `roles:` entry says applies to every task
// below it. Conditions are ANDed (outer first), tags are united, vars/environment are merged with the
// inner definition winning, and every other keyword is filled in only where the task did not set it.
import type { PlayItem, VarBlock } from '../contract/playbook.js';
import type { Inheritable } from './keywords.js';

export function inherit(items: readonly PlayItem[], parent: Partial<Inheritable>): void {
  for (const item of items) {
    applyTo(item, parent);
    if (item.kind === 'block') {
      inherit(item.block, parent);
      inherit(item.rescue, parent);
      inherit(item.always, parent);
    }
  }
}

function applyTo(node: PlayItem, p: Partial<Inheritable>): void {
  if (p.when?.length) node.when = [...p.when, ...node.when];
  if (p.tags?.length) node.tags = [...new Set([...p.tags, ...node.tags])];
  if (p.vars && Object.keys(p.vars.vars).length) node.vars = mergeVars(p.vars, node.vars);
  if (p.environment) node.environment = { ...p.environment, ...node.environment };
  node.become ??= p.become;
  node.becomeUser ??= p.becomeUser;
  node.ignoreErrors ??= p.ignoreErrors;
  node.ignoreUnreachable ??= p.ignoreUnreachable;
  node.checkMode ??= p.checkMode;
  node.diff ??= p.diff;
  node.noLog ??= p.noLog;
  node.delegateTo ??= p.delegateTo;
  node.runOnce ??= p.runOnce;
  node.anyErrorsFatal ??= p.anyErrorsFatal;
  dropUndefined(node as unknown as Record<string, unknown>);
}

/**
 * `notify:` on a block or a static import: every task below that names no handler itself notifies
 * these (Ansible's parent lookup stops at the first node that sets notify).
 */
export function inheritNotify(items: readonly PlayItem[], notify: readonly string[]): void {
  if (!notify.length) return;
  for (const item of items) {
    if (item.kind === 'task' && item.notify.length === 0) item.notify = [...notify];
    else if (item.kind === 'block') for (const list of [item.block, item.rescue, item.always]) inheritNotify(list, notify);
  }
}

/** `outer` vars overridden by `inner`; locations follow the definition that won. */
export function mergeVars(outer: VarBlock, inner: VarBlock): VarBlock {
  const locs: Record<string, VarBlock['locs'][string]> = {};
  for (const [k, v] of Object.entries(outer.locs)) {
    const name = k.split('/')[1] ?? '';
    if (!Object.hasOwn(inner.vars, name.replace(/~1/g, '/').replace(/~0/g, '~'))) locs[k] = v;
  }
  Object.assign(locs, inner.locs);
  const merged: VarBlock = { vars: { ...outer.vars, ...inner.vars }, locs };
  if (inner.deferredPath) merged.deferredPath = inner.deferredPath;
  return merged;
}

// Optional fields stay absent rather than present-and-undefined, so ASTs compare cleanly in tests
// and serialize without noise.
function dropUndefined(o: Record<string, unknown>): void {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
}
