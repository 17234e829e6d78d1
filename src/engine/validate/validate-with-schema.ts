// Validates plain data (from yaml-source) against a schema and reports every problem at the
// file:line:col of the YAML node it is about.
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { TSchema } from 'typebox';
import type { Diagnostic, Loc } from '../contract/diagnostics.js';
import type { LocMap } from '../contract/playbook.js';
import { locAt } from '../load/yaml-source.js';
import { rawErrors } from './ajv.js';
import { friendlyDiagnostics } from './messages.js';

export interface SchemaCheckOptions {
  /** JSON pointer of `value` inside `locs` (when locs cover a whole file). Default ''. */
  pointer?: string;
  /** How the value is named in messages: "in task", "in play", "for module 'copy'". Default: the schema's title. */
  rootWhere?: string;
  /** "key" (default) or "argument". */
  keyWord?: string;
  /** Errors to disregard (e.g. type errors on values that are still templates). */
  ignore?: (error: ErrorObject) => boolean;
}

/** Every problem of `value` against `schema`, as located diagnostics (empty when valid). */
export function validateWithSchema(schema: TSchema | object, value: unknown, locs: LocMap, fallbackLoc: Loc, opts: SchemaCheckOptions = {}): Diagnostic[] {
  let errors = rawErrors(schema, value);
  if (errors.length === 0) return [];
  if (opts.ignore) errors = errors.filter((e) => !opts.ignore!(e));
  const base = opts.pointer ?? '';
  const title = (schema as { title?: unknown }).title;
  return friendlyDiagnostics(errors, {
    rootWhere: opts.rootWhere ?? (typeof title === 'string' ? `in ${title}` : 'in this value'),
    keyWord: opts.keyWord ?? 'key',
    locate: (pointer, what) => (what === 'key' && locs[`#${base}${pointer}`]) || locAt(locs, `${base}${pointer}`, fallbackLoc),
  });
}
