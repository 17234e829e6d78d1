// Member access with Python's rules: `obj.key` and `obj[key]` read own data first, then the Python
// methods of the value's type; a miss is an Undefined that says what the object does have.
import { didYouMean } from '../contract/diagnostics.js';
import { methodOf } from './methods.js';
import { hasKey, isDict, isProxy, pyTypeName } from './py-values.js';
import { isUndefined, joinExpr, Undefined, UndefinedUse } from './undefined.js';

const MAX_LISTED_KEYS = 12;

function listKeys(obj: object): string {
  if (isProxy(obj)) return '';
  const keys = Object.keys(obj);
  if (keys.length === 0) return '; it is empty';
  const shown = keys.slice(0, MAX_LISTED_KEYS).join(', ');
  return `; it has: ${shown}${keys.length > MAX_LISTED_KEYS ? ', ...' : ''}`;
}

function index(len: number, key: number): number | undefined {
  const i = key < 0 ? len + key : key;
  return Number.isInteger(i) && i >= 0 && i < len ? i : undefined;
}

/** `obj.key` / `obj[key]`: own data first, then the Python methods of the value's type. */
export function member(obj: unknown, key: unknown, text: string): unknown {
  if (isUndefined(obj)) return obj.child(key);
  const expr = joinExpr(text, key);
  if (obj === null || obj === undefined) return new Undefined(expr, `'${text}' is None`);
  if (typeof key === 'number' && (Array.isArray(obj) || typeof obj === 'string')) {
    const i = index(obj.length, key);
    if (i !== undefined) return obj[i];
    return new Undefined(expr, `index ${key} is out of range: '${text}' has ${obj.length} ${typeof obj === 'string' ? 'characters' : 'items'}`);
  }
  if (typeof key !== 'string' && typeof key !== 'number') return new Undefined(expr, `'${text}' cannot be indexed by a ${pyTypeName(key)}`);
  const k = String(key);
  if (isDict(obj) && hasKey(obj, k)) return obj[k];
  const method = typeof key === 'string' ? methodOf(obj, k) : undefined;
  if (method) return method;
  if (isDict(obj)) {
    return new Undefined(
      expr,
      () => `'${text}' has no key '${k}'${listKeys(obj)}`,
      undefined,
      () => {
        if (isProxy(obj)) return undefined;
        const guess = didYouMean(k, Object.keys(obj));
        return guess ? `did you mean '${guess}'?` : undefined;
      },
    );
  }
  return new Undefined(expr, `'${pyTypeName(obj)}' object has no attribute '${k}'`);
}

function sliceIndex(v: unknown, len: number, fallback: number): number {
  if (v === null || v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error('slice indices must be integers');
  return v < 0 ? Math.max(len + v, -1) : Math.min(v, len);
}

/** Python's obj[start:stop:step] on lists and strings. */
export function slice(obj: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  if (isUndefined(obj)) throw new UndefinedUse(obj);
  if (!Array.isArray(obj) && typeof obj !== 'string') throw new Error(`'${pyTypeName(obj)}' object cannot be sliced`);
  const st = step === null || step === undefined ? 1 : Number(step);
  if (!Number.isInteger(st) || st === 0) throw new Error('slice step must be a non-zero integer');
  const len = obj.length;
  const out: unknown[] = [];
  if (st > 0) {
    for (let i = Math.max(0, sliceIndex(start, len, 0)); i < sliceIndex(stop, len, len); i += st) out.push(obj[i]);
  } else {
    for (let i = Math.min(len - 1, sliceIndex(start, len, len - 1)); i > sliceIndex(stop, len, -1); i += st) out.push(obj[i]);
  }
  return typeof obj === 'string' ? out.join('') : out;
}


/** `attribute='a.b'` / `attribute='0'` as Jinja's map/sort/selectattr take it. */
export function attrPath(obj: unknown, path: unknown, text = 'item'): unknown {
  let v = obj;
  let expr = text;
  for (const part of String(path).split('.')) {
    const key = /^\d+$/.test(part) && Array.isArray(v) ? Number(part) : part;
    v = member(v, key, expr);
    expr = joinExpr(expr, key);
  }
  return v;
}
