// Jinja tests (`x is defined`, `result is changed`, `v is version('23.10', '>=')`) with Ansible's
// semantics. A test gets the value and its arguments and answers true or false.
import { lstatSync, statSync, type Stats } from 'node:fs';
import type { Args } from './args.js';
import { contains } from './operators.js';
import { deepEqual, isDict, pyTypeName, truthy, type Dict } from './py-values.js';
import { pyRegex } from './regex.js';
import { isUndefined, UndefinedUse } from './undefined.js';
import { versionTest } from './version.js';

export type TestFn = (value: unknown, a: Args) => boolean;

function defined<T>(v: T): T {
  if (isUndefined(v)) throw new UndefinedUse(v);
  return v;
}

function result(v: unknown, test: string): Dict {
  defined(v);
  if (!isDict(v)) throw new Error(`the '${test}' test expects a task result (a dict), got ${pyTypeName(v)}`);
  return v;
}

function failed(v: unknown): boolean {
  const r = result(v, 'failed');
  return truthy(r.failed ?? false);
}

function changed(v: unknown): boolean {
  const r = result(v, 'changed');
  if ('changed' in r) return truthy(r.changed);
  return Array.isArray(r.results) && r.results.some((x) => isDict(x) && truthy(x.changed ?? false));
}

function regexTest(kind: 'match' | 'search'): TestFn {
  return (v, a) => {
    const opts = { ignorecase: !!a.get('ignorecase', 1, false), multiline: !!a.get('multiline', 2, false) };
    a.allow(['pattern', 'ignorecase', 'multiline', 'match_type']);
    const type = kind === 'search' ? String(a.get('match_type', 3, 'search')) : 'match';
    const s = String(defined(v));
    if (type === 'match') return pyRegex(a.get('pattern', 0), { ...opts, sticky: true }).test(s);
    if (type === 'fullmatch') {
      const re = pyRegex(a.get('pattern', 0), opts);
      return new RegExp(`^(?:${re.source})$`, re.flags).test(s);
    }
    if (type !== 'search') throw new Error(`match_type must be match, search or fullmatch, not '${type}'`);
    return pyRegex(a.get('pattern', 0), opts).test(s);
  };
}

function number(v: unknown, test: string): number {
  if (typeof v !== 'number') throw new Error(`the '${test}' test expects a number, got ${pyTypeName(v)}`);
  return v;
}

const cmp = (op: '==' | '!=' | '<' | '<=' | '>' | '>=') => (v: unknown, a: Args) => {
  const other = a.get('other', 0);
  switch (op) {
    case '==':
      return deepEqual(v, other);
    case '!=':
      return !deepEqual(v, other);
    default: {
      const [x, y] = [defined(v) as number, defined(other) as number];
      return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
    }
  }
};

/** Path tests run on the controller, as Ansible's do (os.path.isfile, isdir, exists, islink, isabs). */
function pathTest(check: (st: Stats | undefined, p: string) => boolean, follow = true): TestFn {
  return (v) => {
    const p = String(defined(v));
    let st: Stats | undefined;
    try {
      st = follow ? statSync(p) : lstatSync(p);
    } catch {
      st = undefined;
    }
    return check(st, p);
  };
}

function items(v: unknown, test: string): unknown[] {
  if (!Array.isArray(defined(v))) throw new Error(`the '${test}' test expects a list, got ${pyTypeName(v)}`);
  return v as unknown[];
}

export const TESTS: Record<string, TestFn> = {
  any: (v) => items(v, 'any').some(truthy),
  all: (v) => items(v, 'all').every(truthy),
  file: pathTest((st) => !!st?.isFile()),
  directory: pathTest((st) => !!st?.isDirectory()),
  exists: pathTest((st) => st !== undefined),
  link: pathTest((st) => !!st?.isSymbolicLink(), false),
  abs: (v) => String(defined(v)).startsWith('/'),
  same_file: (v, a) => {
    try {
      const [x, y] = [statSync(String(defined(v))), statSync(String(a.get('other', 0)))];
      return x.dev === y.dev && x.ino === y.ino;
    } catch {
      return false;
    }
  },
  defined: (v) => !isUndefined(v) && v !== undefined,
  undefined: (v) => isUndefined(v) || v === undefined,
  none: (v) => defined(v) === null,
  true: (v) => defined(v) === true,
  false: (v) => defined(v) === false,
  boolean: (v) => typeof defined(v) === 'boolean',
  string: (v) => typeof defined(v) === 'string',
  number: (v) => typeof defined(v) === 'number',
  integer: (v) => typeof defined(v) === 'number' && Number.isInteger(v),
  float: (v) => typeof defined(v) === 'number' && !Number.isInteger(v),
  mapping: (v) => isDict(defined(v)),
  sequence: (v) => typeof defined(v) === 'string' || Array.isArray(v) || isDict(v),
  iterable: (v) => typeof defined(v) === 'string' || Array.isArray(v) || isDict(v),
  callable: (v) => typeof defined(v) === 'function',
  truthy: (v) => truthy(v),
  falsy: (v) => !truthy(v),
  lower: (v) => typeof defined(v) === 'string' && v === (v as string).toLowerCase(),
  upper: (v) => typeof defined(v) === 'string' && v === (v as string).toUpperCase(),
  in: (v, a) => contains(v, a.get('seq', 0)),
  contains: (v, a) => contains(a.get('item', 0), v),
  subset: (v, a) => Array.isArray(v) && (v as unknown[]).every((x) => contains(x, a.get('other', 0))),
  superset: (v, a) => {
    const other = a.get<unknown>('other', 0);
    return Array.isArray(other) && other.every((x) => contains(x, v));
  },
  match: regexTest('match'),
  search: regexTest('search'),
  regex: regexTest('search'),
  version: (v, a) =>
    versionTest(defined(v), a.get('version', 0), String(a.get('operator', 1, 'eq')), String(a.get('version_type', 3, a.get('strict', 2, false) ? 'strict' : 'loose'))),
  equalto: cmp('=='),
  eq: cmp('=='),
  '==': cmp('=='),
  ne: cmp('!='),
  '!=': cmp('!='),
  lt: cmp('<'),
  '<': cmp('<'),
  le: cmp('<='),
  '<=': cmp('<='),
  gt: cmp('>'),
  '>': cmp('>'),
  ge: cmp('>='),
  '>=': cmp('>='),
  greaterthan: cmp('>'),
  lessthan: cmp('<'),
  sameas: (v, a) => defined(v) === a.get('other', 0),
  divisibleby: (v, a) => number(defined(v), 'divisibleby') % Number(a.get('num', 0)) === 0,
  even: (v) => number(defined(v), 'even') % 2 === 0,
  odd: (v) => Math.abs(number(defined(v), 'odd') % 2) === 1,
  changed,
  change: changed,
  failed,
  failure: failed,
  succeeded: (v) => !failed(v),
  success: (v) => !failed(v),
  successful: (v) => !failed(v),
  skipped: (v) => truthy(result(v, 'skipped').skipped ?? false),
  skip: (v) => truthy(result(v, 'skipped').skipped ?? false),
};
TESTS.version_compare = TESTS.version!;
