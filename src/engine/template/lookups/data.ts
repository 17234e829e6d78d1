// Lookups over data the task already has: items, list, dict, indexed_items, nested, together,
// subelements, sequence, vars, env and varnames. Each takes the templated terms and returns a list,
// as Ansible's lookup plugins do (the loop runs over that list).
import { MISSING } from '../context.js';
import { isDict, pyRepr, pyStr, pyTypeName, truthy, type Dict } from '../py-values.js';
import { printf } from '../py-format.js';
import { pyRegex } from '../regex.js';
import { isUndefined } from '../undefined.js';
import type { LookupFn } from './types.js';

/** Ansible's one-level flatten of lookup terms (lists are spliced, anything else kept). */
export function flattenOnce(terms: readonly unknown[]): unknown[] {
  return terms.flatMap((t) => (Array.isArray(t) ? t : [t]));
}

/** listify_lookup_plugin_terms: a string or a scalar becomes a one-item list. */
function listify(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isDict(v)) return Object.keys(v);
  return [v];
}

function dictItems(term: unknown): Dict[] {
  if (!isDict(term)) throw new Error(`with_dict expects a dict, got ${pyTypeName(term)}: ${pyRepr(term)}`);
  return Object.entries(term).map(([key, value]) => ({ key, value }));
}

function nested(terms: readonly unknown[]): unknown[] {
  const lists = terms.map(listify);
  if (lists.length === 0) throw new Error('with_nested requires at least one element in the nested list');
  let result: unknown[] = lists[0]!;
  for (const next of lists.slice(1)) result = result.flatMap((x) => next.map((y) => flattenOnce([x, y])));
  // A single list still yields one-item lists, as Ansible's nested lookup does.
  return lists.length === 1 ? result.map((x) => flattenOnce([x])) : result;
}

function together(terms: readonly unknown[]): unknown[] {
  const lists = terms.map(listify);
  if (lists.length === 0) throw new Error('with_together requires at least one element in each list');
  const n = Math.max(...lists.map((l) => l.length));
  return Array.from({ length: n }, (_, i) => flattenOnce(lists.map((l) => (i < l.length ? l[i] : null))));
}

function subelements(terms: readonly unknown[]): unknown[] {
  if (terms.length < 2 || terms.length > 3) throw new Error('subelements lookup expects a list of two or three items: the list, the subkey and optional flags');
  let [items, subkey, flags] = terms as [unknown, unknown, unknown];
  if (isDict(items)) items = Object.values(items);
  if (!Array.isArray(items)) throw new Error('subelements lookup expects a list of two or three items, first a dict or a list');
  if (typeof subkey !== 'string') throw new Error('subelements lookup expects a list of two or three items, second a string');
  if (flags !== undefined && !isDict(flags)) throw new Error('the optional third item of the subelements lookup must be a dict with flags skip_missing')
  const skipMissing = isDict(flags) && truthy(flags.skip_missing ?? false);
  if (isDict(flags)) for (const k of Object.keys(flags)) if (k !== 'skip_missing') throw new Error(`the optional third item of the subelements lookup must be a dict with flags skip_missing, not '${k}'`);
  const out: unknown[] = [];
  for (const item of items) {
    if (isDict(item) && truthy(item.skipped ?? false)) continue;
    let sub: unknown = item;
    const path = subkey.split('.');
    let missing = false;
    for (const [i, key] of path.entries()) {
      if (!isDict(sub) || !(key in sub)) {
        if (skipMissing) {
          missing = true;
          break;
        }
        throw new Error(`could not find '${key}' key in iterated item '${pyRepr(sub)}'`);
      }
      sub = sub[key];
      if (i < path.length - 1 && !isDict(sub)) throw new Error(`the key ${key} should point to a dictionary, got '${pyRepr(sub)}'`);
    }
    if (missing) continue;
    if (!Array.isArray(sub)) throw new Error(`the key ${subkey} should point to a list, got '${pyRepr(sub)}'`);
    // Ansible pops the sub-list out of the item it pairs: item.0 no longer holds it.
    const parent = without(item as Dict, path);
    for (const s of sub) out.push([parent, s]);
  }
  return out;
}

/** A copy of `d` without the key at `path` (copying only the dicts along the path). */
function without(d: Dict, path: readonly string[]): Dict {
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) {
    const { [head]: _dropped, ...kept } = d;
    return kept;
  }
  return { ...d, [head]: without(d[head] as Dict, rest) };
}

interface Seq {
  start: number;
  end?: number;
  count?: number;
  stride: number;
  format: string;
}

