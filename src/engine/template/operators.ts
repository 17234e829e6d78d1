// Jinja's operators follow Python, not JavaScript: `[1] + [2]` is a list, `'-' * 3` repeats,
// `'%s' % x` formats, `==` compares structure, `in` looks into lists, dicts and strings, and
// mixing types is an error rather than a silent coercion.
import { printf } from './py-format.js';
import { deepEqual, hasKey, isDict, pyStr, pyTypeName } from './py-values.js';
import { isUndefined, UndefinedUse } from './undefined.js';

function defined(v: unknown): unknown {
  if (isUndefined(v)) throw new UndefinedUse(v);
  return v;
}

function isNum(v: unknown): v is number | boolean {
  return typeof v === 'number' || typeof v === 'boolean';
}

function unsupported(op: string, a: unknown, b: unknown): Error {
  return new Error(`unsupported operand types for ${op}: '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}

export function add(a: unknown, b: unknown): unknown {
  defined(a);
  defined(b);
  if (isNum(a) && isNum(b)) return Number(a) + Number(b);
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  throw unsupported('+', a, b);
}

export function sub(a: unknown, b: unknown): unknown {
  if (isNum(defined(a)) && isNum(defined(b))) return Number(a) - Number(b);
  throw unsupported('-', a, b);
}

export function mul(a: unknown, b: unknown): unknown {
  defined(a);
  defined(b);
  if (isNum(a) && isNum(b)) return Number(a) * Number(b);
  const [seq, n] = isNum(a) ? [b, Number(a)] : [a, Number(b)];
  if (isNum(a) !== isNum(b) && Number.isInteger(n)) {
    if (typeof seq === 'string') return seq.repeat(Math.max(0, n));
    if (Array.isArray(seq)) return Array.from({ length: Math.max(0, n) }, () => seq).flat();
  }
  throw unsupported('*', a, b);
}

function divisor(a: unknown, b: unknown, op: string): number {
  if (!isNum(defined(a)) || !isNum(defined(b))) throw unsupported(op, a, b);
  if (Number(b) === 0) throw new Error('division by zero');
  return Number(b);
}

export function div(a: unknown, b: unknown): number {
  return Number(a) / divisor(a, b, '/');
}

export function floorDiv(a: unknown, b: unknown): number {
  return Math.floor(Number(a) / divisor(a, b, '//'));
}

export function mod(a: unknown, b: unknown): unknown {
  if (typeof defined(a) === 'string') return printf(a as string, defined(b));
  const d = divisor(a, b, '%');
  const r = Number(a) % d;
  // Python's modulo takes the sign of the divisor.
  return r !== 0 && Math.sign(r) !== Math.sign(d) ? r + d : r;
}

export function pow(a: unknown, b: unknown): number {
  if (!isNum(defined(a)) || !isNum(defined(b))) throw unsupported('**', a, b);
  return Number(a) ** Number(b);
}

export function neg(a: unknown): number {
  if (!isNum(defined(a))) throw new Error(`bad operand type for unary -: '${pyTypeName(a)}'`);
  return -Number(a);
}

export function concat(a: unknown, b: unknown): string {
  return pyStr(a) + pyStr(b);
}

function order(op: string, a: unknown, b: unknown): number {
  if (isNum(a) && isNum(b)) return Number(a) - Number(b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (deepEqual(a[i], b[i])) continue;
      return order(op, a[i], b[i]);
    }
    return a.length - b.length;
  }
  throw new Error(`'${op}' not supported between '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}

function compareOne(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
    case '===':
      return deepEqual(a, b);
    case '!=':
    case '!==':
      return !deepEqual(a, b);
    case '<':
      return order(op, defined(a), defined(b)) < 0;
    case '<=':
      return order(op, defined(a), defined(b)) <= 0;
    case '>':
      return order(op, defined(a), defined(b)) > 0;
    case '>=':
      return order(op, defined(a), defined(b)) >= 0;
    default:
      throw new Error(`unknown comparison '${op}'`);
  }
}

/** Python's chained comparison: `a < b < c` is `a < b and b < c`. */
export function compare(operands: unknown[], ops: string[]): boolean {
  for (let i = 0; i < ops.length; i++) if (!compareOne(ops[i]!, operands[i], operands[i + 1])) return false;
  return true;
}

/** Python's `item in container`. */
export function contains(item: unknown, container: unknown): boolean {
  defined(item);
  defined(container);
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new Error(`'in <string>' requires a string as left operand, not ${pyTypeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => deepEqual(item, x));
  if (isDict(container)) return (typeof item === 'string' || typeof item === 'number') && hasKey(container, String(item));
  throw new Error(`argument of type '${pyTypeName(container)}' is not iterable`);
}
