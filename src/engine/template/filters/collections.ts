// Filters over lists and dicts: Jinja's (join, map, select, sort, ...) and Ansible's (combine,
// dict2items, flatten, set operations, ...).
import { Args } from '../args.js';
import type { RenderContext } from '../context.js';
import { attrPath } from '../member.js';
import { deepEqual, isDict, isProxy, pyStr, pyTypeName, truthy, type Dict } from '../py-values.js';
import { TESTS } from '../tests.js';
import { Undefined } from '../undefined.js';
import { defined, type FilterFn } from './core.js';

function list(v: unknown, filter: string): unknown[] {
  defined(v);
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isDict(v) && !isProxy(v)) return Object.keys(v);
  throw new Error(`'${filter}' needs a list, got ${pyTypeName(v)}`);
}

function dict(v: unknown, filter: string): Dict {
  if (!isDict(defined(v))) throw new Error(`'${filter}' needs a dict, got ${pyTypeName(v)}`);
  return v as Dict;
}

/** Sort key: case-insensitive for strings unless asked otherwise, as Jinja does. */
function keyOf(a: Args, caseSensitive: boolean): (x: unknown) => unknown {
  const attr = a.get<unknown>('attribute', -1);
  return (x) => {
    const v = attr === undefined || attr === null ? x : defined(attrPath(x, attr));
    return typeof v === 'string' && !caseSensitive ? v.toLowerCase() : v;
  };
}

function order(x: unknown, y: unknown): number {
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  if (x === y) return 0;
  throw new Error(`cannot compare '${pyTypeName(x)}' with '${pyTypeName(y)}'`);
}

function uniqueBy(items: unknown[], key: (x: unknown) => unknown): unknown[] {
  const out: unknown[] = [];
  const keys: unknown[] = [];
  for (const x of items) {
    const k = key(x);
    if (!keys.some((seen) => deepEqual(seen, k))) {
      keys.push(k);
      out.push(x);
    }
  }
  return out;
}

function merge(a: Dict, b: Dict, recursive: boolean, listMerge: string): Dict {
  const out: Dict = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const old = out[k];
    if (recursive && isDict(old) && isDict(v)) out[k] = merge(old, v, true, listMerge);
    else if (Array.isArray(old) && Array.isArray(v) && listMerge !== 'replace') {
      if (listMerge === 'append') out[k] = [...old, ...v];
      else if (listMerge === 'prepend') out[k] = [...v, ...old];
      else if (listMerge === 'append_rp') out[k] = [...old.filter((x) => !v.some((y) => deepEqual(x, y))), ...v];
      else if (listMerge === 'prepend_rp') out[k] = [...v, ...old.filter((x) => !v.some((y) => deepEqual(x, y)))];
      else if (listMerge === 'keep') out[k] = old;
      else throw new Error(`list_merge must be replace, keep, append, prepend, append_rp or prepend_rp, not '${listMerge}'`);
    } else out[k] = v;
  }
  return out;
}

function flatten(items: unknown[], levels: number, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  for (const x of items) {
    if (Array.isArray(x) && levels !== 0) out.push(...flatten(x, levels - 1, skipNulls));
    else if (!(skipNulls && (x === null || x === undefined))) out.push(x);
  }
  return out;
}

/** select/reject/selectattr/rejectattr: keep items whose test result equals `keep`. */
function selecting(keep: boolean, byAttr: boolean): FilterFn {
  return function (this: RenderContext, v, a) {
    const [attr, testName, ...rest] = byAttr ? a.pos : [undefined, ...a.pos];
    const name = testName === undefined ? undefined : String(testName);
    if (name !== undefined && !Object.prototype.hasOwnProperty.call(TESTS, name)) throw new Error(`no test named '${name}'`);
    return list(v, 'select').filter((item) => {
      const x = byAttr ? attrPath(item, attr) : item;
      const ok = name === undefined ? truthy(x) : TESTS[name]!(x, new Args(rest));
      return ok === keep;
    });
  };
}

/**
 * `map`: an attribute of each item, or another filter applied to each. It needs the whole filter table,
 * so index.ts builds it with that table (this file is part of the table and does not import it).
 */
export function mapFilter(filters: Readonly<Record<string, FilterFn>>): FilterFn {
  return function map(this: RenderContext, v, a) {
    const items = list(v, 'map');
    if (a.has('attribute', -1)) {
      const attr = a.kw.attribute;
      return items.map((x) => {
        const r = attrPath(x, attr);
        return r instanceof Undefined && a.has('default', -1) ? a.get('default', -1) : r;
      });
    }
    const [name, ...rest] = a.pos;
    a.allow(Object.keys(a.kw)); // they belong to the mapped filter, which checks them
    if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(filters, name)) throw new Error(`no filter named '${String(name)}'`);
    return items.map((x) => filters[name]!.call(this, x, new Args([...rest, { ...a.kw, __keywords: true }])));
  };
}

