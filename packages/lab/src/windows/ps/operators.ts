// PowerShell operator semantics: the left operand's type decides how the right one converts, string
// comparisons ignore case unless the operator is c-prefixed, and comparison operators filter arrays.

import { CmdletError, errorInfo } from './errors.js';
import { isTypeMatch } from './types.js';
import { ConversionError, enumerate, PsEnum, PsHashtable, PsTypeRef, toBool, toNumber, toStr, typeNameOf, type PsValue } from './values.js';

/** Converts a -like wildcard pattern to a RegExp (`*`, `?`, `[abc]`, backtick escapes). */
export function wildcardToRegExp(pattern: string, caseSensitive = false): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '`' && i + 1 < pattern.length) re += escapeRe(pattern[++i]!);
    else if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += '[' + pattern.slice(i + 1, end).replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, caseSensitive ? 's' : 'is');
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export function hasWildcard(s: string): boolean {
  return /[*?[]/.test(s);
}

/** PowerShell equality with the left operand deciding the conversion. */
export function psEquals(left: PsValue, right: PsValue, caseSensitive = false): boolean {
  if (left === null || left === undefined) return right === null || right === undefined;
  if (right === null || right === undefined) return false;
  if (typeof left === 'string') {
    const r = toStr(right);
    return caseSensitive ? left === r : left.toLowerCase() === r.toLowerCase();
  }
  if (typeof left === 'number') {
    try {
      return left === toNumber(right);
    } catch {
      return false;
    }
  }
  if (typeof left === 'boolean') return left === toBool(right);
  if (left instanceof PsEnum) {
    if (right instanceof PsEnum) return left.value === right.value;
    if (typeof right === 'number') return left.value === right;
    return left.name.toLowerCase() === toStr(right).toLowerCase();
  }
  return left === right;
}

/** -lt/-gt ordering; returns negative, zero or positive. */
export function psCompare(left: PsValue, right: PsValue, caseSensitive = false): number {
  if (typeof left === 'number' || typeof left === 'boolean' || left instanceof PsEnum) {
    const l = toNumber(left);
    const r = right instanceof PsEnum ? right.value : typeof right === 'string' && left instanceof PsEnum ? enumValueOf(left, right) : toNumber(right, typeNameOf(left));
    return l - r;
  }
  if (left === null || left === undefined) return right === null || right === undefined ? 0 : -1;
  if (right === null || right === undefined) return 1;
  if (left instanceof Date && right instanceof Date) return left.getTime() - right.getTime();
  const l = toStr(left);
  const r = toStr(right);
  if (caseSensitive) return l < r ? -1 : l > r ? 1 : 0;
  return l.localeCompare(r, 'en', { sensitivity: 'base' });
}

function enumValueOf(e: PsEnum, name: string): number {
  return e.name.toLowerCase() === name.toLowerCase() ? e.value : NaN;
}

function scalarCompare(op: string, l: PsValue, r: PsValue, cs: boolean, matches: (m: RegExpExecArray) => void): boolean {
  switch (op) {
    case 'eq': return psEquals(l, r, cs);
    case 'ne': return !psEquals(l, r, cs);
    case 'gt': return psCompare(l, r, cs) > 0;
    case 'ge': return psCompare(l, r, cs) >= 0;
    case 'lt': return psCompare(l, r, cs) < 0;
    case 'le': return psCompare(l, r, cs) <= 0;
    case 'like': return wildcardToRegExp(toStr(r), cs).test(toStr(l));
    case 'notlike': return !wildcardToRegExp(toStr(r), cs).test(toStr(l));
    case 'match':
    case 'notmatch': {
      const m = dotnetRegExp(toStr(r), cs).exec(toStr(l));
      if (m && op === 'match') matches(m);
      return op === 'match' ? m !== null : m === null;
    }
    default: throw new Error(`not a scalar comparison: ${op}`);
  }
}

/** .NET regex syntax is close enough to JS for the subset; named groups `(?<n>)` work in both. */
export function dotnetRegExp(pattern: string, caseSensitive = false, global = false): RegExp {
  try {
    return new RegExp(pattern, (caseSensitive ? '' : 'i') + (global ? 'g' : ''));
  } catch (e) {
    throw new CmdletError(errorInfo(`The regular expression pattern ${pattern} is not valid.`, 'InvalidOperation', 'InvalidRegularExpression'), true);
  }
}

export interface OperatorHooks {
  /** Sets $Matches after a successful scalar -match. */
  setMatches(m: RegExpExecArray): void;
  formatString(format: string, args: PsValue[]): string;
}

/** Evaluates a binary operator (everything except -and/-or, which short-circuit in the interpreter). */
export function binaryOp(op: string, left: PsValue, right: PsValue, hooks: OperatorHooks): PsValue {
  let cs = false;
  let base = op;
  if (/^[ci](eq|ne|gt|ge|lt|le|like|notlike|match|notmatch|replace|contains|notcontains|in|notin|split)$/.test(op)) {
    cs = op[0] === 'c';
    base = op.slice(1);
  }
  switch (base) {
    case 'eq': case 'ne': case 'gt': case 'ge': case 'lt': case 'le':
    case 'like': case 'notlike': case 'match': case 'notmatch':
      if (Array.isArray(left)) return left.filter((x) => scalarCompare(base, x, right, cs, () => {}));
      return scalarCompare(base, left, right, cs, hooks.setMatches);
    case 'contains': return enumerate(left).some((x) => psEquals(x, right, cs));
    case 'notcontains': return !enumerate(left).some((x) => psEquals(x, right, cs));
    case 'in': return enumerate(right).some((x) => psEquals(x, left, cs));
    case 'notin': return !enumerate(right).some((x) => psEquals(x, left, cs));
    case 'replace': {
      const [pat, rep] = Array.isArray(right) ? [toStr(right[0]), toStr(right[1] ?? '')] : [toStr(right), ''];
      const re = dotnetRegExp(pat, cs, true);
      const one = (s: PsValue): string => toStr(s).replace(re, rep);
      return Array.isArray(left) ? left.map(one) : one(left);
    }
    case 'split': {
      const re = dotnetRegExp(toStr(Array.isArray(right) ? right[0] : right), cs);
      return enumerate(left).flatMap((s) => toStr(s).split(re));
    }
    case 'join': return enumerate(left).map(toStr).join(toStr(right));
    case 'is': return isTypeMatch(left, typeRefName(right));
    case 'isnot': return !isTypeMatch(left, typeRefName(right));
    case 'as': return left;
    case 'band': return toNumber(left) & toNumber(right);
    case 'bor': return toNumber(left) | toNumber(right);
    case 'bxor': return toNumber(left) ^ toNumber(right);
    case 'xor': return toBool(left) !== toBool(right);
    case 'f': return hooks.formatString(toStr(left), enumerate(right));
    case '..': {
      const a = Math.trunc(toNumber(left));
      const b = Math.trunc(toNumber(right));
      const out: number[] = [];
      for (let i = a; a <= b ? i <= b : i >= b; i += a <= b ? 1 : -1) out.push(i);
      return out;
    }
    case '+': return add(left, right);
    case '-': case '*': case '/': case '%': return arithmetic(base, left, right);
    default: throw new Error(`unknown operator ${op}`);
  }
}

function typeRefName(v: PsValue): string {
  return v instanceof PsTypeRef ? v.name : toStr(v);
}

function add(left: PsValue, right: PsValue): PsValue {
  if (Array.isArray(left)) return [...left, ...(Array.isArray(right) ? right : [right])];
  if (typeof left === 'string') return left + toStr(right);
  if (left instanceof PsHashtable && right instanceof PsHashtable) {
    const out = new PsHashtable(left.ordered);
    for (const [k, v] of left.entries()) out.set(k, v);
    for (const [k, v] of right.entries()) {
      if (out.has(k)) throw new CmdletError(errorInfo(`Item has already been added. Key in dictionary: '${toStr(k)}'  Key being added: '${toStr(k)}'`, 'OperationStopped', 'System.ArgumentException', 'ArgumentException'), true);
      out.set(k, v);
    }
    return out;
  }
  if (left === null || left === undefined) return right;
  return arithmetic('+', left, right);
}

function arithmetic(op: string, left: PsValue, right: PsValue): PsValue {
  if (op === '*' && typeof left === 'string') return left.repeat(Math.max(0, Math.trunc(toNumber(right))));
  if (op === '*' && Array.isArray(left)) {
    const out: PsValue[] = [];
    for (let i = 0; i < Math.trunc(toNumber(right)); i++) out.push(...left);
    return out;
  }
  let l: number;
  let r: number;
  try {
    l = toNumber(left, 'System.Double');
    r = toNumber(right, 'System.Double');
  } catch (e) {
    if (e instanceof ConversionError) {
      throw new CmdletError(errorInfo(`Method invocation failed because [${typeNameOf(left)}] does not contain a method named 'op_${{ '-': 'Subtraction', '*': 'Multiply', '/': 'Division', '%': 'Modulus', '+': 'Addition' }[op]}'.`, 'InvalidOperation', 'MethodNotFound'), true);
    }
    throw e;
  }
  switch (op) {
    case '+': return l + r;
    case '-': return l - r;
    case '*': return l * r;
    case '/':
      if (r === 0) throw new CmdletError(errorInfo('Attempted to divide by zero.', 'NotSpecified', 'RuntimeException'), true);
      return l / r;
    default:
      if (r === 0) throw new CmdletError(errorInfo('Attempted to divide by zero.', 'NotSpecified', 'RuntimeException'), true);
      return l % r;
  }
}

/** .NET composite formatting for -f: {0}, {0,10}, {0:N2}, {0:D3}, {0:X}, {0:F1}, {0:P0}. */
export function formatComposite(format: string, args: PsValue[]): string {
  return format.replace(/\{\{|\}\}|\{(\d+)(?:,(-?\d+))?(?::([^}]*))?\}/g, (all, idx, align, spec) => {
    if (all === '{{') return '{';
    if (all === '}}') return '}';
    const v = args[Number(idx)];
    let s = spec ? formatWithSpec(v, spec) : toStr(v);
    if (align) {
      const w = Number(align);
      s = w < 0 ? s.padEnd(-w) : s.padStart(w);
    }
    return s;
  });
}

function formatWithSpec(v: PsValue, spec: string): string {
  const m = /^([NnDdXxFfPp])(\d*)$/.exec(spec);
  if (!m) return toStr(v);
  const n = toNumber(v);
  const digits = m[2] === '' ? undefined : Number(m[2]);
  switch (m[1]!.toUpperCase()) {
    case 'N': return n.toLocaleString('en-US', { minimumFractionDigits: digits ?? 2, maximumFractionDigits: digits ?? 2 });
    case 'D': return String(Math.trunc(n)).padStart(digits ?? 0, '0');
    case 'X': {
      const hex = Math.trunc(n).toString(16).padStart(digits ?? 0, '0');
      return m[1] === 'X' ? hex.toUpperCase() : hex;
    }
    case 'F': return n.toFixed(digits ?? 2);
    default: return (n * 100).toFixed(digits ?? 2) + ' %';
  }
}
