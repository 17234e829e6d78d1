// Keyword values of a play/task/block mapping: Ansible's conversions first ("yes" → true,
// retries: "3" → 3), then the schema. Keywords that decide the shape of the run (become, retries,
// environment, ...) are read when the playbook loads, so a `{{ }}` there gets its own clear error.
import type { TSchema } from 'typebox';
import { coerceToSchema } from '../validate/coerce.js';
import { typeAccepts } from '../validate/describe.js';
import { isTemplated } from '../validate/templated.js';
import { validateWithSchema } from '../validate/validate-with-schema.js';
import type { LoadContext } from './context.js';
import type { Raw } from './keywords.js';
import type { Source } from './source.js';
import { joinPointer } from './yaml-source.js';

/**
 * Task keywords Ansible templates when the task runs, per host: a `{{ }}` value is kept as it is and
 * evaluated by the executor (the other keywords' templates are refused below).
 */
export const RUNTIME_KEYWORDS: ReadonlySet<string> = new Set(['run_once', 'retries', 'delay', 'ignore_unreachable', 'any_errors_fatal', 'become']);

/** Returns the converted mapping (keywords with unusable templates removed) after reporting problems. */
export function checkKeywords(schema: TSchema, rawIn: Raw, pointer: string, src: Source, ctx: LoadContext, rootWhere: string, runtime?: ReadonlySet<string>): Raw {
  const raw = { ...(coerceToSchema(schema, rawIn, { keepTemplates: true }) as Raw) };
  const props = ((schema as { properties?: Record<string, unknown> }).properties ?? {}) as Record<string, unknown>;
  const atRunTime: Raw = {};
  for (const [k, v] of Object.entries(raw)) {
    const prop = props[k];
    if (prop === undefined || !isTemplated(v) || typeAccepts(prop, v)) continue;
    if (runtime?.has(k)) {
      atRunTime[k] = v;
      delete raw[k];
      continue;
    }
    ctx.error(src.loc(joinPointer(pointer, k)), `'${k}' cannot use a template: fleetplay reads it when the playbook loads`, 'write the value itself, or set it through inventory variables');
    delete raw[k];
  }
  ctx.addAll(validateWithSchema(schema, raw, src.locs, src.loc(pointer), { pointer, rootWhere }));
  return { ...raw, ...atRunTime };
}
