// Python string formatting as templates use it: `'%s-%02d' % (a, b)`, `'%s' | format(x)` and
// `'{}: {name}'.format(a, name=b)`. A practical subset: fill/align/width/precision and s d i f e x o g r.
import { pyRepr, pyStr, toNumber } from './py-values.js';

function pad(s: string, width: number, align: '<' | '>' | '^' | '=', fill: string): string {
  if (s.length >= width) return s;
  const n = width - s.length;
  if (align === '<') return s + fill.repeat(n);
  if (align === '^') return fill.repeat(Math.floor(n / 2)) + s + fill.repeat(Math.ceil(n / 2));
  if (align === '=' && /^[+-]/.test(s)) return s[0] + fill.repeat(n) + s.slice(1);
  return fill.repeat(n) + s;
}

function num(v: unknown, type: string): number {
  const n = toNumber(v);
  if (n === undefined || typeof v === 'string') throw new Error(`%${type} format: a number is required, not ${typeof v === 'string' ? 'str' : typeof v}`);
  return n;
}

function convert(v: unknown, type: string, precision: number | undefined, sign: string, alt: boolean): string {
  switch (type) {
    case 's':
      return precision === undefined ? pyStr(v) : pyStr(v).slice(0, precision);
    case 'r':
      return pyRepr(v);
    case 'd':
    case 'i':
    case 'n': {
      const n = Math.trunc(num(v, type));
      return (n >= 0 ? sign : '') + String(n);
    }
    case 'f':
    case 'F':
    case '%': {
      const n = num(v, type) * (type === '%' ? 100 : 1);
      return (n >= 0 ? sign : '') + n.toFixed(precision ?? 6) + (type === '%' ? '%' : '');
    }
    case 'e':
    case 'E': {
      const n = num(v, type);
      const s = n.toExponential(precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
      return (n >= 0 ? sign : '') + (type === 'E' ? s.toUpperCase() : s);
    }
    case 'g':
    case 'G': {
      const n = num(v, type);
      const s = String(Number(n.toPrecision(precision ?? 6)));
      return (n >= 0 ? sign : '') + (type === 'G' ? s.toUpperCase() : s);
    }
    case 'x':
    case 'X':
    case 'o':
    case 'b': {
      const n = Math.trunc(num(v, type));
      const radix = type === 'o' ? 8 : type === 'b' ? 2 : 16;
      const body = Math.abs(n).toString(radix);
      const prefix = alt ? (type === 'o' ? '0o' : type === 'b' ? '0b' : type === 'X' ? '0X' : '0x') : '';
      const s = (n < 0 ? '-' : n >= 0 ? sign : '') + prefix + body;
      return type === 'X' ? s.toUpperCase() : s;
    }
    default:
      throw new Error(`unsupported format character '${type}'`);
  }
}

/** Python's `fmt % args` (printf style). */
export function printf(fmt: string, args: unknown): string {
  const list = Array.isArray(args) ? args : [args];
  const named = !Array.isArray(args) && typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : undefined;
  let i = 0;
  const out = fmt.replace(/%(?:\((\w+)\))?([-+ 0#]*)(\*|\d+)?(?:\.(\d+))?([sdifFeEgGxXorc%])/g, (_m, name: string | undefined, flags: string, w: string | undefined, p: string | undefined, type: string) => {
    if (type === '%' && !name && !flags && !w && !p) return '%';
    let v: unknown;
    if (name !== undefined) {
      if (!named || !(name in named)) throw new Error(`format requires a mapping with key '${name}'`);
      v = named[name];
    } else {
      if (i >= list.length) throw new Error('not enough arguments for format string');
      v = list[i++];
    }
    const width = w === '*' ? Number(list[i++]) : w ? Number(w) : 0;
    const sign = flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
    const s = type === 'c' ? (typeof v === 'number' ? String.fromCodePoint(v) : pyStr(v)) : convert(v, type, p === undefined ? undefined : Number(p), sign, flags.includes('#'));
    if (flags.includes('-')) return pad(s, width, '<', ' ');
    if (flags.includes('0') && /[dioxXfFeEgG]/.test(type)) return pad(s, width, '=', '0');
    return pad(s, width, '>', ' ');
  });
  if (!named && i < list.length && Array.isArray(args)) throw new Error('not all arguments converted during string formatting');
  return out;
}

/** Python's `str.format(*pos, **kw)`. */
export function strFormat(fmt: string, pos: readonly unknown[], kw: Record<string, unknown>): string {
  let auto = 0;
  return fmt.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rs]))?(?::([^{}]*))?\}/g, (m, field: string | undefined, conv: string | undefined, spec: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const path = (field ?? '').split('.');
    const head = path.shift()!;
    let v: unknown;
    if (head === '') v = pos[auto++];
    else if (/^\d+$/.test(head)) v = pos[Number(head)];
    else if (head in kw) v = kw[head];
    else throw new Error(`format: no argument named '${head}'`);
    if (v === undefined && (head === '' || /^\d+$/.test(head))) throw new Error('format: not enough positional arguments');
    for (const k of path) v = (v as Record<string, unknown> | null)?.[k];
    if (conv === 'r') return applySpec(pyRepr(v), spec, true);
    return applySpec(v, spec, conv === 's');
  });
}

function applySpec(v: unknown, spec: string | undefined, asString: boolean): string {
  if (!spec) return pyStr(v);
  const m = /^(?:(.)?([<>^=]))?([+\- ])?(#)?(0)?(\d+)?(,)?(?:\.(\d+))?([sdfFeEgGxXob%])?$/.exec(spec);
  if (!m) throw new Error(`invalid format spec '${spec}'`);
  const [, fillCh, alignCh, signCh, alt, zero, w, comma, p, typeCh] = m;
  const isNum = typeof v === 'number' && !asString;
  const type = typeCh ?? (isNum ? (Number.isInteger(v) ? 'd' : 'g') : 's');
  let s = type === 's' ? pyStr(v) : convert(v, type, p === undefined ? undefined : Number(p), signCh === '-' ? '' : (signCh ?? ''), !!alt);
  if (type === 's' && p !== undefined) s = s.slice(0, Number(p));
  if (comma) s = s.replace(/^(-?)(\d+)/, (_a, sg: string, d: string) => sg + d.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
  const align = (alignCh ?? (zero ? '=' : isNum && type !== 's' ? '>' : '<')) as '<' | '>' | '^' | '=';
  return pad(s, Number(w ?? 0), align, fillCh ?? (zero && !alignCh ? '0' : ' '));
}
