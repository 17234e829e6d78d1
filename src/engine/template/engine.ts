// Compiles template strings once (cached by source text) and runs them against a variable scope.
// A template that is exactly one `{{ expr }}` returns the expression's native value.
import type { Loc } from '../contract/diagnostics.js';
import type { LocMap } from '../contract/playbook.js';
import { referencedNames, singleExpression } from './analyze.js';
import { FpCompiler } from './compiler.js';
import { RenderContext, type VarSource } from './context.js';
import { polishParserMessage, toTemplateError, TemplateFailure, type Site } from './errors.js';
import { NativeResult, nj, type NjNode } from './nunjucks-internals.js';
import { isOmit } from './omit.js';
import { parseTemplate } from './parser.js';
import { isDict, isProxy } from './py-values.js';
import { ENV, RUNTIME } from './runtime.js';
import { isUndefined, UndefinedUse } from './undefined.js';

/** `string`: a YAML value (single expression → native); `expr`: a bare expression; `file`: a template file. */
export type Mode = 'string' | 'expr' | 'file';

type RootFn = (env: unknown, ctx: RenderContext, frame: unknown, runtime: unknown, cb: (err: unknown, out: unknown) => void) => void;

/**
 * Generated code becomes a function only when first rendered: checking a playbook compiles every
 * template, and most JavaScript parsing would be wasted on tasks a run never reaches (tags, when).
 */
class Compiled {
  private fn: RootFn | undefined;
  constructor(
    private code: string,
    readonly native: boolean,
    readonly names: string[],
  ) {}

  get root(): RootFn {
    if (!this.fn) {
      // The same technique nunjucks uses for its own templates: the generated code becomes a function.
      this.fn = (new Function(this.code)() as { root: RootFn }).root;
      this.code = '';
    }
    return this.fn;
  }
}

// Every template of a large playbook (12,000 distinct strings in a 3,000-task one) stays compiled
// from the load-time check to the end of the run, at about 1 KB each.
const CACHE_LIMIT = 20_000;
const cache = new Map<string, Compiled>();

export function isTemplated(text: string): boolean {
  return text.includes('{{') || text.includes('{%') || text.includes('{#');
}

/** Whether `src` is in the compile cache (the load-time check puts every template there). */
export function isCompiled(src: string, mode: Mode): boolean {
  return cache.has(mode[0] + src);
}

export function compile(src: string, mode: Mode): Compiled {
  const key = mode[0] + src;
  const hit = cache.get(key);
  if (hit) {
    // Refresh recency so the strings of a running play stay cached.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const text = mode === 'expr' ? `{{ ${src} }}` : src;
  const root = parseOrFail(text, mode !== 'file');
  const names = referencedNames(root);
  let native = false;
  if (mode !== 'file') {
    const expr = singleExpression(root);
    if (expr) {
      root.children = [new NativeResult(expr.lineno, expr.colno, expr) as NjNode];
      native = true;
    } else if (mode === 'expr') {
      throw new TemplateFailure('expected a single expression', 1, 4);
    }
  }
  const compiler = new FpCompiler();
  compiler.compile(root);
  const compiled = new Compiled(compiler.getCode(), native, names);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, compiled);
  return compiled;
}

/** Parses; a problem nunjucks reports without a position (end of input) is placed at the end. */
function parseOrFail(text: string, rawStrings: boolean): NjNode {
  try {
    return parseTemplate(text, rawStrings);
  } catch (err) {
    const e = err as { lineno?: number; message?: string };
    if (!(err instanceof Error) || typeof e.lineno === 'number') throw err;
    const lines = text.split('\n');
    // nunjucks' parser reads the type of the next token without checking that one is left.
    const eof = err instanceof TypeError && /of (null|undefined) \(reading/.test(err.message);
    const message = eof ? 'unexpected end of the template' : polishParserMessage(err.message);
    throw new TemplateFailure(`template error: ${message}`, lines.length, lines.at(-1)!.length + 1);
  }
}

function run(c: Compiled, scope: VarSource): unknown {
  const ctx = new RenderContext(scope);
  const frame = new nj.runtime.Frame();
  frame.topLevel = true;
  let error: unknown;
  let out: unknown;
  c.root(ENV, ctx, frame, RUNTIME, (err, res) => {
    error = err;
    out = res;
  });
  if (error) throw error;
  if (!c.native) return out;
  if (isUndefined(ctx.native)) throw new UndefinedUse(ctx.native);
  return ctx.native === undefined ? null : ctx.native;
}

/**
 * The compiled form of `text` (from the cache when it was compiled before, e.g. by the load-time
 * check); a syntax problem becomes a TemplateError located at `site`.
 */
export function compileAt(text: string, site: Site, mode: Mode, context = ''): Compiled {
  try {
    return compile(text, mode);
  } catch (err) {
    throw toTemplateError(err, site, context);
  }
}

/** Renders one template string; errors become TemplateErrors located at `site`. */
export function renderText(text: string, scope: VarSource, site: Site, mode: Mode, context = ''): unknown {
  const compiled = compileAt(text, site, mode, context);
  try {
    return run(compiled, scope);
  } catch (err) {
    if (err instanceof UndefinedUse) {
      const u = err.undef;
      throw toTemplateError(new TemplateFailure(u.describe(), undefined, undefined, u.hint, u.missingVar ? [u.missingVar] : []), site, context);
    }
    throw toTemplateError(err, site, context);
  }
}

const templated = new WeakMap<object, boolean>();

/** Whether a value holds any templated string (cached per object: raw vars are never mutated). */
export function needsRender(v: unknown): boolean {
  if (typeof v === 'string') return isTemplated(v);
  if (typeof v !== 'object' || v === null || isProxy(v)) return false;
  const known = templated.get(v);
  if (known !== undefined) return known;
  const found = Array.isArray(v) ? v.some(needsRender) : isDict(v) ? Object.values(v).some(needsRender) : false;
  templated.set(v, found);
  return found;
}

function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The location of `pointer`, or of its nearest ancestor that has one. */
function locAt(locs: LocMap | undefined, pointer: string, fallback: Loc): Loc {
  if (!locs) return fallback;
  for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
    const hit = locs[p];
    if (hit) return hit;
    if (p === '') return fallback;
  }
}

/** Renders every string in `value` (keys untouched); entries that render to `omit` are dropped. */
export function renderDeep(value: unknown, scope: VarSource, base: Loc, locs: LocMap | undefined, pointer: string, context = ''): unknown {
  if (typeof value === 'string') {
    if (!isTemplated(value)) return value;
    return renderText(value, scope, { loc: locAt(locs, pointer, base), kind: 'string' }, 'string', context);
  }
  if (!needsRender(value)) return value;
  if (Array.isArray(value)) {
    return value.map((x, i) => renderDeep(x, scope, base, locs, `${pointer}/${i}`, context)).filter((x) => !isOmit(x));
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const r = renderDeep(v, scope, base, locs, `${pointer}/${pointerSegment(k)}`, context);
    if (!isOmit(r)) out[k] = r;
  }
  return out;
}

export { pointerSegment };
