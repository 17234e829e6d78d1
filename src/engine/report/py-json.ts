// Result data printed the way ansible-playbook prints it: Python's json.dumps with sorted keys,
// `", "` and `": "` separators on one line, or 4-space indentation.

export function pyJson(value: unknown, indent?: number): string {
  return dump(value, indent, 0, new WeakSet());
}

function dump(v: unknown, indent: number | undefined, depth: number, seen: WeakSet<object>): string {
  if (v === undefined) return 'null';
  if (typeof v === 'bigint') return JSON.stringify(v.toString());
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Buffer.isBuffer(v)) return JSON.stringify(`<${v.length} bytes>`);
  if (seen.has(v)) return '"[circular]"';
  seen.add(v);
  try {
    const entries: Array<[string | undefined, unknown]> = Array.isArray(v)
      ? v.map((x) => [undefined, x])
      : Object.keys(v)
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .sort()
          .map((k) => [k, (v as Record<string, unknown>)[k]]);
    const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) return open + close;
    const parts = entries.map(([k, x]) => (k === undefined ? '' : `${JSON.stringify(k)}: `) + dump(x, indent, depth + 1, seen));
    if (indent === undefined) return open + parts.join(', ') + close;
    const pad = ' '.repeat(indent * (depth + 1));
    return `${open}\n${parts.map((p) => pad + p).join(',\n')}\n${' '.repeat(indent * depth)}${close}`;
  } finally {
    seen.delete(v);
  }
}
