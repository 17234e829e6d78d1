// One role entry: an item of a play's `roles:` or of a role's `dependencies:` (meta/main.yml). Either
// a name, or a mapping with `role:`/`name:`, task keywords (when, tags, vars, become, ...) and role
// parameters as the other keys.
import type { Loc } from '../contract/diagnostics.js';
import type { VarBlock } from '../contract/playbook.js';
import { describeValue } from '../validate/describe.js';
import { RoleEntrySchema } from '../validate/playbook-schema.js';
import { checkKeywords } from './check-keywords.js';
import type { LoadContext } from './context.js';
import { mergeVars } from './inherit.js';
import { commonParts, emptyVars, varBlock, type Inheritable, type Raw } from './keywords.js';
import type { Source } from './source.js';
import { checkText } from './template-checks.js';

export interface RoleEntry {
  name: string;
  /** What the entry passes to every task of the role: its keywords, with `vars:` and the parameters as vars. */
  keywords: Inheritable;
  /** The entry's `vars:` alone: Ansible makes them visible to the whole play, as the role's own vars. */
  entryVars: VarBlock;
  /**
   * What makes two uses of one role the same use (Ansible hashes the parameters, when, tags and
   * vars): a role used again with the same signature runs once per play unless its meta allows
   * duplicates.
   */
  signature: string;
  loc: Loc;
}

const keywordNames = new Set(Object.keys(RoleEntrySchema.properties));

export function parseRoleEntry(entry: unknown, at: string, src: Source, ctx: LoadContext, what: string): RoleEntry | undefined {
  const loc = src.loc(at);
  if (typeof entry === 'string' && entry) {
    return { name: entry, keywords: { when: [], tags: [], vars: emptyVars() }, entryVars: emptyVars(), signature: signature({}, {}), loc };
  }
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
    ctx.error(loc, `a ${what} needs a role name ('role: NAME'), got ${describeValue(entry)}`);
    return undefined;
  }
  const e = checkKeywords(RoleEntrySchema, entry as Raw, at, src, ctx, `in ${what}`);
  const name = e.role ?? e.name;
  if (typeof name !== 'string' || !name) {
    ctx.error(loc, `a ${what} needs a role name ('role: NAME'), got ${describeValue(entry)}`);
    return undefined;
  }
  const { name: _roleName, ...kw } = commonParts(e, src, at, ctx);
  const params: Raw = {};
  for (const [k, v] of Object.entries(e)) if (!keywordNames.has(k) && k !== 'name') params[k] = v;
  checkText(ctx, src, at, params);
  const raw = entry as Raw;
  return {
    name,
    keywords: { ...kw, vars: mergeVars(kw.vars, paramsBlock(params, src, at)) },
    entryVars: kw.vars,
    signature: signature(params, raw),
    loc,
  };
}

function signature(params: Raw, raw: Raw): string {
  return JSON.stringify({ params, when: raw.when, tags: raw.tags, vars: raw.vars });
}

function paramsBlock(params: Raw, src: Source, pointer: string): VarBlock {
  const block = varBlock(params, src, pointer);
  const locs: Record<string, VarBlock['locs'][string]> = {};
  for (const [k, v] of Object.entries(block.locs)) if (Object.hasOwn(params, k.split('/')[1] ?? '')) locs[k] = v;
  return { vars: block.vars, locs };
}
