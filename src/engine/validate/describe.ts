// Human wording for schemas and values, so messages read "'notify' must be a string or a list of
// strings, got a mapping" instead of ajv's "must be string".
import { EXPECTED } from './ajv.js';

type Schema = Record<string, unknown>;

/** "a list of strings", "one of present, absent", "a boolean"... */
export function describeSchema(schema: unknown): string {
  if (schema === true || schema === undefined) return 'any value';
  if (!schema || typeof schema !== 'object') return 'nothing (no value is allowed)';
  const s = schema as Schema;
  if (typeof s[EXPECTED] === 'string') return s[EXPECTED] as string;
  if ('const' in s) return quoteValue(s.const);
  if (Array.isArray(s.enum)) return s.enum.length === 1 ? quoteValue(s.enum[0]) : `one of ${s.enum.map(String).join(', ')}`;
  const union = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) {
    const consts = constValues(union);
    if (consts) return consts.length === 1 ? quoteValue(consts[0]) : `one of ${consts.map(String).join(', ')}`;
    return joinOr(union.map(describeSchema));
  }
  if (typeof s.$ref === 'string' && typeof s.title === 'string') return `a ${s.title}`;
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
  if (types.length === 0) return typeof s.title === 'string' ? `a ${s.title}` : 'a valid value';
  return joinOr(types.map((t) => describeType(t, s)));
}

function describeType(type: string, s: Schema): string {
  switch (type) {
    case 'array':
      return s.items && typeof s.items === 'object' ? `a list of ${plural(s.items as Schema)}` : 'a list';
    case 'object':
      return typeof s.title === 'string' ? `a ${s.title} mapping` : 'a mapping';
    case 'integer':
      return 'an integer';
    case 'null':
      return 'empty (null)';
    default:
      return `a ${type}`;
  }
}

/** "strings", "strings or booleans", "mappings". */
function plural(s: Schema): string {
  if (typeof s[EXPECTED] === 'string') return s[EXPECTED] as string;
  const union = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (Array.isArray(union)) return joinOr(union.map(plural));
  if ('const' in s || Array.isArray(s.enum)) return `values (${describeSchema(s)})`;
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
  if (types.length === 0) return 'values';
  return joinOr(
    types.map((t) => {
      if (t === 'object') return typeof s.title === 'string' ? `${s.title} mappings` : 'mappings';
      if (t === 'array') return 'lists';
      if (t === 'null') return 'nulls';
      return `${t}s`;
    }),
  );
}

function joinOr(parts: string[]): string {
  const unique = [...new Set(parts)];
  if (unique.length <= 1) return unique[0] ?? 'a valid value';
  return `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}

function quoteValue(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : JSON.stringify(v);
}

/** "a string", "a mapping", "a list", "a number", "null" — for "got ..." clauses. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  // Control characters are shown escaped: a diagnostic stays one line (file:line:col: message).
  if (typeof v === 'string') return v.length > 40 ? 'a string' : `'${v.replace(/[\x00-\x1f\x7f]/g, escapeControl)}'`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) ? `the integer ${v}` : `the number ${v}`;
  return typeof v;
}

function escapeControl(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\t') return '\\t';
  if (c === '\r') return '\\r';
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** JSON type of a value as JSON Schema names it (integers are also numbers). */
export function jsonType(v: unknown): 'null' | 'array' | 'object' | 'string' | 'boolean' | 'integer' | 'number' | 'other' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return 'other';
}

/** Could `value` satisfy `schema` as far as its JSON type goes? (unions: any branch) */
export function typeAccepts(schema: unknown, value: unknown): boolean {
  if (!schema || typeof schema !== 'object') return schema !== false;
  const s = schema as Schema;
  const union = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) return union.some((b) => typeAccepts(b, value));
  if ('const' in s) return jsonType(s.const) === jsonType(value) || (jsonType(s.const) === 'integer' && jsonType(value) === 'number');
  if (Array.isArray(s.enum)) return s.enum.some((e) => jsonType(e) === jsonType(value));
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
  if (types.length === 0) return true;
  const t = jsonType(value);
  return types.some((want) => want === t || (want === 'number' && t === 'integer'));
}

/** The allowed values when a union is only constants (TypeBox's Union of Literals), else undefined. */
export function constValues(union: unknown[]): unknown[] | undefined {
  const out: unknown[] = [];
  for (const b of union) {
    if (!b || typeof b !== 'object') return undefined;
    const o = b as Schema;
    if ('const' in o) out.push(o.const);
    else if (Array.isArray(o.enum)) out.push(...o.enum);
    else return undefined;
  }
  return out;
}
