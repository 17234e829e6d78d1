// Renders a module's structured diff for people: unified diffs for file content, `key: before →
// after` lines for fields. Huge or binary content is summarised, never dumped onto the terminal.
import { createTwoFilesPatch } from 'diff';
import type { DiffItem } from '../contract/module.js';
import { painter, type Paint } from './ansi.js';

export interface DiffRenderOptions {
  color?: boolean;
  /** Per side; above either limit the diff is summarised. */
  maxBytes?: number;
  maxLines?: number;
}

export const DIFF_MAX_BYTES = 256 * 1024;
export const DIFF_MAX_LINES = 2000;

export function renderDiff(items: readonly DiffItem[], opts: DiffRenderOptions = {}): string[] {
  const paint = painter(!!opts.color);
  return items.flatMap((item) => (item.kind === 'text' ? renderText(item, opts, paint) : renderFields(item)));
}

function countLines(s: string): number {
  if (s === '') return 0;
  let n = 1;
  for (let i = s.indexOf('\n'); i >= 0 && i < s.length - 1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function renderText(item: Extract<DiffItem, { kind: 'text' }>, opts: DiffRenderOptions, paint: Paint): string[] {
  if (item.before === item.after) return [];
  const header = [paint('diffRemove', `--- before: ${item.path}`), paint('diffAdd', `+++ after: ${item.path}`)];
  if (item.before.includes('\0') || item.after.includes('\0')) {
    const size = (s: string) => Buffer.byteLength(s);
    return [...header, `binary content differs (${size(item.before)} → ${size(item.after)} bytes); not shown`];
  }
  const maxBytes = opts.maxBytes ?? DIFF_MAX_BYTES;
  const maxLines = opts.maxLines ?? DIFF_MAX_LINES;
  const lines = Math.max(countLines(item.before), countLines(item.after));
  if (lines > maxLines || Buffer.byteLength(item.before) > maxBytes || Buffer.byteLength(item.after) > maxBytes) {
    return [...header, `diff too large (${lines} lines); not shown`];
  }
  const patch = createTwoFilesPatch(`before: ${item.path}`, `after: ${item.path}`, item.before, item.after, undefined, undefined, { context: 3 });
  const body = patch.split('\n');
  // Drop the package's "Index:"/"====" preamble and the two file headers we already wrote.
  const start = body.findIndex((l) => l.startsWith('@@'));
  if (body[body.length - 1] === '') body.pop();
  return [
    ...header,
    ...body.slice(start < 0 ? body.length : start).map((l) => {
      if (l.startsWith('@@')) return paint('diffHunk', l);
      if (l.startsWith('+')) return paint('diffAdd', l);
      if (l.startsWith('-')) return paint('diffRemove', l);
      return l;
    }),
  ];
}

function renderFields(item: Extract<DiffItem, { kind: 'fields' }>): string[] {
  const lines = item.fields.map((f) => `${f.key}: ${show(f.before)} → ${show(f.after)}`);
  return item.label ? [`${item.label}:`, ...lines.map((l) => `  ${l}`)] : lines;
}

function show(v: unknown): string {
  if (v === undefined) return '(none)';
  if (typeof v === 'string') return v === '' || /^\s|\s$|\n/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v) ?? String(v);
}
