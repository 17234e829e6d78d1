// Runtime values of the PowerShell subset and PowerShell's own conversions between them (to string,
// to bool, to number). JS null/boolean/number/string/arrays stand for $null, [bool], numbers, [string]
// and object[]; the classes below stand for the rest.

import type { ScriptBlockAst } from './ast.js';

// Values are a closed set of JS shapes; `unknown` keeps callers honest about checking which one.
export type PsValue = unknown;

/** A PSCustomObject or a typed .NET object (VM, GPU, FileInfo...): ordered, case-insensitive properties. */
export class PsObject {
  private readonly props = new Map<string, { name: string; value: PsValue }>();
  /** What `"$obj"` prints for typed objects; PSCustomObjects print `@{a=1; b=2}`. */
  toStringText?: string;
  /** .NET methods a typed object offers ($proc.WaitForExit()); keys are lowercase. */
  methods?: Record<string, (args: PsValue[]) => PsValue>;
  /** Full names of the base types `-is` also matches (e.g. an exception's System.Exception). */
  baseTypeNames?: string[];

  constructor(
    readonly typeName = 'System.Management.Automation.PSCustomObject',
    entries: Iterable<readonly [string, PsValue]> = [],
  ) {
    for (const [k, v] of entries) this.set(k, v);
  }

  has(name: string): boolean {
    return this.props.has(name.toLowerCase());
  }

  get(name: string): PsValue | undefined {
    return this.props.get(name.toLowerCase())?.value;
  }

  set(name: string, value: PsValue): void {
    const key = name.toLowerCase();
    const existing = this.props.get(key);
    if (existing) existing.value = value;
    else this.props.set(key, { name, value });
  }

  names(): string[] {
    return [...this.props.values()].map((p) => p.name);
  }

  entries(): [string, PsValue][] {
    return [...this.props.values()].map((p) => [p.name, p.value]);
  }
}

/** @{} (unordered in PowerShell; we keep insertion order) and [ordered]@{}. Keys compare case-insensitively. */
export class PsHashtable {
  private readonly map = new Map<string, { key: PsValue; value: PsValue }>();

  constructor(readonly ordered = false) {}

  private static id(key: PsValue): string {
    if (typeof key === 'string') return 's:' + key.toLowerCase();
    if (typeof key === 'number') return 'n:' + key;
    if (key instanceof PsEnum) return 's:' + key.name.toLowerCase();
    return 'o:' + toStr(key);
  }

  get size(): number {
    return this.map.size;
  }

  has(key: PsValue): boolean {
    return this.map.has(PsHashtable.id(key));
  }

  get(key: PsValue): PsValue | undefined {
    return this.map.get(PsHashtable.id(key))?.value;
  }

  set(key: PsValue, value: PsValue): void {
    const id = PsHashtable.id(key);
    const existing = this.map.get(id);
    if (existing) existing.value = value;
    else this.map.set(id, { key, value });
  }

  delete(key: PsValue): void {
    this.map.delete(PsHashtable.id(key));
  }

  keys(): PsValue[] {
    return [...this.map.values()].map((e) => e.key);
  }

  values(): PsValue[] {
    return [...this.map.values()].map((e) => e.value);
  }

  entries(): [PsValue, PsValue][] {
    return [...this.map.values()].map((e) => [e.key, e.value]);
  }
}

/** A .NET enum value: prints as its name, compares with names or numbers, serializes as its number. */
export class PsEnum {
  constructor(
    readonly typeName: string,
    readonly name: string,
    readonly value: number,
  ) {}
}

export class PsScriptBlock {
  constructor(readonly ast: ScriptBlockAst) {}
}

/** A type literal like [IO.File]: the target of static member access. */
export class PsTypeRef {
  constructor(readonly name: string) {}
}

export const isArray = (v: PsValue): v is PsValue[] => Array.isArray(v);
export const isBytes = (v: PsValue): v is Uint8Array => v instanceof Uint8Array;

/** How PowerShell enumerates a value in a pipeline or foreach: arrays unroll, everything else is one item. */
export function enumerate(v: PsValue): PsValue[] {
  if (Array.isArray(v)) return v;
  if (v instanceof Uint8Array) return [...v];
  if (v === null || v === undefined) return [];
  return [v];
}

