// Python value semantics that Jinja templates rely on (str(), repr(), truthiness, ==, type names),
// expressed over the plain JS values our YAML loader and modules produce.
import { types } from 'node:util';
import { isUndefined, UndefinedUse } from './undefined.js';

export type Dict = Record<string, unknown>;

/** Proxies (e.g. the executor's lazy `hostvars`) are never enumerated by the templater. */
export function isProxy(v: unknown): boolean {
  return typeof v === 'object' && v !== null && types.isProxy(v);
}

/** A mapping in the Python sense: any non-array, non-null object that is not a class instance we know. */
export function isDict(v: unknown): v is Dict {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  if (isUndefined(v) || v instanceof RegExp || v instanceof Date || Buffer.isBuffer(v)) return false;
  return true;
}

/** Python's type name of a value, for messages ("'int' object has no attribute ...") and `type_debug`. */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (isUndefined(v)) return 'Undefined';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'function') return 'function';
  return 'dict';
}

/** Python's bool(): empty strings, lists and dicts are false; a use of an undefined value fails. */
export function truthy(v: unknown): boolean {
  if (isUndefined(v)) throw new UndefinedUse(v);
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isProxy(v)) return true;
  if (isDict(v)) return Object.keys(v).length > 0;
  return true;
}

function pyNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  return String(n);
}

/** Python's str(): what `{{ x }}` prints inside a larger string. */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (isUndefined(v)) throw new UndefinedUse(v);
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return pyNumber(v);
  return pyRepr(v);
}

/** Python's repr(), used for lists and dicts printed into strings (`['a', 'b']`, `{'k': 1}`). */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return reprString(v);
  if (isUndefined(v)) throw new UndefinedUse(v);
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean' || typeof v === 'number') return pyStr(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'function') return '<function>';
  if (isDict(v)) return `{${Object.entries(v).map(([k, x]) => `${reprString(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return reprString(String(v));
}

function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\x7f') out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return quote + out + quote;
}

/** Python's ==: structural for lists and dicts, no coercion between strings and numbers. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (isUndefined(a)) throw new UndefinedUse(a);
  if (isUndefined(b)) throw new UndefinedUse(b);
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a === 'boolean' && typeof b === 'number') return Number(a) === b;
  if (typeof a === 'number' && typeof b === 'boolean') return a === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (Array.isArray(a) || Array.isArray(b) || isProxy(a) || isProxy(b)) return false;
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Own key check that never enumerates a Proxy. */
export function hasKey(obj: object, key: string): boolean {
  return isProxy(obj) ? key in obj : Object.prototype.hasOwnProperty.call(obj, key);
}

/** A plain number from Python-ish input, or undefined. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v.trim()))) return Number(v.trim());
  return undefined;
}
