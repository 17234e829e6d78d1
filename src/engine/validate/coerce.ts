// Ansible users write `force: yes` in k=v strings, `owner: 1000`, `timeout: "30"`; Ansible's argument
// spec converts these. We do the same, driven by the schema, before validating: a string becomes a
// boolean/number only where the schema does not accept a string there, so nothing a module accepts
// as a string is ever changed. Strings that are still templates are left alone when asked.
import { isTemplated } from './templated.js';
import { typeAccepts } from './describe.js';

type Schema = Record<string, unknown>;

export interface CoerceOptions {
  /** Leave `{{ }}` strings as they are (load time: they are decided at run time). */
  keepTemplates: boolean;
}

const TRUE_WORDS = new Set(['yes', 'true', 'on', 'y', 't', '1']);
const FALSE_WORDS = new Set(['no', 'false', 'off', 'n', 'f', '0']);

/** A copy of `value` with Ansible's conversions applied where `schema` asks for another type. */
export function coerceToSchema(schema: unknown, value: unknown, opts: CoerceOptions): unknown {
  return coerce(schema, value, schema as Schema, opts, 0);
}

function coerce(schemaIn: unknown, value: unknown, root: Schema, opts: CoerceOptions, depth: number): unknown {
  if (depth > 32 || !schemaIn || typeof schemaIn !== 'object') return value;
  const schema = resolveRef(schemaIn as Schema, root);
  const union = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (Array.isArray(union)) {
    const direct = union.find((b) => typeAccepts(resolveRef(b, root), value));
    if (direct) return coerce(direct, value, root, opts, depth + 1);
    for (const b of union) {
      const c = coerce(b, value, root, opts, depth + 1);
      if (c !== value && typeAccepts(resolveRef(b, root), c)) return c;
    }
    return value;
  }
  if (typeof value === 'string') return coerceString(schema, value, root, opts, depth);
  if (typeof value === 'number' && !typeAccepts(schema, value) && typeAccepts(schema, '')) return String(value);
  if (Array.isArray(value)) {
    const items = schema.items;
    return items && typeof items === 'object' ? value.map((v) => coerce(items, v, root, opts, depth + 1)) : value;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = coerce(propertySchema(schema, k), v, root, opts, depth + 1);
    return out;
  }
  if (value !== null && value !== undefined && !typeAccepts(schema, value) && typeAccepts(schema, [])) return wrapInList(schema, value, root, opts, depth);
  return value;
}

function coerceString(schema: Schema, value: string, root: Schema, opts: CoerceOptions, depth: number): unknown {
  if (typeAccepts(schema, value)) return value;
  if (opts.keepTemplates && isTemplated(value)) return value;
  const word = value.trim().toLowerCase();
  if (typeAccepts(schema, true) && (TRUE_WORDS.has(word) || FALSE_WORDS.has(word))) return TRUE_WORDS.has(word);
  if (typeAccepts(schema, 1) && /^[-+]?\d+$/.test(word)) return Number.parseInt(word, 10);
  if (typeAccepts(schema, 1.5) && word !== '' && Number.isFinite(Number(word))) return Number(word);
  if (typeAccepts(schema, [])) return wrapInList(schema, value, root, opts, depth);
  return value;
}

// Ansible's list arguments accept a single value for a one-element list.
function wrapInList(schema: Schema, value: unknown, root: Schema, opts: CoerceOptions, depth: number): unknown {
  const listSchema = schema.type === 'array' ? schema : undefined;
  if (!listSchema) return value;
  const item = coerce(listSchema.items, value, root, opts, depth + 1);
  return listSchema.items === undefined || typeAccepts(resolveRef(listSchema.items as Schema, root), item) ? [item] : value;
}

function propertySchema(schema: Schema, key: string): unknown {
  const props = schema.properties as Record<string, unknown> | undefined;
  if (props && Object.hasOwn(props, key)) return props[key];
  const patterns = schema.patternProperties as Record<string, unknown> | undefined;
  if (patterns) for (const [re, s] of Object.entries(patterns)) if (new RegExp(re, 'u').test(key)) return s;
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

/** Follows a local `$ref` (`#/$defs/x`, or a `$defs` entry named by its `$id` as TypeBox writes them). */
export function resolveRef(schema: Schema, root: Schema): Schema {
  let s = schema;
  for (let hops = 0; typeof s.$ref === 'string' && hops < 16; hops++) {
    const ref = s.$ref as string;
    const defs = (root.$defs ?? {}) as Record<string, Schema>;
    let target: Schema | undefined;
    if (ref.startsWith('#/$defs/')) target = defs[decodeURIComponent(ref.slice(8))];
    else target = defs[ref] ?? Object.values(defs).find((d) => d.$id === ref);
    if (!target) return s;
    s = target;
  }
  return s;
}
