// Task keywords a task inherits from its enclosing blocks and its play (innermost set value wins),
// plus inherited `when` conditions and tags. Whether the loader already copied a block's `when` and
// tags onto its tasks or not, the result is the same: duplicates are removed here.
import type { Expr, Play, TaskCommon } from '../contract/playbook.js';
import type { Scope } from './play-state.js';

/** Flags given as `{{ }}` stay Exprs here; the executor renders them with the host's variables (Evaluator.flag). */
export interface Keywords {
  become?: boolean | Expr;
  becomeUser?: string;
  checkMode?: boolean;
  diff?: boolean;
  noLog: boolean;
  ignoreErrors?: boolean | Expr;
  ignoreUnreachable: boolean | Expr;
  anyErrorsFatal: boolean | Expr;
  delegateTo?: string;
  runOnce: boolean | Expr;
  /** environment dicts, outermost first (merged: inner keys win). */
  environment: Array<Record<string, unknown>>;
}

type Chain = TaskCommon[];

/** The node, then its blocks from innermost to outermost. */
function chain(node: TaskCommon, scope: Scope): Chain {
  const out: Chain = [node];
  for (let i = scope.blocks.length - 1; i >= 0; i--) out.push(scope.blocks[i]!);
  return out;
}

function first<K extends keyof TaskCommon>(c: Chain, key: K): TaskCommon[K] | undefined {
  for (const n of c) if (n[key] !== undefined) return n[key];
  return undefined;
}

export function effectiveKeywords(node: TaskCommon, scope: Scope, play: Play): Keywords {
  const c = chain(node, scope);
  const environment: Array<Record<string, unknown>> = [];
  if (play.environment) environment.push(play.environment);
  for (let i = c.length - 1; i >= 0; i--) {
    const env = c[i]!.environment;
    if (env && !environment.includes(env)) environment.push(env);
  }
  return {
    become: first(c, 'become') ?? play.become,
    becomeUser: first(c, 'becomeUser') ?? play.becomeUser,
    checkMode: first(c, 'checkMode') ?? play.checkMode,
    diff: first(c, 'diff') ?? play.diff,
    noLog: first(c, 'noLog') ?? false,
    ignoreErrors: first(c, 'ignoreErrors'),
    ignoreUnreachable: first(c, 'ignoreUnreachable') ?? play.ignoreUnreachable ?? false,
    anyErrorsFatal: first(c, 'anyErrorsFatal') ?? play.anyErrorsFatal ?? false,
    delegateTo: first(c, 'delegateTo'),
    runOnce: first(c, 'runOnce') ?? false,
    environment,
  };
}

/** Enclosing blocks' conditions, then the node's own; each condition once. */
export function inheritedWhen(node: TaskCommon, scope: Scope): Expr[] {
  const seen = new Set<string>();
  const out: Expr[] = [];
  const add = (e: Expr) => {
    const key = `${e.loc.file}:${e.loc.line}:${e.loc.col}:${e.text}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(e);
  };
  for (const b of scope.blocks) b.when.forEach(add);
  node.when.forEach(add);
  return out;
}

export function effectiveTags(node: TaskCommon, scope: Scope, play: Play): Set<string> {
  const tags = new Set(play.tags);
  for (const b of scope.blocks) for (const t of b.tags) tags.add(t);
  for (const t of node.tags) tags.add(t);
  return tags;
}
