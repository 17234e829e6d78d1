// Which key of a task mapping is its action? Ansible's rule: every key is either a task keyword or
// the one module/action to run. Unknown keys get "did you mean" against both keywords and modules.
import { didYouMean } from '../contract/diagnostics.js';
import type { Module } from '../contract/module.js';
import { HandlerKeywordsSchema, TaskKeywordsSchema, unsupportedKeywords, withLookups } from '../validate/playbook-schema.js';
import type { LoadContext } from './context.js';
import type { Raw } from './keywords.js';
import type { Source } from './source.js';
import { joinPointer } from './yaml-source.js';

export const specialActions = ['import_tasks', 'include_tasks', 'import_role', 'include_role', 'meta'] as const;
export type SpecialAction = (typeof specialActions)[number];

export type Action =
  | { kind: 'module'; key: string; module: Module; value: unknown; pointer: string; local?: boolean; fromAction?: boolean }
  | { kind: SpecialAction; key: string; value: unknown; pointer: string };

const taskKeywordNames = new Set(Object.keys(TaskKeywordsSchema.properties));
const handlerKeywordNames = new Set(Object.keys(HandlerKeywordsSchema.properties));

export function keywordNames(kind: 'tasks' | 'handlers'): Set<string> {
  return kind === 'handlers' ? handlerKeywordNames : taskKeywordNames;
}

/** `ansible.builtin.import_tasks` → `import_tasks`. */
function special(key: string): SpecialAction | undefined {
  const bare = key.replace(/^ansible\.(builtin|legacy)\./, '');
  return (specialActions as readonly string[]).includes(bare) ? (bare as SpecialAction) : undefined;
}

/**
 * Finds the task's action, reporting unknown keys, unsupported keywords and conflicting actions.
 * Returns undefined when there is no usable action (the problem is already reported).
 */
export function classifyTask(raw: Raw, pointer: string, src: Source, ctx: LoadContext, kind: 'tasks' | 'handlers'): Action | undefined {
  const keywords = keywordNames(kind);
  const actions: Action[] = [];
  const unknown: string[] = [];
  for (const key of Object.keys(raw)) {
    const at = joinPointer(pointer, key);
    if (keywords.has(key)) continue;
    if (Object.hasOwn(unsupportedKeywords, key)) {
      const hint = key === 'connection' ? 'use delegate_to: localhost to run a task on the controller' : unsupportedKeywords[key];
      ctx.error(src.keyLoc(at), `'${key}' is not supported by fleetplay`, hint);
      continue;
    }
    if (key.startsWith('with_')) {
      ctx.error(src.keyLoc(at), `'${key}' is not supported`, `use loop, or one of ${withLookups.map((n) => `with_${n}`).join(', ')}`);
      continue;
    }
    const sp = special(key);
    if (sp) {
      actions.push({ kind: sp, key, value: raw[key], pointer: at });
      continue;
    }
    const module = ctx.registry.get(key);
    if (module) actions.push({ kind: 'module', key, module, value: raw[key], pointer: at });
    else unknown.push(key);
  }
  for (const key of ['action', 'local_action'] as const) {
    if (raw[key] === undefined) continue;
    const a = fromActionKeyword(raw[key], joinPointer(pointer, key), src, ctx);
    if (a) actions.push({ ...a, key, local: key === 'local_action', fromAction: true });
  }
  reportUnknown(unknown, actions.length > 0, pointer, src, ctx, keywords);
  if (actions.length > 1) {
    const names = actions.map((a) => a.key).join(', ');
    ctx.error(src.keyLoc(actions[1]!.pointer), `conflicting action statements: ${names}`, 'a task runs exactly one module');
    return undefined;
  }
  if (actions.length === 0) {
    if (unknown.length === 0) ctx.error(src.loc(pointer), 'no module or action in this task', `add a module such as 'command:' or 'debug:'`);
    return undefined;
  }
  return actions[0];
}

/** Keys that are right elsewhere: the usual cause is indentation or a missing `block:`. */
const misplaced: Readonly<Record<string, string>> = {
  listen: "'listen' is only valid on handlers",
  rescue: "'rescue' belongs to a block: add 'block:' above the tasks",
  always: "'always' belongs to a block: add 'block:' above the tasks",
  ...Object.fromEntries(
    ['hosts', 'tasks', 'pre_tasks', 'post_tasks', 'handlers', 'roles', 'gather_facts', 'vars_files', 'serial', 'strategy'].map((k) => [k, `'${k}' is a play keyword: check the indentation`]),
  ),
};

function reportUnknown(unknown: string[], haveAction: boolean, pointer: string, src: Source, ctx: LoadContext, keywords: Set<string>): void {
  const modules = ctx.registry.names();
  for (const key of unknown) {
    const loc = src.keyLoc(joinPointer(pointer, key));
    if (Object.hasOwn(misplaced, key)) {
      ctx.error(loc, `'${key}' cannot be used in a task`, misplaced[key]);
      continue;
    }
    const kw = didYouMean(key, keywords);
    const mod = didYouMean(key, modules);
    if (kw && (haveAction || !mod)) ctx.error(loc, `unknown key '${key}' in task`, `did you mean '${kw}'?`);
    else if (mod) ctx.error(loc, `unknown module '${key}'`, `did you mean '${mod}'?`);
    else if (haveAction) ctx.error(loc, `unknown key '${key}' in task`);
    else ctx.error(loc, `unknown module '${key}'`, `run 'fleetplay doc' to list the modules`);
  }
}

/** `action: copy src=a dest=b` or `action: { module: copy, src: a }`. */
function fromActionKeyword(value: unknown, pointer: string, src: Source, ctx: LoadContext): Omit<Extract<Action, { kind: 'module' }>, 'key'> | undefined {
  let name: string | undefined;
  let args: unknown;
  if (typeof value === 'string') {
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(value);
    name = m?.[1];
    args = m?.[2] ? m[2] : null;
  } else if (value && typeof value === 'object' && !Array.isArray(value)) {
    const { module, ...rest } = value as Raw;
    if (typeof module === 'string') name = module;
    args = rest;
  }
  if (!name) {
    ctx.error(src.loc(pointer), 'no module named in this action', "write 'action: MODULE args' or give 'module:'");
    return undefined;
  }
  const module = ctx.registry.get(name);
  if (!module) {
    const hint = didYouMean(name, ctx.registry.names());
    ctx.error(src.loc(pointer), `unknown module '${name}'`, hint ? `did you mean '${hint}'?` : undefined);
    return undefined;
  }
  return { kind: 'module', module, value: args, pointer };
}
