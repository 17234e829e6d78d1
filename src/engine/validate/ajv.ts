// One ajv instance for the whole process. Compiling a schema costs 5–50 ms, so every schema object is
// compiled once and the validator is cached by identity (schemas are module-level constants); the
// bundled CLI carries them compiled ahead of time (precompiled.ts).
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import type { TSchema } from 'typebox';
import { precompiled } from './precompiled.js';
import { schemaKey } from './schema-key.js';

/**
 * Annotation our schemas may carry: the noun phrase used in messages ("'register' must be
 * <x-expected>") when the schema's own shape would read badly (patterns, unions).
 */
export const EXPECTED = 'x-expected';

/** How every schema is compiled (the meta-schema test compiles them the same way, and checks them). */
export const AJV_OPTIONS = { allErrors: true, verbose: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true } as const;

let instance: Ajv2020 | undefined;
const cache = new WeakMap<object, ValidateFunction>();

function ajv(): Ajv2020 {
  if (instance) return instance;
  // verbose: errors carry the failing data and schema, which the friendly messages need.
  // strictTypes off: TypeBox unions are anyOf without a sibling `type`, which is fine.
  // validateSchema off: checking each schema against the 2020-12 meta-schema first cost ~45 ms of
  // every run's start; our schemas are constants, checked once by a test (meta-schema.test.ts).
  instance = new Ajv2020({ ...AJV_OPTIONS, validateSchema: false });
  ajvFormats.default(instance);
  instance.addKeyword({ keyword: EXPECTED, schemaType: 'string' });
  return instance;
}

/** The cached validator of `schema`; throws (a programming error) if the schema itself is invalid. */
export function compiled(schema: TSchema | object): ValidateFunction {
  let fn = cache.get(schema);
  if (!fn) {
    fn = (precompiled && precompiled.get(schemaKey(schema))) ?? ajv().compile(schema as object);
    cache.set(schema, fn);
  }
  return fn;
}

/** Validates and returns ajv's raw errors (empty when valid). */
export function rawErrors(schema: TSchema | object, value: unknown): ErrorObject[] {
  const fn = compiled(schema);
  return fn(value) ? [] : [...(fn.errors ?? [])];
}
