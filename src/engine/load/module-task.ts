// A task that runs a module: its arguments (mapping, k=v string or free-form string, plus `args:`),
// their locations, and the task-only keywords (loop, register, changed_when, notify, ...).
import type { Loc } from '../contract/diagnostics.js';
import type { Module } from '../contract/module.js';
import type { TaskCommon, TaskNode } from '../contract/playbook.js';
import { describeValue } from '../validate/describe.js';
import { validateModuleArgs } from '../validate/module-args.js';
import { isTemplated } from '../validate/templated.js';
import type { Action } from './classify.js';
import type { LoadContext } from './context.js';
import { parseFreeForm, parseKeyValues } from './free-form.js';
import { conditions, nameList, type Raw } from './keywords.js';
import { loopParts } from './loop.js';
import type { Source } from './source.js';
import { checkExpressions, checkModuleArgs, checkText } from './template-checks.js';
import { joinPointer } from './yaml-source.js';

/** What a module task has beyond the common keywords. */
export type ModuleParts = Omit<TaskNode, keyof TaskCommon | 'kind'>;

interface Args {
  args: Record<string, unknown>;
  argLocs: Record<string, Loc>;
}

/** The module-specific part of a TaskNode; undefined when the arguments are unusable (reported). */
export function moduleTaskParts(
  raw: Raw,
  pointer: string,
  action: Extract<Action, { kind: 'module' }>,
  src: Source,
  ctx: LoadContext,
): ModuleParts | undefined {
  const own = moduleArgs(action.module, action.value, action.pointer, action.fromAction ? src.loc(action.pointer) : src.keyLoc(action.pointer), src, ctx, action.fromAction);
  if (!own) return undefined;
  const extra = argsKeyword(raw.args, joinPointer(pointer, 'args'), src);
  const args = { ...extra.args, ...own.args };
  const argLocs = { ...extra.argLocs, ...own.argLocs };
  ctx.addAll(validateModuleArgs(action.module, args, argLocs, src.loc(pointer), { templated: false }));
  checkModuleArgs(ctx, action.module.meta.name, args, argLocs, src.loc(pointer));
  const at = (k: string) => joinPointer(pointer, k);
  for (const k of ['changed_when', 'failed_when', 'until']) checkExpressions(ctx, src, at(k), raw[k]);
  checkText(ctx, src, at('notify'), raw.notify);
  const parts: ModuleParts = {
    module: action.module.meta.name,
    args,
    argLocs,
    notify: nameList(raw.notify),
    ...loopParts(raw, src, pointer, ctx),
  };
  if (typeof raw.register === 'string') parts.register = raw.register;
  for (const [key, field] of [['changed_when', 'changedWhen'], ['failed_when', 'failedWhen']] as const) {
    const v = raw[key];
    if (typeof v === 'boolean') parts[field] = v;
    else if (v !== undefined && v !== null) parts[field] = conditions(v, src, at(key));
  }
  if (raw.until !== undefined && raw.until !== null) {
    parts.until = conditions(raw.until, src, at('until'));
    // Ansible's defaults once `until` is given.
    parts.retries = 3;
    parts.delay = 5;
  }
  for (const k of ['retries', 'delay'] as const) {
    if (typeof raw[k] === 'number') parts[k] = raw[k];
    else if (typeof raw[k] === 'string') {
      checkText(ctx, src, at(k), raw[k]);
      parts[k] = { text: raw[k], loc: src.loc(at(k)) };
    }
  }
  return parts;
}

function moduleArgs(module: Module, value: unknown, pointer: string, keyLoc: Loc, src: Source, ctx: LoadContext, fromAction?: boolean): Args | undefined {
  const name = module.meta.name;
  if (value === null || value === undefined) return { args: {}, argLocs: { '': keyLoc } };
  if (typeof value === 'string') {
    const valueLoc = src.loc(pointer);
    let args: Record<string, string>;
    if (module.meta.freeForm) {
      args = parseFreeForm(value, module.meta.freeForm, module.meta.freeFormKeys ?? []);
    } else {
      const parsed = parseKeyValues(value);
      if (parsed.error !== undefined) {
        ctx.error(valueLoc, `arguments of module '${name}': ${parsed.error}`, value.includes('=') ? undefined : `module '${name}' takes key=value arguments or a mapping`);
        return undefined;
      }
      args = parsed.args;
    }
    const argLocs: Record<string, Loc> = { '': keyLoc };
    // A templated string's location is its first character (yaml-source), so offsets inside it hold.
    const exact = isTemplated(value);
    for (const [k, v] of Object.entries(args)) argLocs[`/${k}`] = exact ? shifted(valueLoc, argOffset(value, k, v)) : valueLoc;
    return { args, argLocs };
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    const argLocs = src.sub(pointer);
    if (fromAction) {
      delete argLocs['/module'];
      delete argLocs['#/module'];
    }
    argLocs[''] = keyLoc;
    return { args: { ...(value as Raw) }, argLocs };
  }
  ctx.error(src.loc(pointer), `arguments of module '${name}' must be a mapping or a string, got ${describeValue(value)}`);
  return undefined;
}

/**
 * Where argument `key` starts inside a k=v or free-form string (`msg="a {{ b }}"` → at `a`), so
 * its template problems point at the right column; 0 when the text does not show it plainly.
 */
function argOffset(text: string, key: string, value: string): number {
  const kv = new RegExp(`(^|\\s)${key}=(["']?)`).exec(text);
  const at = kv ? kv.index + kv[1]!.length + key.length + 1 + kv[2]!.length : text.indexOf(value);
  // Past a line break the column no longer follows from the start of the string.
  return at > 0 && !text.slice(0, at).includes('\n') ? at : 0;
}

function shifted(loc: Loc, by: number): Loc {
  return by ? { ...loc, col: loc.col + by } : loc;
}

/** `args:` keyword: merged under the module's own arguments (those win, as in Ansible). */
function argsKeyword(value: unknown, pointer: string, src: Source): Args {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { args: {}, argLocs: {} };
  const argLocs = src.sub(pointer);
  delete argLocs[''];
  return { args: { ...(value as Raw) }, argLocs };
}
