// Plans as data: the JSON form a plan is stored and compared in. Changes are plain JSON values or
// Buffers (file content); Buffers travel as base64 inside a marker object, and a digest covers the
// canonical form (keys sorted), so two plans with the same meaning have the same digest.
import { createHash } from 'node:crypto';

const BUFFER_KEY = '$bytes';

/** JSON text of any plan value; Buffers become `{ "$bytes": base64 }`. */
export function encodePlanValue(value: unknown): string {
  return JSON.stringify(toJson(value));
}

/** The inverse of encodePlanValue. */
export function decodePlanValue<T = unknown>(text: string): T {
  return JSON.parse(text, (_key, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && typeof v[BUFFER_KEY] === 'string' && Object.keys(v).length === 1) {
      return Buffer.from(v[BUFFER_KEY], 'base64');
    }
    return v;
  }) as T;
}

/** sha256 (hex) of the canonical form: object keys sorted, Buffers by content, undefined dropped. */
export function planDigest(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('hex');
}

/** The canonical text itself (what signatures cover). */
export function canonicalPlanText(value: unknown): string {
  return canonical(value);
}

function toJson(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return { [BUFFER_KEY]: value.toString('base64') };
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJson(v);
    return out;
  }
  return value;
}

function canonical(value: unknown): string {
  if (Buffer.isBuffer(value)) return `{"${BUFFER_KEY}":"sha256:${createHash('sha256').update(value).digest('hex')}"}`;
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonical(v))).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
