// The Python methods Ansible templates call on values (`x.split(',')`, `d.items()`, `l.index(h)`).
// Only these are reachable: templates never see JavaScript's own properties or prototypes, which
// keeps them from running arbitrary code (`''.constructor` is simply undefined).
import { Args } from './args.js';
import { strFormat } from './py-format.js';
import { deepEqual, isDict, isProxy, pyStr, type Dict } from './py-values.js';

type Method<T> = (self: T, a: Args) => unknown;

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  if (chars === undefined || chars === null) {
    let out = s;
    if (left) out = out.replace(/^\s+/, '');
    if (right) out = out.replace(/\s+$/, '');
    return out;
  }
  const set = new Set(String(chars));
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.has(s[a]!)) a++;
  if (right) while (b > a && set.has(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/** Python's str.split / str.rsplit, including the whitespace form without a separator. */
export function pySplit(s: string, sep: unknown, maxsplit: number, fromRight = false): string[] {
  if (sep === '') throw new Error('empty separator');
  const limit = maxsplit < 0 ? Infinity : maxsplit;
  if (sep === undefined || sep === null) {
    const out: string[] = [];
    if (!fromRight) {
      let rest = s.replace(/^\s+/, '');
      while (rest !== '' && out.length < limit) {
        const m = /^(\S+)(\s+|$)/.exec(rest)!;
        out.push(m[1]!);
        rest = rest.slice(m[0].length);
      }
      if (rest !== '') out.push(rest);
      return out;
    }
    let rest = s.replace(/\s+$/, '');
    while (rest !== '' && out.length < limit) {
      const m = /(^|\s+)(\S+)$/.exec(rest)!;
      out.unshift(m[2]!);
      rest = rest.slice(0, rest.length - m[0].length);
    }
    if (rest !== '') out.unshift(rest);
    return out;
  }
  const d = String(sep);
  const parts = s.split(d);
  if (parts.length <= limit + 1) return parts;
  if (!fromRight) return [...parts.slice(0, limit), parts.slice(limit).join(d)];
  return [parts.slice(0, parts.length - limit).join(d), ...parts.slice(parts.length - limit)];
}

function prefixes(p: unknown): string[] {
  return Array.isArray(p) ? p.map(String) : [String(p)];
}

export function pyTitle(s: string): string {
  return s.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_m, pre: string, c: string) => pre + c.toUpperCase());
}

export function pyCapitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

