// Console rendering of pipeline output (Out-Default / Out-String): scalars one per line, objects as
// tables (up to 4 properties) or lists (5 or more), as PowerShell's default formatter lays them out.
// Lines end in CRLF like every Windows console program's output.

import { PsErrorRecord } from './errors.js';
import { InformationalRecord, InformationRecord } from './records.js';
import { PsEnum, PsHashtable, PsObject, toStr, type PsValue } from './values.js';

const NL = '\r\n';
/** $FormatEnumerationLimit: collections inside a table/list cell show this many items, then "...". */
const ENUM_LIMIT = 4;

function cell(v: PsValue): string {
  if (Array.isArray(v)) {
    const shown = v.slice(0, ENUM_LIMIT).map(toStr).join(', ');
    return `{${shown}${v.length > ENUM_LIMIT ? '...' : ''}}`;
  }
  if (v instanceof Uint8Array) return cell([...v]);
  if (v instanceof PsHashtable) return '{' + v.keys().map(toStr).join(', ') + '}';
  return toStr(v);
}

function rows(v: PsObject | PsHashtable): [string, PsValue][] {
  if (v instanceof PsHashtable) return v.entries().map(([k, x]) => [toStr(k), x]);
  return v.entries();
}

function isNumeric(v: PsValue): boolean {
  return typeof v === 'number';
}

function table(objs: PsObject[]): string {
  const names = objs[0]!.names();
  const cells = objs.map((o) => names.map((n) => cell(o.get(n) ?? null)));
  const widths = names.map((n, i) => Math.max(n.length, ...cells.map((r) => r[i]!.length)));
  const numericCol = names.map((n) => objs.every((o) => o.get(n) === null || o.get(n) === undefined || isNumeric(o.get(n))));
  const line = (vals: string[]): string => vals.map((s, i) => {
    const last = i === vals.length - 1;
    if (numericCol[i]) return s.padStart(widths[i]!);
    return last ? s : s.padEnd(widths[i]!);
  }).join(' ').replace(/\s+$/, '');
  const header = line(names);
  const under = line(names.map((n, i) => '-'.repeat(numericCol[i] ? widths[i]! : n.length).padEnd(numericCol[i] ? 0 : n.length)));
  return [NL + header, under, ...cells.map(line)].join(NL) + NL + NL;
}

function list(objs: PsObject[]): string {
  return objs.map((o) => {
    const entries = o.entries();
    const w = Math.max(...entries.map(([k]) => k.length));
    return NL + entries.map(([k, v]) => `${k.padEnd(w)} : ${cell(v)}`).join(NL) + NL;
  }).join('') + NL;
}

function hashtableTable(t: PsHashtable): string {
  const entries = rows(t).map(([k, v]) => [k, cell(v)] as const);
  const w = Math.max(4, ...entries.map(([k]) => k.length));
  const lines = entries.map(([k, v]) => `${k.padEnd(w)} ${v}`.replace(/\s+$/, ''));
  return [NL + 'Name'.padEnd(w) + ' Value', '----'.padEnd(w) + ' -----', ...lines].join(NL) + NL + NL;
}

/** Renders a sequence of output objects as the console would show them. */
export function formatOutput(values: PsValue[]): string {
  let text = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    // Stream records format as their message (the host adds "WARNING: " etc. when it shows them).
    if (v instanceof InformationalRecord) text += v.message + NL;
    else if (v instanceof InformationRecord) text += v.text + (v.hostMessage?.noNewLine ? '' : NL);
    else if (v instanceof PsObject) {
      if (v.names().length === 0) continue;
      // Consecutive objects of one shape share a table.
      const group: PsObject[] = [v];
      while (i + 1 < values.length) {
        const n = values[i + 1];
        if (!(n instanceof PsObject) || n.typeName !== v.typeName || n.names().join() !== v.names().join()) break;
        group.push(n);
        i++;
      }
      text += v.names().length <= 4 ? table(group) : list(group);
    } else if (v instanceof PsHashtable) text += hashtableTable(v);
    else if (v instanceof PsErrorRecord) text += v.formatLines().join(NL) + NL;
    else if (v instanceof PsEnum) text += v.name + NL;
    else text += toStr(v) + NL;
  }
  return text;
}
