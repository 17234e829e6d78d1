// lookup() / query() / q() and the loops' with_<name>: a lookup plugin by name gets the terms and
// keyword options and returns a list. lookup() joins a list of strings with commas unless
// wantlist=True (Ansible's rule); query() always returns the list. errors= decides whether a
// failing plugin fails the template ('strict'), warns or is ignored (then: None or []).
import { Args } from '../args.js';
import type { RenderContext } from '../context.js';
import { pyRepr } from '../py-values.js';
import { UndefinedUse } from '../undefined.js';
import { DATA_LOOKUPS } from './data.js';
import { FILE_LOOKUPS } from './files.js';
import type { LookupFn } from './types.js';

export const LOOKUPS: Record<string, LookupFn> = { ...DATA_LOOKUPS, ...FILE_LOOKUPS };

/** Lookup names, also valid as `with_<name>` loops. */
export function lookupNames(): string[] {
  return Object.keys(LOOKUPS);
}

function plugin(name: unknown): LookupFn {
  if (typeof name !== 'string') throw new Error(`the lookup plugin's name must be a string, got ${pyRepr(name)}`);
  const fn = Object.hasOwn(LOOKUPS, name.replace(/^ansible\.builtin\./, '')) ? LOOKUPS[name.replace(/^ansible\.builtin\./, '')] : undefined;
  if (!fn) throw new Error(`lookup plugin (${name}) not found (fleetplay has ${lookupNames().join(', ')})`);
  return fn;
}

/** Runs plugin `name`; the list it returns, or undefined when errors=warn|ignore swallowed a failure. */
export function runLookup(ctx: RenderContext, name: unknown, terms: unknown[], kw: Record<string, unknown>): unknown[] | undefined {
  const fn = plugin(name);
  const { errors = 'strict', ...rest } = kw;
  if (errors !== 'strict' && errors !== 'warn' && errors !== 'ignore') throw new Error(`errors= must be strict, warn or ignore, not ${pyRepr(errors)}`);
  try {
    return fn(terms, rest, ctx);
  } catch (err) {
    // An undefined variable is the template's problem, never the plugin's (Ansible re-raises it too).
    if (err instanceof UndefinedUse || errors === 'strict') throw err;
    if (errors === 'warn') process.emitWarning(`the lookup plugin '${name}' failed: ${(err as Error).message}`);
    return undefined;
  }
}

function parse(raw: unknown[]): { name: unknown; terms: unknown[]; kw: Record<string, unknown> } {
  const a = new Args(raw);
  const [name, ...terms] = a.pos;
  return { name, terms, kw: a.kw };
}

/** Ansible's lookup(): strings joined with ','; one non-string value as itself; else the list. */
export function lookupGlobal(this: RenderContext, ...raw: unknown[]): unknown {
  const { name, terms, kw } = parse(raw);
  const { wantlist = false, ...rest } = kw;
  const ran = runLookup(this, name, terms, rest);
  if (ran === undefined) return wantlist ? [] : null;
  if (wantlist || ran.length === 0) return ran;
  if (ran.every((x) => typeof x === 'string')) return ran.join(',');
  return ran.length === 1 ? ran[0] : ran;
}

export function queryGlobal(this: RenderContext, ...raw: unknown[]): unknown[] {
  const { name, terms, kw } = parse(raw);
  const { wantlist: _ignored, ...rest } = kw;
  return runLookup(this, name, terms, rest) ?? [];
}
