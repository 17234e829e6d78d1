// Object pipeline cmdlets: Select-Object, Where-Object (script block and simplified syntax),
// ForEach-Object (script block and member name), Sort-Object, Measure-Object.

import { CmdletError, errorInfo } from '../ps/errors.js';
import { binaryOp, hasWildcard, psCompare, psEquals, wildcardToRegExp } from '../ps/operators.js';
import { collapse, enumerate, PsHashtable, PsObject, PsScriptBlock, toBool, toNumber, toStr, type PsValue } from '../ps/values.js';
import type { CmdletContext } from '../ps/cmdlet.js';
import type { Cmdlet, Machine } from './machine.js';

const cmd = (n: string): string => `Microsoft.PowerShell.Commands.${n}Command`;
const UTIL = 'Microsoft.PowerShell.Utility';
const CORE = 'Microsoft.PowerShell.Core';

function propertyOf(obj: PsValue, name: string): PsValue {
  if (obj instanceof PsObject) return obj.get(name) ?? null;
  if (obj instanceof PsHashtable) return obj.get(name) ?? null;
  if (typeof obj === 'string' && name.toLowerCase() === 'length') return obj.length;
  if (Array.isArray(obj) && ['count', 'length'].includes(name.toLowerCase())) return obj.length;
  return null;
}

function propertyNames(obj: PsValue): string[] {
  if (obj instanceof PsObject) return obj.names();
  if (obj instanceof PsHashtable) return obj.keys().map(toStr);
  return [];
}

type Selector = { name: string; get: (o: PsValue) => PsValue };

/** Property arguments: names (with wildcards) or @{Name=...; Expression=...} calculated properties. */
function selectors(ctx: CmdletContext<Machine>, spec: PsValue, sample: PsValue): Selector[] {
  const out: Selector[] = [];
  for (const p of enumerate(spec)) {
    if (p instanceof PsHashtable) {
      const key = (...ks: string[]): PsValue => ks.map((k) => p.get(k)).find((v) => v !== undefined);
      const name = toStr(key('Name', 'N', 'Label', 'L') ?? '');
      const expr = key('Expression', 'E');
      if (expr instanceof PsScriptBlock) out.push({ name, get: (o) => collapse(ctx.invokeBlock(expr, o)) });
      else out.push({ name: name || toStr(expr), get: (o) => propertyOf(o, toStr(expr)) });
    } else if (p instanceof PsScriptBlock) {
      out.push({ name: p.ast.text.trim(), get: (o) => collapse(ctx.invokeBlock(p, o)) });
    } else {
      const n = toStr(p);
      if (hasWildcard(n)) {
        const re = wildcardToRegExp(n);
        for (const real of propertyNames(sample)) if (re.test(real)) out.push({ name: real, get: (o) => propertyOf(o, real) });
      } else {
        const real = propertyNames(sample).find((x) => x.toLowerCase() === n.toLowerCase()) ?? n;
        out.push({ name: real, get: (o) => propertyOf(o, real) });
      }
    }
  }
  return out;
}

const COMPARISONS = ['EQ', 'NE', 'GT', 'GE', 'LT', 'LE', 'Like', 'NotLike', 'Match', 'NotMatch', 'Contains', 'NotContains', 'In', 'NotIn', 'CEQ', 'CNE', 'CLike', 'CMatch'];

