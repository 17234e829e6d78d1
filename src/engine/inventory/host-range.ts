// Host specs as Ansible writes them in inventories: `node[01:32]`, `rack[a:c]-n[0:10:2]`,
// `db1:2222` (port), `[2001:db8::1]:22`. Used by both the INI and the YAML parser.
import { isIPv6 } from 'node:net';

/** A bad host spec; `offset` is where in the spec the problem starts (for the column). */
export class HostSpecError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'HostSpecError';
  }
}

export interface HostSpec {
  names: string[];
  port?: number;
}

/** A typo like node[0:99999999] must be an error, not a controller out of memory. */
export const MAX_HOSTS_PER_SPEC = 100_000;

// Ansible orders letter ranges by Python's string.ascii_letters: a..z then A..Z.
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Splits off a port and expands ranges; throws HostSpecError. */
export function parseHostSpec(spec: string): HostSpec {
  const { pattern, port } = splitPort(spec);
  return { names: expandHostRanges(pattern), port };
}

function splitPort(spec: string): { pattern: string; port?: number } {
  if (isIPv6(spec)) return { pattern: spec };
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(spec);
  if (bracketed && isIPv6(bracketed[1]!)) return { pattern: bracketed[1]!, port: toPort(bracketed[2], spec) };
  // A ':' inside brackets belongs to a range; only one outside them can introduce a port.
  let depth = 0;
  let colon = -1;
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === ':' && depth === 0) {
      if (colon >= 0) throw new HostSpecError(`'${spec}' is not a valid host name (more than one ':')`, i);
      colon = i;
    }
  }
  if (colon < 0) return { pattern: spec };
  const portText = spec.slice(colon + 1);
  if (!/^\d+$/.test(portText)) throw new HostSpecError(`'${spec}': the port after ':' must be a number`, colon + 1);
  return { pattern: spec.slice(0, colon), port: toPort(portText, spec, colon + 1) };
}

function toPort(text: string | undefined, spec: string, offset = 0): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (n < 1 || n > 65535) throw new HostSpecError(`'${spec}': port ${text} is out of range (1-65535)`, offset);
  return n;
}

/** `web[01:03].example` → web01.example, web02.example, web03.example. */
export function expandHostRanges(pattern: string, base = 0): string[] {
  const open = pattern.indexOf('[');
  if (open < 0) {
    const close = pattern.indexOf(']');
    if (close >= 0) throw new HostSpecError(`unmatched ']' in host name '${pattern}'`, base + close);
    return [pattern];
  }
  const close = pattern.indexOf(']', open);
  if (close < 0) throw new HostSpecError(`unclosed '[' in host range '${pattern}'`, base + open);
  const head = pattern.slice(0, open);
  const body = pattern.slice(open + 1, close);
  const tails = expandHostRanges(pattern.slice(close + 1), base + close + 1);
  const seq = expandRangeBody(body, base + open + 1);
  if (seq.length * tails.length > MAX_HOSTS_PER_SPEC) {
    throw new HostSpecError(`host pattern '${pattern}' expands to ${seq.length * tails.length} hosts; at most ${MAX_HOSTS_PER_SPEC} per entry`, base + open);
  }
  const out: string[] = [];
  for (const s of seq) for (const t of tails) out.push(head + s + t);
  return out;
}

function expandRangeBody(body: string, offset: number): string[] {
  const bounds = body.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) {
    throw new HostSpecError(`host range '[${body}]' must be [begin:end] or [begin:end:step]`, offset);
  }
  const [rawBegin, end, stepText] = bounds as [string, string, string | undefined];
  const begin = rawBegin === '' ? '0' : rawBegin;
  if (end === '') throw new HostSpecError(`host range '[${body}]' has no end value`, offset);
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText) || Number(stepText) === 0) {
      throw new HostSpecError(`host range '[${body}]': the step must be a positive whole number`, offset);
    }
    step = Number(stepText);
  }
  if (LETTERS.includes(begin) && LETTERS.includes(end) && begin.length === 1 && end.length === 1) {
    const b = LETTERS.indexOf(begin);
    const e = LETTERS.indexOf(end);
    if (b > e) throw new HostSpecError(`host range '[${body}]': begin must not come after end`, offset);
    const out: string[] = [];
    for (let i = b; i <= e; i += step) out.push(LETTERS[i]!);
    return out;
  }
  if (!/^\d+$/.test(begin) || !/^\d+$/.test(end)) {
    throw new HostSpecError(`host range '[${body}]': begin and end must both be numbers or both single letters`, offset);
  }
  // A leading zero asks for zero padding, as in node[01:32]; both ends must then have the same width.
  const width = begin.length > 1 && begin.startsWith('0') ? begin.length : 0;
  if (width && end.length !== width) {
    throw new HostSpecError(`host range '[${body}]': zero-padded begin and end must have the same width`, offset);
  }
  const b = Number(begin);
  const e = Number(end);
  if (b > e) throw new HostSpecError(`host range '[${body}]': begin must not be greater than end`, offset);
  const count = Math.floor((e - b) / step) + 1;
  if (count > MAX_HOSTS_PER_SPEC) {
    throw new HostSpecError(`host range '[${body}]' expands to ${count} hosts; at most ${MAX_HOSTS_PER_SPEC} per entry`, offset);
  }
  const out: string[] = [];
  for (let i = b; i <= e; i += step) out.push(width ? String(i).padStart(width, '0') : String(i));
  return out;
}