export const COLLECTION_FILTERS: Record<string, FilterFn> = {
  join(v, a) {
    const attr = a.get<unknown>('attribute', 1);
    return list(v, 'join')
      .map((x) => pyStr(attr === undefined ? x : attrPath(x, attr)))
      .join(pyStr(a.get('d', 0, '')));
  },
  length(v) {
    if (typeof defined(v) === 'string' || Array.isArray(v)) return (v as string | unknown[]).length;
    if (isDict(v) && !isProxy(v)) return Object.keys(v).length;
    throw new Error(`object of type '${pyTypeName(v)}' has no length`);
  },
  first: (v) => list(v, 'first')[0] ?? new Undefined('first', 'the list is empty'),
  last: (v) => list(v, 'last').at(-1) ?? new Undefined('last', 'the list is empty'),
  min: (v, a) => extreme(v, a, -1),
  max: (v, a) => extreme(v, a, 1),
  sum(v, a) {
    const attr = a.get<unknown>('attribute', 0);
    return list(v, 'sum').reduce<number>((acc, x) => acc + Number(defined(attr === undefined ? x : attrPath(x, attr))), Number(a.get('start', 1, 0)));
  },
  unique: (v, a) => uniqueBy(list(v, 'unique'), keyOf(a, !!a.get('case_sensitive', 0, false))),
  sort(v, a) {
    const key = keyOf(a, !!a.get('case_sensitive', 1, false));
    const sorted = [...list(v, 'sort')].sort((x, y) => order(key(x), key(y)));
    return a.get('reverse', 0, false) ? sorted.reverse() : sorted;
  },
  reverse: (v) => (typeof defined(v) === 'string' ? [...(v as string)].reverse().join('') : [...list(v, 'reverse')].reverse()),
  list: (v) => [...list(v, 'list')],
  select: selecting(true, false),
  reject: selecting(false, false),
  selectattr: selecting(true, true),
  rejectattr: selecting(false, true),
  combine(v, a) {
    a.allow(['recursive', 'list_merge']);
    const dicts = [v, ...a.pos].flatMap((d) => (Array.isArray(d) ? d : [d])).map((d) => dict(d, 'combine'));
    return dicts.reduce((acc, d) => merge(acc, d, !!a.kw.recursive, String(a.kw.list_merge ?? 'replace')), {});
  },
  dict2items(v, a) {
    const [k, val] = [String(a.get('key_name', 0, 'key')), String(a.get('value_name', 1, 'value'))];
    return Object.entries(dict(v, 'dict2items')).map(([key, value]) => ({ [k]: key, [val]: value }));
  },
  items2dict(v, a) {
    const [k, val] = [String(a.get('key_name', 0, 'key')), String(a.get('value_name', 1, 'value'))];
    const out: Dict = {};
    for (const item of list(v, 'items2dict')) {
      const d = dict(item, 'items2dict');
      if (!(k in d) || !(val in d)) throw new Error(`each item needs '${k}' and '${val}' keys, got ${Object.keys(d).join(', ') || 'none'}`);
      out[pyStr(d[k])] = d[val];
    }
    return out;
  },
  zip(v, a) {
    const lists = [list(v, 'zip'), ...a.pos.map((x) => list(x, 'zip'))];
    const n = Math.min(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => lists.map((l) => l[i]));
  },
  flatten(v, a) {
    const levels = a.get<number | null>('levels', 0, null);
    return flatten(list(v, 'flatten'), levels === null ? -1 : Number(levels), a.get<unknown>('skip_nulls', 1, true) !== false);
  },
  difference: (v, a) => uniqueBy(list(v, 'difference'), (x) => x).filter((x) => !list(a.get('other', 0), 'difference').some((y) => deepEqual(x, y))),
  intersect: (v, a) => uniqueBy(list(v, 'intersect'), (x) => x).filter((x) => list(a.get('other', 0), 'intersect').some((y) => deepEqual(x, y))),
  union: (v, a) => uniqueBy([...list(v, 'union'), ...list(a.get('other', 0), 'union')], (x) => x),
  symmetric_difference(v, a) {
    const [x, y] = [list(v, 'symmetric_difference'), list(a.get('other', 0), 'symmetric_difference')];
    return uniqueBy([...x.filter((i) => !y.some((j) => deepEqual(i, j))), ...y.filter((j) => !x.some((i) => deepEqual(i, j)))], (i) => i);
  },
};
COLLECTION_FILTERS.count = COLLECTION_FILTERS.length!;

function extreme(v: unknown, a: Args, sign: 1 | -1): unknown {
  const items = list(v, sign > 0 ? 'max' : 'min');
  const key = keyOf(a, !!a.get('case_sensitive', 0, false));
  if (items.length === 0) return new Undefined(sign > 0 ? 'max' : 'min', 'the list is empty');
  return items.reduce((best, x) => (order(key(x), key(best)) * sign > 0 ? x : best));
}