function seqInt(v: string, name: string): number {
  const s = v.trim();
  const n = /^[+-]?0x[0-9a-f]+$/i.test(s) ? parseInt(s, 16) : /^[+-]?0o?[0-7]+$/i.test(s) && s.replace(/^[+-]/, '').length > 1 ? parseInt(s.replace(/0o?/i, ''), 8) : /^[+-]?\d+$/.test(s) ? parseInt(s, 10) : NaN;
  if (Number.isNaN(n)) throw new Error(`can't parse ${name}=${v} as integer`);
  return n;
}

/** `start=1 end=5 stride=1 format=%d`, `count=3`, or the shortcut `[start-]end[/stride][:format]`. */
function parseSequence(term: string, kw: Dict): Seq {
  const seq: Seq = { start: 1, stride: 1, format: '%d' };
  const text = term.trim();
  const shortcut = /^(?:(0x[0-9a-f]+|0o?[0-7]+|\d+)-)?(0x[0-9a-f]+|0o?[0-7]+|\d+)(?:\/(0x[0-9a-f]+|0o?[0-7]+|\d+))?(?::(.+))?$/i.exec(text);
  if (text === '') {
    // only keyword arguments
  } else if (shortcut && !text.includes('=')) {
    if (shortcut[1] !== undefined) seq.start = seqInt(shortcut[1], 'start');
    seq.end = seqInt(shortcut[2]!, 'end');
    if (shortcut[3] !== undefined) seq.stride = seqInt(shortcut[3], 'stride');
    if (shortcut[4] !== undefined) seq.format = shortcut[4];
  } else {
    for (const part of text.split(/\s+/)) {
      const eq = part.indexOf('=');
      if (eq < 0) throw new Error(`unrecognized arguments to with_sequence: '${part}'`);
      kw = { ...kw, [part.slice(0, eq)]: part.slice(eq + 1) };
    }
  }
  for (const [k, v] of Object.entries(kw)) {
    if (k === 'format') seq.format = String(v);
    else if (k === 'start' || k === 'end' || k === 'count' || k === 'stride') seq[k] = seqInt(String(v), k);
    else throw new Error(`unrecognized arguments to with_sequence: ['${k}']`);
  }
  return seq;
}

function sequence(terms: readonly unknown[], kw: Dict): unknown[] {
  const out: string[] = [];
  for (const term of terms.length ? terms : ['']) {
    const s = parseSequence(pyStr(term), kw);
    if (s.count !== undefined && s.end !== undefined) throw new Error("can't specify both count and end in with_sequence");
    if (s.count === undefined && s.end === undefined) throw new Error("must specify count or end in with_sequence");
    if (s.count !== undefined) {
      // Ansible: count=0 is an empty sequence; otherwise end = start + (count - 1) * stride.
      if (s.count === 0) continue;
      s.end = s.start + (s.count - 1) * s.stride;
    }
    const end = s.end!;
    if (s.stride > 0 && end < s.start) throw new Error('to count backwards make stride negative');
    if (s.stride < 0 && end > s.start) throw new Error('to count forward don\'t make stride negative');
    if (s.stride === 0) continue;
    if (!/%/.test(s.format)) throw new Error(`bad formatting string: ${s.format}`);
    for (let i = s.start; s.stride > 0 ? i <= end : i >= end; i += s.stride) {
      out.push(printf(s.format, [i]));
      if (out.length > 100_000) throw new Error('with_sequence is limited to 100000 items');
    }
  }
  return out;
}

export const DATA_LOOKUPS: Record<string, LookupFn> = {
  items: (terms) => flattenOnce(terms),
  list: (terms) => [...terms],
  dict: (terms) => terms.flatMap(dictItems),
  indexed_items(terms) {
    return flattenOnce(terms).map((x, i) => [i, x]);
  },
  nested: (terms) => nested(terms),
  together: (terms) => together(terms),
  subelements: (terms) => subelements(terms),
  sequence: (terms, kw) => sequence(terms, kw),
  env(terms, kw) {
    const fallback = 'default' in kw ? kw.default : '';
    return terms.map((t) => process.env[pyStr(t)] ?? fallback);
  },
  vars(terms, kw, ctx) {
    return terms.map((t) => {
      if (typeof t !== 'string') throw new Error(`Invalid setting identifier, "${pyStr(t)}" is not a string, its a ${pyTypeName(t)}`);
      const v = ctx.scope.lookup(t);
      if (v === MISSING || isUndefined(v)) {
        if ('default' in kw) return kw.default;
        throw new Error(`No variable found with this name: ${t}`);
      }
      return v;
    });
  },
  varnames(terms, _kw, ctx) {
    const names = ctx.scope.names();
    return terms.flatMap((t) => {
      if (typeof t !== 'string') throw new Error(`Invalid setting identifier, "${pyStr(t)}" is not a string, it is a ${pyTypeName(t)}`);
      const re = pyRegex(t, {});
      return names.filter((n) => re.test(n));
    });
  },
};

