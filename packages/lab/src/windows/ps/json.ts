// ConvertTo-Json / ConvertFrom-Json as Windows PowerShell 5.1 does them: its odd pretty-printing
// (4-space steps from the column of the opening bracket, two spaces after the colon, CRLF), enums as
// numbers, `<>&'` escaped as \u00XX, objects past -Depth replaced by their string form, and dates as
// "\/Date(ms)\/".

import { CmdletError, errorInfo, PsErrorRecord } from './errors.js';
import { formatNumber, PsEnum, PsHashtable, PsObject, PsScriptBlock, toStr, type PsValue } from './values.js';

const NL = '\r\n';

function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || ch === "'") out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

type Node = { t: 'raw'; v: string } | { t: 'arr'; items: Node[] } | { t: 'obj'; entries: [string, Node][] };

function toNode(v: PsValue, depth: number, maxDepth: number): Node {
  if (v === null || v === undefined) return { t: 'raw', v: 'null' };
  if (typeof v === 'boolean') return { t: 'raw', v: String(v) };
  if (typeof v === 'number') return { t: 'raw', v: Number.isFinite(v) ? formatNumber(v) : quote(formatNumber(v)) };
  if (typeof v === 'string') return { t: 'raw', v: quote(v) };
  if (v instanceof PsEnum) return { t: 'raw', v: String(v.value) };
  if (v instanceof Date) return { t: 'raw', v: `"\\/Date(${v.getTime()})\\/"` };
  if (v instanceof Uint8Array) return { t: 'arr', items: [...v].map((b) => ({ t: 'raw', v: String(b) })) };
  if (Array.isArray(v)) return { t: 'arr', items: v.map((x) => toNode(x, depth, maxDepth)) };
  if (v instanceof PsScriptBlock || v instanceof PsErrorRecord) return { t: 'raw', v: quote(toStr(v)) };
  if (v instanceof PsObject || v instanceof PsHashtable) {
    if (depth > maxDepth) return { t: 'raw', v: quote(toStr(v)) };
    const entries: [string, PsValue][] = v instanceof PsHashtable ? v.entries().map(([k, x]) => [toStr(k), x]) : v.entries();
    return { t: 'obj', entries: entries.map(([k, x]) => [k, toNode(x, depth + 1, maxDepth)]) };
  }
  return { t: 'raw', v: quote(toStr(v)) };
}

function compact(n: Node): string {
  if (n.t === 'raw') return n.v;
  if (n.t === 'arr') return '[' + n.items.map(compact).join(',') + ']';
  return '{' + n.entries.map(([k, x]) => `${quote(k)}:${compact(x)}`).join(',') + '}';
}

/** `col` is the column of the opening bracket; children sit 4 columns further in. */
function pretty(n: Node, col: number): string {
  if (n.t === 'raw') return n.v;
  const pad = ' '.repeat(col + 4);
  if (n.t === 'arr') {
    if (n.items.length === 0) return '[' + NL + NL + ' '.repeat(col) + ']';
    return '[' + NL + n.items.map((x) => pad + pretty(x, col + 4)).join(',' + NL) + NL + ' '.repeat(col) + ']';
  }
  if (n.entries.length === 0) return '{' + NL + NL + ' '.repeat(col) + '}';
  return '{' + NL + n.entries.map(([k, x]) => {
    const head = `${quote(k)}:  `;
    return pad + head + pretty(x, col + 4 + head.length);
  }).join(',' + NL) + NL + ' '.repeat(col) + '}';
}

export function convertToJson(value: PsValue, depth = 2, compress = false): string {
  const node = toNode(value, 0, depth);
  return compress ? compact(node) : pretty(node, 0);
}

function fromJs(v: unknown): PsValue {
  if (Array.isArray(v)) return v.map(fromJs);
  if (v !== null && typeof v === 'object') return new PsObject(undefined, Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromJs(x)] as const));
  return v as PsValue;
}

/** Parses JSON text into PSCustomObjects; errors carry Windows PowerShell's ArgumentException text. */
export function convertFromJson(text: string): PsValue {
  try {
    return fromJs(JSON.parse(text));
  } catch (e) {
    const token = /^\s*(\S{1,20})/.exec(text)?.[1] ?? '';
    const message = text.trim() === '' ? 'Cannot bind argument to parameter \'InputObject\' because it is an empty string.' : `Invalid JSON primitive: ${token}.`;
    throw new CmdletError(errorInfo(message, 'NotSpecified', 'System.ArgumentException', 'ArgumentException', text), true);
  }
}
