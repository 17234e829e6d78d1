// String filters, including Ansible's regex family (Python `re` patterns, see regex.ts).
import { pyCapitalize, pySplit, pyTitle } from '../methods.js';
import { printf } from '../py-format.js';
import { pyStr } from '../py-values.js';
import { groupOf, pyRegex, pyReplacement } from '../regex.js';
import { defined, type FilterFn } from './core.js';

function text(v: unknown): string {
  return pyStr(defined(v));
}

function flags(a: { get<T>(name: string, index: number, fallback?: T): T }, ic: number, ml: number) {
  return { ignorecase: !!a.get('ignorecase', ic, false), multiline: !!a.get('multiline', ml, false) };
}

export const TEXT_FILTERS: Record<string, FilterFn> = {
  lower: (v) => text(v).toLowerCase(),
  upper: (v) => text(v).toUpperCase(),
  capitalize: (v) => pyCapitalize(text(v)),
  title: (v) => pyTitle(text(v)),
  trim(v, a) {
    const chars = a.get<unknown>('chars', 0);
    const s = text(v);
    if (chars === undefined || chars === null) return s.trim();
    const set = new Set(String(chars));
    let i = 0;
    let j = s.length;
    while (i < j && set.has(s[i]!)) i++;
    while (j > i && set.has(s[j - 1]!)) j--;
    return s.slice(i, j);
  },
  replace(v, a) {
    const [s, old, rep] = [text(v), pyStr(a.get('old', 0)), pyStr(a.get('new', 1))];
    const count = a.get<number | null>('count', 2, null);
    if (count === null || count < 0) return s.split(old).join(rep);
    const parts = s.split(old);
    if (parts.length <= count + 1) return parts.join(rep);
    return parts.slice(0, count + 1).join(rep) + old + parts.slice(count + 1).join(old);
  },
  split: (v, a) => pySplit(text(v), a.get('sep', 0), Number(a.get('maxsplit', 1, -1))),
  indent(v, a) {
    const width = a.get<unknown>('width', 0, 4);
    const pad = typeof width === 'string' ? width : ' '.repeat(Number(width));
    const first = !!a.get('first', 1, false);
    const blank = !!a.get('blank', 2, false);
    return text(v)
      .split('\n')
      .map((line, i) => ((i > 0 || first) && (blank || line.trim() !== '') ? pad + line : line))
      .join('\n');
  },
  format: (v, a) => printf(text(v), Object.keys(a.kw).length ? a.kw : a.pos),
  regex_replace(v, a) {
    a.allow(['pattern', 'replacement', 'ignorecase', 'multiline', 'count', 'mandatory_count']);
    const count = Number(a.get('count', 5, 0));
    const re = pyRegex(a.get('pattern', 0, ''), { ...flags(a, 2, 3), global: true });
    const replace = pyReplacement(pyStr(a.get('replacement', 1, '')));
    let n = 0;
    const out = text(v).replace(re, (...args: unknown[]) => {
      if (count > 0 && n >= count) return args[0] as string;
      n++;
      return replace(...(args as [string, ...unknown[]]));
    });
    const mandatory = Number(a.get('mandatory_count', 6, 0));
    if (mandatory > 0 && n < mandatory) throw new Error(`expected ${mandatory} replacement(s), made ${n}`);
    return out;
  },
  regex_search(v, a) {
    const [pattern, ...groups] = a.pos;
    a.allow(['ignorecase', 'multiline']);
    const m = pyRegex(pattern, { ignorecase: !!a.kw.ignorecase, multiline: !!a.kw.multiline }).exec(text(v));
    if (!m) return null;
    return groups.length ? groups.map((g) => groupOf(m, g)) : m[0];
  },
  regex_findall(v, a) {
    a.allow(['regex', 'multiline', 'ignorecase']);
    const re = pyRegex(a.get('regex', 0), { ignorecase: !!a.get('ignorecase', 2, false), multiline: !!a.get('multiline', 1, false), global: true });
    return [...text(v).matchAll(re)].map((m) => (m.length === 1 ? m[0] : m.length === 2 ? (m[1] ?? '') : m.slice(1).map((g) => g ?? '')));
  },
  // Python 3.7+ re.escape: only characters special in a pattern.
  regex_escape: (v) => text(v).replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => `\\${c}`),
  center(v, a) {
    const s = text(v);
    const n = Math.max(0, Number(a.get('width', 0, 80)) - s.length);
    return ' '.repeat(Math.floor(n / 2)) + s + ' '.repeat(Math.ceil(n / 2));
  },
  wordcount: (v) => (text(v).match(/\w+/g) ?? []).length,
};
