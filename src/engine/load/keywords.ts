// Task keywords shared by tasks, blocks, imports and role entries, converted from validated YAML
// values into the AST's shapes (conditions as located Exprs, tags as a list, vars with locations).
import type { Expr, TaskCommon, VarBlock } from '../contract/playbook.js';
import type { LoadContext } from './context.js';
import type { Source } from './source.js';
import { checkExpressions, checkText } from './template-checks.js';
import { joinPointer } from './yaml-source.js';

/** The inheritable part of TaskCommon: what a block, import or role entry passes to its children. */
export type Inheritable = Pick<
  TaskCommon,
  'when' | 'tags' | 'vars' | 'become' | 'becomeUser' | 'environment' | 'ignoreErrors' | 'ignoreUnreachable' | 'checkMode' | 'diff' | 'noLog' | 'delegateTo' | 'runOnce' | 'anyErrorsFatal'
>;

export type Raw = Record<string, unknown>;

export const emptyVars = (): VarBlock => ({ vars: {}, locs: {} });

/** `when:`-like values: a string, a boolean, or a list of them → one Expr each, with its place. */
export function conditions(value: unknown, src: Source, pointer: string): Expr[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v, i) => ({
    text: String(v),
    loc: src.loc(Array.isArray(value) ? joinPointer(pointer, i) : pointer),
  }));
}

/** `tags: a,b` / `tags: [a, b]` / `tags: 3` → ['a', 'b']. */
export function tagList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value.map(String) : String(value).split(',');
  return [...new Set(list.map((t) => t.trim()).filter(Boolean))];
}

/** `notify: x` / `listen: [a, b]` → list of names. */
export function nameList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function varBlock(value: unknown, src: Source, pointer: string): VarBlock {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return emptyVars();
  const locs = src.sub(pointer);
  delete locs[''];
  for (const k of Object.keys(locs)) if (k.startsWith('#')) delete locs[k];
  return { vars: { ...(value as Raw) }, locs };
}

/** Ansible accepts `environment:` as a mapping or a list of mappings (merged in order). */
function environment(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  return Object.assign({}, ...list.filter((v) => v && typeof v === 'object'));
}

/**
 * The common keywords of an already schema-checked mapping. `pointer` is the mapping's own pointer.
 * Keywords fleetplay accepts but ignores (collections, debugger) are dropped here.
 */
export function commonParts(raw: Raw, src: Source, pointer: string, ctx: LoadContext): Inheritable & { name?: string } {
  const at = (k: string) => joinPointer(pointer, k);
  if (raw.debugger !== undefined) ctx.warn({ loc: src.keyLoc(at('debugger')), message: "'debugger' is ignored: fleetplay has no task debugger" });
  checkExpressions(ctx, src, at('when'), raw.when);
  if (typeof raw.ignore_errors === 'string') checkExpressions(ctx, src, at('ignore_errors'), raw.ignore_errors);
  for (const k of ['name', 'vars', 'environment', 'become_user', 'delegate_to']) checkText(ctx, src, at(k), raw[k]);
  const out: Inheritable & { name?: string } = {
    when: conditions(raw.when, src, at('when')),
    tags: tagList(raw.tags),
    vars: varBlock(raw.vars, src, at('vars')),
  };
  if (typeof raw.name === 'string') out.name = raw.name;
  const flag = (k: string): boolean | Expr | undefined =>
    typeof raw[k] === 'boolean' ? (raw[k] as boolean) : typeof raw[k] === 'string' ? { text: raw[k] as string, loc: src.loc(at(k)) } : undefined;
  for (const k of ['run_once', 'ignore_unreachable', 'any_errors_fatal', 'become']) if (typeof raw[k] === 'string') checkExpressions(ctx, src, at(k), raw[k]);
  const become = flag('become');
  if (become !== undefined) out.become = become;
  if (typeof raw.become_user === 'string') out.becomeUser = raw.become_user;
  const env = environment(raw.environment);
  if (env) out.environment = env;
  if (typeof raw.ignore_errors === 'boolean') out.ignoreErrors = raw.ignore_errors;
  else if (typeof raw.ignore_errors === 'string') out.ignoreErrors = { text: raw.ignore_errors, loc: src.loc(at('ignore_errors')) };
  const ignoreUnreachable = flag('ignore_unreachable');
  if (ignoreUnreachable !== undefined) out.ignoreUnreachable = ignoreUnreachable;
  if (typeof raw.check_mode === 'boolean') out.checkMode = raw.check_mode;
  if (typeof raw.diff === 'boolean') out.diff = raw.diff;
  if (typeof raw.no_log === 'boolean') out.noLog = raw.no_log;
  if (typeof raw.delegate_to === 'string') out.delegateTo = raw.delegate_to;
  const runOnce = flag('run_once');
  if (runOnce !== undefined) out.runOnce = runOnce;
  const anyErrorsFatal = flag('any_errors_fatal');
  if (anyErrorsFatal !== undefined) out.anyErrorsFatal = anyErrorsFatal;
  return out;
}
