// Content helpers: Ansible-compatible checksums and a diff that is text when both sides are text.
import { createHash } from 'node:crypto';
import type { DiffItem } from '../../engine/contract/module.js';

/** Ansible reports file checksums as sha1 hex. */
export function sha1(data: Buffer | string): string {
  return createHash('sha1').update(data).digest('hex');
}

/** Beyond this, content is summarised (sizes and checksums) instead of diffed line by line. */
export const MAX_TEXT_DIFF_BYTES = 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of a buffer, or undefined when it is binary (NUL bytes or invalid UTF-8). */
export function asText(data: Buffer): string | undefined {
  if (data.includes(0)) return undefined;
  try {
    return utf8.decode(data);
  } catch {
    return undefined;
  }
}

/** `before` undefined = the file does not exist yet. */
export function contentDiff(path: string, before: Buffer | undefined, after: Buffer): DiffItem {
  const big = (before?.length ?? 0) > MAX_TEXT_DIFF_BYTES || after.length > MAX_TEXT_DIFF_BYTES;
  const b = before === undefined ? '' : big ? undefined : asText(before);
  const a = big ? undefined : asText(after);
  if (b !== undefined && a !== undefined) return { kind: 'text', path, before: b, after: a };
  const describe = (d: Buffer | undefined) =>
    d === undefined ? '(absent)' : `(${big ? '' : 'binary, '}${d.length} bytes, sha1 ${sha1(d)})`;
  return { kind: 'fields', label: path, fields: [{ key: 'content', before: describe(before), after: describe(after) }] };
}

/** Values that are not strings become JSON, as Ansible does for `content: {a: 1}`. */
export function contentToBuffer(content: unknown): Buffer {
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  if (typeof content === 'number' || typeof content === 'boolean') return Buffer.from(String(content), 'utf8');
  return Buffer.from(JSON.stringify(content), 'utf8');
}
