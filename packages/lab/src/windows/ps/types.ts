// Type names, casts ([int]$x, [pscustomobject]@{}) and -is checks for the types the subset knows.

import { CmdletError, errorInfo } from './errors.js';
import { ConversionError, enumerate, isArray, PsEnum, PsHashtable, PsObject, PsScriptBlock, toBool, toNumber, toStr, typeNameOf, type PsValue } from './values.js';

/** Canonical lowercase name without the `System.` prefix; accelerators map to their full names. */
export function normalizeTypeName(name: string): string {
  let n = name.trim().toLowerCase().replace(/\s+/g, '');
  if (n.startsWith('system.')) n = n.slice(7);
  const aliases: Record<string, string> = {
    int32: 'int', int64: 'long', boolean: 'bool', single: 'float', object: 'object', psobject: 'psobject',
    'collections.hashtable': 'hashtable', 'management.automation.pscustomobject': 'pscustomobject',
    'management.automation.scriptblock': 'scriptblock', 'collections.specialized.ordereddictionary': 'ordered',
    'io.file': 'io.file', 'text.encoding': 'text.encoding', 'management.automation.switchparameter': 'switch',
    'object[]': 'array', uint16: 'uint16', uint32: 'uint32', uint64: 'uint64', 'string[]': 'string[]',
  };
  return aliases[n] ?? n;
}

const INT_RANGES: Record<string, [number, number, string]> = {
  int: [-2147483648, 2147483647, 'System.Int32'],
  long: [-(2 ** 63), 2 ** 63 - 1, 'System.Int64'],
  uint16: [0, 65535, 'System.UInt16'],
  uint32: [0, 4294967295, 'System.UInt32'],
  uint64: [0, 2 ** 64 - 1, 'System.UInt64'],
  byte: [0, 255, 'System.Byte'],
  int16: [-32768, 32767, 'System.Int16'],
};

/** .NET's Convert rounding: half to even. */
function roundHalfEven(n: number): number {
  const r = Math.round(n);
  return Math.abs(n % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function convertToInteger(v: PsValue, type: string): number {
  const [min, max, full] = INT_RANGES[type]!;
  const n = toNumber(v, full);
  if (Number.isNaN(n)) throw new ConversionError(v, full, 'Input string was not in a correct format.');
  const r = roundHalfEven(n);
  if (r < min || r > max) throw new ConversionError(v, full, `Value was either too large or too small for ${full.replace('System.', 'an ')}.`);
  return r;
}

/** Applies `[type]value`. Throws CmdletError (InvalidArgument) with PowerShell's conversion text. */
export function castValue(typeName: string, v: PsValue): PsValue {
  const t = normalizeTypeName(typeName);
  try {
    if (t in INT_RANGES) return convertToInteger(v, t);
    switch (t) {
      case 'double': case 'float': case 'decimal': return toNumber(v, 'System.Double');
      case 'string': return v === null || v === undefined ? '' : toStr(v);
      case 'bool': case 'switch': return toBool(v);
      case 'array': return v === null || v === undefined ? [] : isArray(v) ? v : v instanceof Uint8Array ? [...v] : [v];
      case 'string[]': return enumerate(v).map(toStr);
      case 'int[]': case 'int32[]': return enumerate(v).map((x) => convertToInteger(x, 'int'));
      case 'long[]': case 'int64[]': return enumerate(v).map((x) => convertToInteger(x, 'long'));
      case 'byte[]': return v instanceof Uint8Array ? v : Uint8Array.from(enumerate(v).map((x) => convertToInteger(x, 'byte')));
      case 'char': {
        const s = toStr(v);
        if (typeof v === 'number') return String.fromCharCode(v);
        if (s.length !== 1) throw new ConversionError(v, 'System.Char', 'String must be exactly one character long.');
        return s;
      }
      case 'pscustomobject': case 'psobject':
        if (v instanceof PsHashtable) return new PsObject(undefined, v.entries().map(([k, x]) => [toStr(k), x] as const));
        return v;
      case 'hashtable': case 'ordered': {
        if (v instanceof PsHashtable) {
          if (t === 'hashtable' || v.ordered) return v;
          const o = new PsHashtable(true);
          for (const [k, x] of v.entries()) o.set(k, x);
          return o;
        }
        throw new ConversionError(v, 'System.Collections.Hashtable', `Cannot convert the "${toStr(v)}" value of type "${typeNameOf(v)}" to type "System.Collections.Hashtable".`);
      }
      case 'scriptblock':
        if (v instanceof PsScriptBlock) return v;
        throw new ConversionError(v, 'System.Management.Automation.ScriptBlock', 'Invalid cast.');
      case 'object': return v;
      case 'void': return undefined;
      case 'datetime': {
        if (v instanceof Date) return v;
        const d = new Date(toStr(v));
        if (Number.isNaN(d.getTime())) throw new ConversionError(v, 'System.DateTime', 'String was not recognized as a valid DateTime.');
        return d;
      }
      case 'guid': {
        const s = toStr(v);
        if (!/^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i.test(s)) {
          throw new ConversionError(v, 'System.Guid', 'Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).');
        }
        return s.replace(/[{}]/g, '').toLowerCase();
      }
      default:
        if (v instanceof PsEnum && normalizeTypeName(v.typeName) === t) return v;
        throw new CmdletError(errorInfo(`Unable to find type [${typeName}].`, 'InvalidOperation', 'TypeNotFound', 'RuntimeException', typeName), true);
    }
  } catch (e) {
    if (e instanceof ConversionError) {
      throw new CmdletError(errorInfo(e.message, 'InvalidArgument', 'InvalidCastFromStringToInteger', 'RuntimeException', v), true);
    }
    throw e;
  }
}

/** `$x -is [type]`. */
export function isTypeMatch(v: PsValue, typeName: string): boolean {
  const t = normalizeTypeName(typeName);
  switch (t) {
    case 'string': return typeof v === 'string';
    case 'int': return typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= 2147483647;
    case 'long': return typeof v === 'number' && Number.isInteger(v);
    case 'double': return typeof v === 'number' && !Number.isInteger(v);
    case 'valuetype': return typeof v === 'number' || typeof v === 'boolean' || v instanceof PsEnum;
    case 'bool': return typeof v === 'boolean';
    case 'array': return Array.isArray(v) || v instanceof Uint8Array;
    case 'byte[]': return v instanceof Uint8Array;
    case 'hashtable': return v instanceof PsHashtable;
    case 'collections.idictionary': return v instanceof PsHashtable;
    case 'pscustomobject': return v instanceof PsObject && v.typeName === 'System.Management.Automation.PSCustomObject';
    case 'psobject': case 'object': return v !== null && v !== undefined;
    case 'scriptblock': return v instanceof PsScriptBlock;
    case 'datetime': return v instanceof Date;
    default: {
      if (v === null || v === undefined) return false;
      const names = v instanceof PsObject ? [v.typeName, ...(v.baseTypeNames ?? [])] : [typeNameOf(v)];
      return names.some((n) => normalizeTypeName(n) === t || n.toLowerCase().endsWith('.' + t));
    }
  }
}