const STRING_METHODS: Record<string, Method<string>> = {
  split: (s, a) => pySplit(s, a.get('sep', 0), Number(a.get('maxsplit', 1, -1))),
  rsplit: (s, a) => pySplit(s, a.get('sep', 0), Number(a.get('maxsplit', 1, -1)), true),
  strip: (s, a) => stripChars(s, a.get('chars', 0), true, true),
  lstrip: (s, a) => stripChars(s, a.get('chars', 0), true, false),
  rstrip: (s, a) => stripChars(s, a.get('chars', 0), false, true),
  startswith: (s, a) => prefixes(a.get('prefix', 0)).some((p) => s.startsWith(p, Number(a.get('start', 1, 0)))),
  endswith: (s, a) => prefixes(a.get('suffix', 0)).some((p) => s.endsWith(p)),
  replace: (s, a) => {
    const [old, rep] = [String(a.get('old', 0)), String(a.get('new', 1))];
    const count = Number(a.get('count', 2, -1));
    if (count < 0) return s.split(old).join(rep);
    const parts = s.split(old);
    return parts.slice(0, count + 1).join(rep) + (parts.length > count + 1 ? old + parts.slice(count + 1).join(old) : '');
  },
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  capitalize: (s) => pyCapitalize(s),
  title: (s) => pyTitle(s),
  swapcase: (s) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  find: (s, a) => s.indexOf(String(a.get('sub', 0))),
  rfind: (s, a) => s.lastIndexOf(String(a.get('sub', 0))),
  index: (s, a) => {
    const i = s.indexOf(String(a.get('sub', 0)));
    if (i < 0) throw new Error('substring not found');
    return i;
  },
  rindex: (s, a) => {
    const i = s.lastIndexOf(String(a.get('sub', 0)));
    if (i < 0) throw new Error('substring not found');
    return i;
  },
  count: (s, a) => {
    const sub = String(a.get('sub', 0));
    return sub === '' ? s.length + 1 : s.split(sub).length - 1;
  },
  join: (s, a) => {
    const items = a.get<unknown>('iterable', 0);
    if (!Array.isArray(items)) throw new Error(`join() expects a list, got ${typeof items}`);
    return items.map(pyStr).join(s);
  },
  format: (s, a) => strFormat(s, a.pos, a.kw),
  splitlines: (s, a) => {
    const keep = !!a.get('keepends', 0, false);
    const lines = s.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
    return keep ? lines : lines.map((l) => l.replace(/(?:\r\n|\r|\n)$/, ''));
  },
  isdigit: (s) => /^\d+$/.test(s),
  isnumeric: (s) => /^\d+$/.test(s),
  isalpha: (s) => /^[A-Za-z\u00C0-\uFFFF]+$/.test(s),
  isalnum: (s) => /^[A-Za-z0-9\u00C0-\uFFFF]+$/.test(s),
  isspace: (s) => /^\s+$/.test(s),
  islower: (s) => /[a-z]/.test(s) && s === s.toLowerCase(),
  isupper: (s) => /[A-Z]/.test(s) && s === s.toUpperCase(),
  zfill: (s, a) => {
    const w = Number(a.get('width', 0));
    const sign = /^[+-]/.test(s) ? s[0]! : '';
    return sign + s.slice(sign.length).padStart(w - sign.length, '0');
  },
  ljust: (s, a) => s.padEnd(Number(a.get('width', 0)), String(a.get('fillchar', 1, ' '))),
  rjust: (s, a) => s.padStart(Number(a.get('width', 0)), String(a.get('fillchar', 1, ' '))),
  center: (s, a) => {
    const w = Number(a.get('width', 0));
    const f = String(a.get('fillchar', 1, ' '));
    const n = Math.max(0, w - s.length);
    return f.repeat(Math.floor(n / 2)) + s + f.repeat(Math.ceil(n / 2));
  },
};

const LIST_METHODS: Record<string, Method<unknown[]>> = {
  index: (l, a) => {
    const x = a.get('x', 0);
    const i = l.findIndex((y) => deepEqual(x, y));
    if (i < 0) throw new Error(`${pyStr(x)} is not in list`);
    return i;
  },
  count: (l, a) => {
    const x = a.get('x', 0);
    return l.filter((y) => deepEqual(x, y)).length;
  },
  copy: (l) => [...l],
};

const DICT_METHODS: Record<string, Method<Dict>> = {
  items: (d) => Object.entries(d),
  keys: (d) => Object.keys(d),
  values: (d) => Object.values(d),
  get: (d, a) => {
    const k = String(a.get('key', 0));
    return Object.prototype.hasOwnProperty.call(d, k) || (isProxy(d) && k in d) ? d[k] : a.get('default', 1, null);
  },
  copy: (d) => ({ ...d }),
};

/** The Python method `name` of `obj`, bound and taking Jinja call arguments, if there is one. */
export function methodOf(obj: unknown, name: string): ((...raw: unknown[]) => unknown) | undefined {
  let m: Method<never> | undefined;
  if (typeof obj === 'string') m = own(STRING_METHODS, name);
  else if (Array.isArray(obj)) m = own(LIST_METHODS, name);
  else if (isDict(obj)) m = own(DICT_METHODS, name);
  if (!m) return undefined;
  const fn = m as Method<unknown>;
  return (...raw: unknown[]) => fn(obj, new Args(raw));
}

function own<T>(table: Record<string, T>, name: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}
