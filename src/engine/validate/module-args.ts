// Module arguments against the module's own schema, twice: at load time (values may still be
// templates, so a `{{ }}` string is accepted wherever another type is expected) and at run time
// after templating (the full schema applies). Ansible's conversions ("yes" → true, "30" → 30,
// 1000 → "1000" for string args) are applied before validating, so what passes is what runs.
import type { ErrorObject } from 'ajv/dist/2020.js';
import { didYouMean, type Diagnostic, type Loc } from '../contract/diagnostics.js';
import type { Module } from '../contract/module.js';
import type { LocMap } from '../contract/playbook.js';
import { locAt } from '../load/yaml-source.js';
import { coerceToSchema } from './coerce.js';
import { isTemplated } from './templated.js';
import { validateWithSchema } from './validate-with-schema.js';

export interface ModuleArgsOptions {
  /** true at run time: every value is final. false at load time: `{{ }}` strings are decided later. */
  templated: boolean;
}

export function validateModuleArgs(module: Module, args: Record<string, unknown>, argLocs: LocMap, taskLoc: Loc, opts: ModuleArgsOptions): Diagnostic[] {
  return prepareModuleArgs(module, args, argLocs, taskLoc, opts).diagnostics;
}

/**
 * Coerces and validates in one step; the executor should hand `args` (the coerced copy) to the
 * module when `diagnostics` is empty.
 */
export function prepareModuleArgs(
  module: Module,
  args: Record<string, unknown>,
  argLocs: LocMap,
  taskLoc: Loc,
  opts: ModuleArgsOptions = { templated: true },
): { args: Record<string, unknown>; diagnostics: Diagnostic[] } {
  const schema = module.schema as Record<string, unknown>;
  const coerced = coerceToSchema(schema, args, { keepTemplates: !opts.templated }) as Record<string, unknown>;
  const where = `for module '${module.meta.name}'`;
  const ignore = opts.templated ? undefined : (e: ErrorObject) => isTemplated(valueAt(coerced, e.instancePath));
  const diagnostics = validateWithSchema(schema, coerced, argLocs, locAt(argLocs, '', taskLoc), { rootWhere: where, keyWord: 'argument', ...(ignore ? { ignore } : {}) });
  diagnostics.push(...unknownArgs(schema, coerced, argLocs, taskLoc, where, diagnostics));
  return { args: coerced, diagnostics };
}

/**
 * Schemas that do not close their top level (no `additionalProperties: false`, e.g. unions of
 * argument sets) still must not accept a misspelled argument silently.
 */
function unknownArgs(schema: Record<string, unknown>, args: Record<string, unknown>, argLocs: LocMap, taskLoc: Loc, where: string, already: Diagnostic[]): Diagnostic[] {
  if (schema.additionalProperties === false || schema.patternProperties) return [];
  const known = argNames(schema);
  if (known.size === 0) return [];
  const out: Diagnostic[] = [];
  for (const key of Object.keys(args)) {
    if (known.has(key)) continue;
    const message = `unknown argument '${key}' ${where}`;
    if (already.some((d) => d.message === message)) continue;
    const hint = didYouMean(key, known);
    out.push({ loc: argLocs[`#/${key}`] ?? locAt(argLocs, `/${key}`, taskLoc), message, ...(hint ? { hint: `did you mean '${hint}'?` } : {}) });
  }
  return out;
}

/** Every argument name the schema's top level (including union/allOf branches) declares. */
export function argNames(schema: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  const visit = (s: unknown) => {
    if (!s || typeof s !== 'object') return;
    const o = s as Record<string, unknown>;
    for (const k of Object.keys((o.properties as object | undefined) ?? {})) names.add(k);
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) if (Array.isArray(o[key])) (o[key] as unknown[]).forEach(visit);
  };
  visit(schema);
  return names;
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}
