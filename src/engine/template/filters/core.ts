// Filters about definedness and type conversion, plus encodings and paths.
import { createHash, getHashes } from 'node:crypto';
import type { Args } from '../args.js';
import type { RenderContext } from '../context.js';
import { PlainFailure } from '../errors.js';
import { pyStr, pyTypeName, truthy } from '../py-values.js';
import { isUndefined, UndefinedUse } from '../undefined.js';

export type FilterFn = (this: RenderContext, value: unknown, a: Args) => unknown;

export function defined<T>(v: T): T {
  if (isUndefined(v)) throw new UndefinedUse(v);
  return v;
}

/** Ansible's `bool`: only yes/on/1/true (any case) and true are true. */
export function toBool(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  return ['yes', 'on', '1', 'true'].includes(pyStr(v).trim().toLowerCase());
}

function toInt(v: unknown, fallback: unknown, base: number): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : fallback;
  if (typeof v !== 'string') return fallback;
  const s = v.trim().replace(/_/g, '');
  if (base === 10 && /^[+-]?\d+$/.test(s)) return parseInt(s, 10);
  if (base !== 10) {
    const body = s.replace(/^([+-]?)0[xob]/i, '$1');
    const n = parseInt(body, base);
    if (!Number.isNaN(n) && new RegExp(`^[+-]?[0-9a-z]+$`, 'i').test(body)) return n;
    return fallback;
  }
  const f = Number(s);
  return s !== '' && Number.isFinite(f) ? Math.trunc(f) : fallback;
}

/** Python's os.path.basename / dirname (POSIX): `/a/b/` has basename '' and dirname '/a/b'. */
function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
function dirname(p: string): string {
  const head = p.slice(0, p.lastIndexOf('/') + 1);
  return /^\/+$/.test(head) ? head : head.replace(/\/+$/, '');
}

/** Python's shlex.quote: safe words as they are, else single quotes with ' written as '"'"'. */
function pyShlexQuote(s: string): string {
  if (s === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

/** Python 3's round(): halves go to the even neighbour. */
function halfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const HASHES = new Set(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'].filter((h) => getHashes().includes(h)));

function hash(value: unknown, algo: string): string {
  if (!HASHES.has(algo)) throw new Error(`unsupported hash type '${algo}' (use one of ${[...HASHES].join(', ')})`);
  return createHash(algo).update(pyStr(defined(value)), 'utf8').digest('hex');
}

export const CORE_FILTERS: Record<string, FilterFn> = {
  default(v, a) {
    a.allow(['default_value', 'boolean']);
    const fallback = a.get('default_value', 0, '');
    if (isUndefined(v) || v === undefined) return fallback;
    return a.get('boolean', 1, false) && !truthy(v) ? fallback : v;
  },
  mandatory(v, a) {
    if (isUndefined(v) || v === undefined) {
      const msg = a.get<unknown>('msg', 0);
      throw new PlainFailure(msg ? String(msg) : `mandatory variable '${isUndefined(v) ? v.expr : 'value'}' is not defined`);
    }
    return v;
  },
  bool: (v) => toBool(defined(v)),
  int(v, a) {
    a.allow(['default', 'base']);
    return toInt(defined(v), a.get('default', 0, 0), Number(a.get('base', 1, 10)));
  },
  float(v, a) {
    a.allow(['default']);
    const x = defined(v);
    const n = typeof x === 'boolean' ? Number(x) : typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' ? Number(x.trim()) : NaN;
    return Number.isNaN(n) ? a.get('default', 0, 0) : n;
  },
  string: (v) => pyStr(defined(v)),
  ternary(v, a) {
    a.allow(['true_val', 'false_val', 'none_val']);
    if (defined(v) === null && a.has('none_val', 2)) return a.get('none_val', 2);
    return truthy(v) ? a.get('true_val', 0) : a.get('false_val', 1);
  },
  type_debug: (v) => pyTypeName(defined(v)),
  abs(v) {
    if (typeof defined(v) !== 'number') throw new Error(`abs() needs a number, got ${pyTypeName(v)}`);
    return Math.abs(v as number);
  },
  round(v, a) {
    const n = Number(defined(v));
    const digits = Number(a.get('precision', 0, 0));
    const method = String(a.get('method', 1, 'common'));
    const f = 10 ** digits;
    const fn = method === 'ceil' ? Math.ceil : method === 'floor' ? Math.floor : method === 'common' ? halfEven : undefined;
    if (!fn) throw new Error(`round method must be common, ceil or floor, not '${method}'`);
    return fn(n * f) / f;
  },
  hash: (v, a) => hash(v, String(a.get('hashtype', 0, 'sha1'))),
  checksum: (v) => hash(v, 'sha1'),
  md5: (v) => hash(v, 'md5'),
  sha1: (v) => hash(v, 'sha1'),
  b64encode: (v) => Buffer.from(pyStr(defined(v)), 'utf8').toString('base64'),
  b64decode(v) {
    const s = pyStr(defined(v)).replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(s)) throw new Error('the value is not valid base64');
    return Buffer.from(s, 'base64').toString('utf8');
  },
  quote: (v) => pyShlexQuote(defined(v) === null ? '' : pyStr(v)),
  basename: (v) => basename(pyStr(defined(v))),
  dirname: (v) => dirname(pyStr(defined(v))),
  splitext(v) {
    const p = pyStr(defined(v));
    const base = basename(p);
    const dot = base.lastIndexOf('.');
    if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return [p, ''];
    return [p.slice(0, p.length - base.length + dot), base.slice(dot)];
  },
  path_join(v) {
    const parts = Array.isArray(defined(v)) ? (v as unknown[]).map(pyStr) : [pyStr(v)];
    return parts.reduce((acc, p) => (p.startsWith('/') || acc === '' ? p : acc.endsWith('/') ? acc + p : `${acc}/${p}`), '');
  },
};
CORE_FILTERS.d = CORE_FILTERS.default!;