/** Invariant-culture number text as .NET prints doubles (15 significant digits, E notation when large). */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  let s = n.toPrecision(15);
  if (s.includes('e')) {
    const [m, e] = s.split('e') as [string, string];
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const exp = Number(e);
    return `${mant}E${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

function formatDate(d: Date): string {
  const h = d.getUTCHours();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** PowerShell's string conversion ("$x", [string]$x, parameter binding to string). */
export function toStr(v: PsValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return formatNumber(v);
  if (Array.isArray(v)) return v.map(toStr).join(' ');
  if (v instanceof PsEnum) return v.name;
  if (v instanceof PsObject) {
    if (v.toStringText !== undefined) return v.toStringText;
    if (v.typeName !== 'System.Management.Automation.PSCustomObject') return v.typeName;
    return '@{' + v.entries().map(([k, x]) => `${k}=${toStr(x)}`).join('; ') + '}';
  }
  if (v instanceof PsHashtable) return v.ordered ? 'System.Collections.Specialized.OrderedDictionary' : 'System.Collections.Hashtable';
  if (v instanceof PsScriptBlock) return v.ast.text;
  if (v instanceof PsTypeRef) return v.name;
  if (v instanceof Uint8Array) return 'System.Byte[]';
  if (v instanceof Date) return formatDate(v);
  if (v instanceof Error) return v.message;
  return String(v);
}

/** PowerShell truthiness. */
export function toBool(v: PsValue): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length === 0 ? false : v.length === 1 ? toBool(v[0]) : true;
  if (v instanceof PsEnum) return v.value !== 0;
  return true;
}

export class ConversionError extends Error {
  constructor(
    readonly value: PsValue,
    readonly targetType: string,
    readonly detail: string,
  ) {
    super(`Cannot convert value "${toStr(value)}" to type "${targetType}". Error: "${detail}"`);
    this.name = 'ConversionError';
  }
}

/** Number conversion as PowerShell's arithmetic and numeric parameters do it. */
export function toNumber(v: PsValue, targetType = 'System.Int32'): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PsEnum) return v.value;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return 0;
    const m = /^([+-]?)(0x[0-9a-f]+|(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)(kb|mb|gb|tb|pb)?$/i.exec(t);
    if (!m) throw new ConversionError(v, targetType, 'Input string was not in a correct format.');
    const body = m[2]!;
    let n = body.toLowerCase().startsWith('0x') ? parseInt(body.slice(2), 16) : Number(body);
    if (m[3]) n *= { kb: 2 ** 10, mb: 2 ** 20, gb: 2 ** 30, tb: 2 ** 40, pb: 2 ** 50 }[m[3].toLowerCase() as 'kb']!;
    return m[1] === '-' ? -n : n;
  }
  if (Array.isArray(v) && v.length === 1) return toNumber(v[0], targetType);
  throw new ConversionError(v, targetType, `Cannot convert the "${toStr(v)}" value of type "${typeNameOf(v)}" to type "${targetType}".`);
}

/** The .NET type name PowerShell would report for a value (error messages, GetType()). */
export function typeNameOf(v: PsValue): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return 'System.String';
  if (typeof v === 'boolean') return 'System.Boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? (Math.abs(v) <= 2147483647 ? 'System.Int32' : 'System.Int64') : 'System.Double';
  if (Array.isArray(v)) return 'System.Object[]';
  if (v instanceof PsObject) return v.typeName;
  if (v instanceof PsHashtable) return v.ordered ? 'System.Collections.Specialized.OrderedDictionary' : 'System.Collections.Hashtable';
  if (v instanceof PsEnum) return v.typeName;
  if (v instanceof PsScriptBlock) return 'System.Management.Automation.ScriptBlock';
  if (v instanceof PsTypeRef) return 'System.RuntimeType';
  if (v instanceof Uint8Array) return 'System.Byte[]';
  if (v instanceof Date) return 'System.DateTime';
  // Other runtime classes (error records) carry their .NET name.
  const named = (v as { typeName?: unknown }).typeName;
  return typeof named === 'string' ? named : 'System.Object';
}

/** Collapses pipeline output the way `$x = <pipeline>` does: nothing → $null, one → itself, more → array. */
export function collapse(items: PsValue[]): PsValue {
  if (items.length === 0) return null;
  if (items.length === 1) return items[0];
  return items;
}

/** Marks a growable list (ArrayList / List[object]): a JS array on which .Add() works. */
export const LIST_MARK = Symbol.for('fleetplay.ps.list');

export function listArray(): PsValue[] {
  const arr: PsValue[] = [];
  Object.defineProperty(arr, LIST_MARK, { value: true });
  return arr;
}

export function isList(v: PsValue): v is PsValue[] {
  return Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[LIST_MARK] === true;
}
