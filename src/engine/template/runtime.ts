// The runtime our compiled templates call (passed to them as `runtime`, so nunjucks' own global
// runtime is left untouched). Lookups produce Undefined objects instead of JS undefined; every
// place that uses a value checks it, so errors name the missing variable at its position.
import { didYouMean, TemplateError } from '../contract/diagnostics.js';
import { Args } from './args.js';
import { MISSING, type RenderContext } from './context.js';
import { PlainFailure, TemplateFailure } from './errors.js';
import { FILTERS } from './filters/index.js';
import { GLOBALS } from './globals.js';
import { member, slice } from './member.js';
import { nj, type NjFrame } from './nunjucks-internals.js';
import * as ops from './operators.js';
import { isDict, pyStr, pyTypeName, truthy } from './py-values.js';
import { TESTS } from './tests.js';
import { isUndefined, Undefined, UndefinedUse } from './undefined.js';

/** Converts anything thrown while evaluating into a positioned TemplateFailure. */
function fail(err: unknown, line: number, col: number, what = ''): never {
  if (err instanceof TemplateFailure || err instanceof TemplateError) throw err;
  if (err instanceof UndefinedUse) {
    const u = err.undef;
    throw new TemplateFailure(u.describe(), line, col, u.hint, u.missingVar !== undefined ? [u.missingVar] : []);
  }
  if (err instanceof PlainFailure) throw new TemplateFailure(err.message, line, col);
  const msg = err instanceof Error ? err.message : String(err);
  throw new TemplateFailure(`${what}${msg}`, line, col);
}

const base = nj.runtime;
const SafeString = base.SafeString as new (...a: unknown[]) => object;

function lookup(context: RenderContext, frame: NjFrame, name: string): unknown {
  const local = frame.lookup(name);
  if (local !== undefined) return local;
  const v = context.scope.lookup(name);
  if (v !== MISSING) return v;
  if (Object.prototype.hasOwnProperty.call(GLOBALS, name)) return GLOBALS[name];
  if (name === 'vars') return varsView(context.scope);
  return new Undefined(name, `'${name}' is undefined`, name, () => {
    // One- and two-letter names are too close to everything for a useful suggestion.
    const guess = name.length < 3 ? undefined : didYouMean(name, context.scope.names());
    return guess ? `did you mean '${guess}'?` : undefined;
  });
}

/** Ansible's `vars`: every variable by name (`vars['pkg_' ~ os]`), read through the scope. */
function varsView(scope: RenderContext['scope']): object {
  const get = (k: string | symbol): unknown => (typeof k === 'string' ? scope.lookup(k) : MISSING);
  return new Proxy(Object.create(null) as object, {
    get: (_t, k) => ((v) => (v === MISSING ? undefined : v))(get(k)),
    has: (_t, k) => get(k) !== MISSING,
    ownKeys: () => scope.names(),
    getOwnPropertyDescriptor: (_t, k) => (get(k) !== MISSING ? { enumerable: true, configurable: true, value: get(k) } : undefined),
  });
}

function strict(v: unknown, text: string, line: number, col: number): unknown {
  if (isUndefined(v)) fail(new UndefinedUse(v), line, col);
  if (v === undefined) throw new TemplateFailure(`undefined: '${text}'`, line, col);
  return v;
}

function call(fn: unknown, name: string, context: RenderContext, args: unknown[], line: number, col: number): unknown {
  if (isUndefined(fn)) {
    if (fn.missingVar !== undefined && fn.expr === fn.missingVar) throw new TemplateFailure(`no function named '${name}'`, line, col, fn.hint, [fn.missingVar]);
    fail(new UndefinedUse(fn), line, col);
  }
  if (typeof fn !== 'function') {
    const type = pyTypeName(fn);
    throw new TemplateFailure(`'${name}' is ${/^[aeiou]/i.test(type) ? 'an' : 'a'} ${type}, not a function`, line, col);
  }
  try {
    const out = (fn as (...a: unknown[]) => unknown).apply(context, args);
    // A macro returns nunjucks' SafeString; templates only ever deal in plain strings.
    return out instanceof SafeString ? String(out) : out;
  } catch (err) {
    return fail(err, line, col, `${name}(): `);
  }
}

function filter(name: string, context: RenderContext, args: unknown[], line: number, col: number): unknown {
  const f = FILTERS[name]!;
  try {
    const a = new Args(args.slice(1));
    const out = f.call(context, args[0], a);
    a.checkUnused();
    return out;
  } catch (err) {
    return fail(err, line, col, `filter '${name}': `);
  }
}

function test(name: string, value: unknown, args: unknown[], line: number, col: number): boolean {
  try {
    const a = new Args(args);
    const out = TESTS[name]!(value, a) === true;
    a.checkUnused();
    return out;
  } catch (err) {
    return fail(err, line, col, `test '${name}': `);
  }
}

function iterable(v: unknown, names: number): unknown {
  if (isUndefined(v)) throw new UndefinedUse(v);
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  // Iterating hostvars is the user's explicit request, so a Proxy is enumerated here (only here).
  if (isDict(v)) return names === 1 ? Object.keys(v) : v;
  throw new Error(`'${pyTypeName(v)}' object is not iterable`);
}

function dict(pairs: Array<[unknown, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of pairs) {
    if (isUndefined(k)) throw new UndefinedUse(k);
    if (typeof k !== 'string' && typeof k !== 'number' && typeof k !== 'boolean') throw new Error(`a dict key must be a string or number, not ${pyTypeName(k)}`);
    out[typeof k === 'string' ? k : pyStr(k)] = v;
  }
  return out;
}

function handleError(err: unknown, lineno: number, colno: number): unknown {
  try {
    fail(err, lineno + 1, colno + 1);
  } catch (e) {
    return e;
  }
}

export const RUNTIME = {
  Frame: base.Frame,
  makeMacro: base.makeMacro,
  makeKeywordArgs: base.makeKeywordArgs,
  numArgs: base.numArgs,
  isArray: base.isArray,
  keys: base.keys,
  fromIterator: base.fromIterator,
  SafeString: base.SafeString,
  markSafe: base.markSafe,
  copySafeness: base.copySafeness,
  suppressValue: (v: unknown) => pyStr(v),
  handleError,
  lookup,
  member,
  slice,
  strict,
  call,
  filter,
  test,
  iterable,
  dict,
  // Ansible's finalize: `{{ x }}` of None prints nothing inside a larger string (Jinja alone prints 'None').
  output: (v: unknown) => (v === null || v === undefined ? '' : pyStr(v)),
  truthy,
  and: (a: unknown, b: () => unknown) => (truthy(a) ? b() : a),
  or: (a: unknown, b: () => unknown) => (truthy(a) ? a : b()),
  ...ops,
};

export const ENV = { opts: { autoescape: false } };
