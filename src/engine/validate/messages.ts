// Turns ajv's raw errors into one friendly Diagnostic per real problem: unions are collapsed to the
// branch the user evidently meant, unknown keys get "did you mean", and every message names the key
// it is about and points at that key's place in the YAML.
import type { ErrorObject } from 'ajv/dist/2020.js';
import { didYouMean, type Diagnostic, type Loc } from '../contract/diagnostics.js';
import { EXPECTED } from './ajv.js';
import { constValues, describeSchema, describeValue, typeAccepts } from './describe.js';

export interface MessageContext {
  /** Where the value at a JSON pointer (relative to the validated value) is; `key` = the key's own place. */
  locate(pointer: string, what: 'value' | 'key'): Loc;
  /** How the validated value itself is named after "in"/"for": "in task", "for module 'copy'". */
  rootWhere: string;
  /** "key" for playbook structure, "argument" for module args. */
  keyWord: string;
}

export function friendlyDiagnostics(errors: readonly ErrorObject[], ctx: MessageContext): Diagnostic[] {
  const kept = collapseUnions(errors.filter((e) => e.keyword !== 'if'));
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of kept) {
    const d = toDiagnostic(e, ctx);
    const key = `${d.loc?.file}:${d.loc?.line}:${d.loc?.col}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

/**
 * ajv reports a failed anyOf as every branch's errors followed by the anyOf error itself (branch
 * errors come immediately before it and lie at or under its instancePath). When exactly one branch
 * has the value's JSON type, the user meant that branch: keep its errors. Otherwise report the union
 * once ("must be a string or a list of strings").
 */
function collapseUnions(errors: ErrorObject[]): ErrorObject[] {
  const dropped = new Set<number>();
  for (let i = errors.length - 1; i >= 0; i--) {
    const e = errors[i]!;
    if (dropped.has(i) || (e.keyword !== 'anyOf' && e.keyword !== 'oneOf')) continue;
    const run: number[] = [];
    for (let j = i - 1; j >= 0; j--) {
      if (dropped.has(j)) continue;
      if (!within(errors[j]!.instancePath, e.instancePath)) break;
      run.push(j);
    }
    const branches = Array.isArray(e.schema) ? (e.schema as unknown[]) : [];
    const matching = branches.filter((b) => typeAccepts(b, e.data));
    if (matching.length === 1) {
      // Type/const/enum mismatches at the union's own path come from the branches not meant.
      const keep = new Set(run.filter((j) => errors[j]!.instancePath !== e.instancePath || !mismatchKeywords.has(errors[j]!.keyword)));
      if (keep.size) {
        for (const j of run) if (!keep.has(j)) dropped.add(j);
        dropped.add(i);
        continue;
      }
    }
    for (const j of run) dropped.add(j);
  }
  return errors.filter((_, i) => !dropped.has(i));
}

const mismatchKeywords = new Set(['type', 'const', 'enum']);

function within(path: string, base: string): boolean {
  return path === base || path.startsWith(`${base}/`);
}

function toDiagnostic(e: ErrorObject, ctx: MessageContext): Diagnostic {
  const at = e.instancePath;
  const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
  const label = labelOf(at, ctx);
  const valueLoc = ctx.locate(at, 'value');
  switch (e.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String((e.params as { additionalProperty?: string; unevaluatedProperty?: string }).additionalProperty ?? (e.params as { unevaluatedProperty?: string }).unevaluatedProperty);
      const props = Object.keys((parent.properties as object | undefined) ?? {});
      const hint = didYouMean(key, props);
      const child = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      return { loc: ctx.locate(child, 'key'), message: `unknown ${ctx.keyWord} '${key}' ${whereOf(at, parent, ctx)}`, ...(hint ? { hint: `did you mean '${hint}'?` } : {}) };
    }
    case 'required': {
      const key = (e.params as { missingProperty: string }).missingProperty;
      return { loc: valueLoc, message: `missing required ${ctx.keyWord} '${key}' ${whereOf(at, parent, ctx)}` };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      const hint = typeof e.data === 'string' ? didYouMean(e.data, allowed.map(String)) : undefined;
      return { loc: valueLoc, message: `${label} must be ${describeSchema(parent)}, got ${describeValue(e.data)}`, ...(hint ? { hint: `did you mean '${hint}'?` } : {}) };
    }
    case 'anyOf':
    case 'oneOf': {
      const consts = Array.isArray(e.schema) ? constValues(e.schema) : undefined;
      const hint = consts && typeof e.data === 'string' ? didYouMean(e.data, consts.map(String)) : undefined;
      return { loc: valueLoc, message: `${label} must be ${describeSchema(parent)}, got ${describeValue(e.data)}`, ...(hint ? { hint: `did you mean '${hint}'?` } : {}) };
    }
    case 'type':
    case 'const':
      return { loc: valueLoc, message: `${label} must be ${describeSchema(parent)}, got ${describeValue(e.data)}` };
    case 'pattern':
    case 'format':
    case 'not':
      if (typeof parent[EXPECTED] === 'string') return { loc: valueLoc, message: `${label} must be ${parent[EXPECTED]}, got ${describeValue(e.data)}` };
      if (e.keyword === 'pattern') return { loc: valueLoc, message: `${label} must match the pattern ${(e.params as { pattern: string }).pattern}, got ${describeValue(e.data)}` };
      return { loc: valueLoc, message: `${label} ${e.message ?? 'is invalid'}` };
    case 'dependentRequired': {
      const p = e.params as { property: string; missingProperty: string };
      return { loc: ctx.locate(`${at}/${p.property}`, 'key'), message: `${ctx.keyWord} '${p.property}' requires '${p.missingProperty}' ${whereOf(at, parent, ctx)}` };
    }
    default:
      return { loc: valueLoc, message: `${label} ${e.message ?? 'is invalid'}` };
  }
}

/** `'loop_control.label'`, `'that[0]'`; the root is named by the context. */
function labelOf(pointer: string, ctx: MessageContext): string {
  if (pointer === '') return ctx.rootWhere.replace(/^(in|for) /, '');
  return `'${pointerLabel(pointer)}'`;
}

export function pointerLabel(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(seg) ? `[${seg}]` : out ? `.${seg}` : seg;
  }
  return out;
}

function whereOf(pointer: string, parent: Record<string, unknown>, ctx: MessageContext): string {
  if (pointer === '') return ctx.rootWhere;
  if (typeof parent.title === 'string') return `in ${parent.title}`;
  return `in '${pointerLabel(pointer)}'`;
}