export const pipelineCmdlets: Cmdlet[] = [
  {
    name: 'Select-Object', module: UTIL, commandType: cmd('SelectObject'), input: 'all',
    params: [
      { name: 'Property', type: 'any[]', position: 0 }, { name: 'ExpandProperty', type: 'string' }, { name: 'ExcludeProperty', type: 'string[]' },
      { name: 'First', type: 'int' }, { name: 'Last', type: 'int' }, { name: 'Skip', type: 'int' }, { name: 'Unique', type: 'switch' },
      { name: 'Index', type: 'any[]' }, { name: 'InputObject', type: 'any', pipeline: { byValue: true } },
    ],
    run(ctx, a, input) {
      let items = ctx.bound('InputObject') ? [a['InputObject']] : input;
      if (a['Skip'] !== undefined) items = items.slice(toNumber(a['Skip']));
      if (a['First'] !== undefined) items = items.slice(0, toNumber(a['First']));
      if (a['Last'] !== undefined) items = items.slice(Math.max(0, items.length - toNumber(a['Last'])));
      if (a['Index'] !== undefined) items = enumerate(a['Index']).map((i) => items[toNumber(i)]).filter((x) => x !== undefined);
      if (a['Unique']) items = items.filter((x, i) => items.findIndex((y) => psEquals(y, x)) === i);
      const exclude = enumerate(a['ExcludeProperty'] ?? []).map((x) => toStr(x).toLowerCase());
      for (const obj of items) {
        let projected: PsValue = obj;
        if (a['Property'] !== undefined) {
          const sel = selectors(ctx, a['Property'], obj).filter((s) => !exclude.includes(s.name.toLowerCase()));
          projected = new PsObject(undefined, sel.map((s) => [s.name, s.get(obj)] as [string, PsValue]));
        }
        if (a['ExpandProperty'] !== undefined) {
          const name = toStr(a['ExpandProperty']);
          const source = projected instanceof PsObject || projected instanceof PsHashtable ? projected : obj;
          const has = source instanceof PsObject ? source.has(name) : source instanceof PsHashtable ? source.has(name) : false;
          if (!has) {
            ctx.writeError(errorInfo(`Property "${name}" cannot be found.`, 'InvalidArgument', 'ExpandPropertyNotFound', 'PSArgumentException', obj));
            continue;
          }
          ctx.write(propertyOf(source, name));
        } else ctx.write(projected, true);
      }
    },
  },
  {
    name: 'Where-Object', module: CORE, commandType: cmd('WhereObject'), input: 'each',
    params: [
      { name: 'FilterScript', type: 'any', position: 0 }, { name: 'Value', type: 'any', position: 1 },
      ...COMPARISONS.map((c) => ({ name: c, type: 'switch' as const })), { name: 'Not', type: 'switch' },
      { name: 'InputObject', type: 'any', pipeline: { byValue: true } },
    ],
    run(ctx, a) {
      const obj = a['InputObject'] ?? null;
      const f = a['FilterScript'];
      if (f instanceof PsScriptBlock) {
        if (toBool(collapse(ctx.invokeBlock(f, obj)))) ctx.write(obj, true);
        return;
      }
      if (f === undefined) throw new CmdletError(errorInfo('Cannot process command because of one or more missing mandatory parameters: FilterScript.', 'InvalidArgument', 'MissingMandatoryParameter', 'ParameterBindingException'), true);
      const value = propertyOf(obj, toStr(f));
      const op = COMPARISONS.find((c) => ctx.bound(c));
      let keep: boolean;
      if (a['Not']) keep = !toBool(value);
      else if (!op) keep = toBool(value);
      else keep = toBool(binaryOp(op.toLowerCase(), value, a['Value'] ?? null, { setMatches: () => {}, formatString: () => '' }));
      if (keep) ctx.write(obj, true);
    },
  },
  {
    name: 'ForEach-Object', module: CORE, commandType: cmd('ForEachObject'), input: 'each',
    params: [
      { name: 'Process', type: 'any', position: 0 }, { name: 'Begin', type: 'scriptblock' }, { name: 'End', type: 'scriptblock' },
      { name: 'ArgumentList', type: 'any[]' }, { name: 'InputObject', type: 'any', pipeline: { byValue: true } },
    ],
    // Each object is processed as it arrives, and the block's output streams on (see ps/pipeline.ts).
    begin(ctx, a) {
      if (a['Begin'] instanceof PsScriptBlock) ctx.writeBlock(a['Begin'], null);
    },
    run(ctx, a) {
      const obj = a['InputObject'] ?? null;
      const p = a['Process'];
      if (p instanceof PsScriptBlock) ctx.writeBlock(p, obj, enumerate(a['ArgumentList'] ?? []));
      else if (p !== undefined) ctx.write(propertyOf(obj, toStr(p)) ?? null);
    },
    end(ctx, a) {
      if (a['End'] instanceof PsScriptBlock) ctx.writeBlock(a['End'], null);
    },
  },
  {
    name: 'Sort-Object', module: UTIL, commandType: cmd('SortObject'), input: 'all',
    params: [{ name: 'Property', type: 'any[]', position: 0 }, { name: 'Descending', type: 'switch' }, { name: 'Unique', type: 'switch' },
      { name: 'InputObject', type: 'any', pipeline: { byValue: true } }],
    run(ctx, a, input) {
      const key = (o: PsValue): PsValue[] => (a['Property'] === undefined ? [o] : selectors(ctx, a['Property'], o).map((s) => s.get(o)));
      const keyed = input.map((o, i) => ({ o, k: key(o), i }));
      const dir = a['Descending'] ? -1 : 1;
      keyed.sort((x, y) => {
        for (let j = 0; j < x.k.length; j++) {
          const c = psCompare(x.k[j], y.k[j]);
          if (c !== 0 && !Number.isNaN(c)) return c * dir;
        }
        return x.i - y.i;
      });
      let out = keyed.map((x) => x.o);
      if (a['Unique']) out = out.filter((x, i) => out.findIndex((y) => psEquals(y, x)) === i);
      for (const o of out) ctx.write(o, true);
    },
  },
  {
    name: 'Measure-Object', module: UTIL, commandType: cmd('MeasureObject'), input: 'all',
    params: [{ name: 'Property', type: 'string', position: 0 }, { name: 'Sum', type: 'switch' }, { name: 'Average', type: 'switch' },
      { name: 'Maximum', type: 'switch' }, { name: 'Minimum', type: 'switch' }, { name: 'InputObject', type: 'any', pipeline: { byValue: true } }],
    run(ctx, a, input) {
      const prop = a['Property'] !== undefined ? toStr(a['Property']) : null;
      const values = input.map((o) => (prop ? propertyOf(o, prop) : o)).filter((v) => v !== null && v !== undefined);
      const nums = (): number[] => values.map((v) => toNumber(v, 'System.Double'));
      const sum = a['Sum'] || a['Average'] ? nums().reduce((s, n) => s + n, 0) : null;
      ctx.write(new PsObject('Microsoft.PowerShell.Commands.GenericMeasureInfo', [
        ['Count', values.length],
        ['Average', a['Average'] && values.length ? sum! / values.length : null],
        ['Sum', a['Sum'] ? sum : null],
        ['Maximum', a['Maximum'] && values.length ? Math.max(...nums()) : null],
        ['Minimum', a['Minimum'] && values.length ? Math.min(...nums()) : null],
        ['Property', prop],
      ]));
    },
  },
];
