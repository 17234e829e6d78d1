// Serialisation filters. JSON output matches Python's json.dumps (", " and ": " separators,
// non-ASCII escaped) because playbooks compare and template these strings.
import { Document, isScalar, parse, visit } from 'yaml';
import type { Args } from '../args.js';
import { defined, type FilterFn } from './core.js';
import { isDict, pyStr, pyTypeName } from '../py-values.js';

interface DumpOptions {
  indent?: number;
  sortKeys?: boolean;
  itemSep: string;
  ensureAscii: boolean;
}

function jsonString(s: string, ascii: boolean): string {
  const out = JSON.stringify(s);
  return ascii ? out.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : out;
}

/** Python's json.dumps for the values templates hold. */
export function pyJsonDumps(v: unknown, o: DumpOptions, depth = 0): string {
  defined(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (typeof v === 'string') return jsonString(v, o.ensureAscii);
  const nl = o.indent === undefined ? '' : `\n${' '.repeat(o.indent * (depth + 1))}`;
  const end = o.indent === undefined ? '' : `\n${' '.repeat(o.indent * depth)}`;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${nl}${v.map((x) => pyJsonDumps(x, o, depth + 1)).join(o.itemSep + nl)}${end}]`;
  }
  if (isDict(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0) return '{}';
    if (o.sortKeys) keys.sort();
    return `{${nl}${keys.map((k) => `${jsonString(k, o.ensureAscii)}: ${pyJsonDumps(v[k], o, depth + 1)}`).join(o.itemSep + nl)}${end}}`;
  }
  throw new Error(`object of type ${pyTypeName(v)} is not JSON serializable`);
}

function yamlDump(v: unknown, a: Args, nice: boolean): string {
  const indent = Number(a.get('indent', 0, nice ? 4 : 2));
  const leafFlow = !nice && a.get<unknown>('default_flow_style', -1, null) !== false;
  const width = Number(a.get('width', -1, 0));
  a.allow(['allow_unicode', 'explicit_start', 'sort_keys']);
  // PyYAML's dump (behind Ansible's filters) sorts keys and does not indent lists under a key.
  const doc = new Document(defined(v), { sortMapEntries: a.kw.sort_keys !== false });
  if (leafFlow) {
    // PyYAML's default_flow_style=None: collections holding only scalars are written inline.
    visit(doc, {
      Map: (_k, node) => void (node.flow = node.items.every((p) => isScalar(p.value))),
      Seq: (_k, node) => void (node.flow = node.items.every((i) => isScalar(i))),
    });
  }
  const text = doc.toString({ indent, lineWidth: width, indentSeq: false, flowCollectionPadding: false });
  return a.kw.explicit_start ? `---\n${text}` : text;
}

function text(v: unknown): string {
  return pyStr(defined(v));
}

export const DATA_FILTERS: Record<string, FilterFn> = {
  to_json(v, a) {
    const indent = a.get<number | null>('indent', 0, null);
    return pyJsonDumps(v, {
      ...(indent === null ? {} : { indent: Number(indent) }),
      sortKeys: !!a.get('sort_keys', 1, false),
      itemSep: indent === null ? ', ' : ',',
      ensureAscii: a.get<unknown>('ensure_ascii', 2, true) !== false,
    });
  },
  to_nice_json(v, a) {
    return pyJsonDumps(v, { indent: Number(a.get('indent', 0, 4)), sortKeys: a.get<unknown>('sort_keys', 1, true) !== false, itemSep: ',', ensureAscii: a.get<unknown>('ensure_ascii', 2, true) !== false });
  },
  from_json(v) {
    try {
      return JSON.parse(text(v));
    } catch (err) {
      throw new Error(`the value is not valid JSON: ${(err as Error).message}`);
    }
  },
  to_yaml: (v, a) => yamlDump(v, a, false),
  to_nice_yaml: (v, a) => yamlDump(v, a, true),
  from_yaml(v) {
    try {
      return parse(text(v), { version: '1.1' });
    } catch (err) {
      throw new Error(`the value is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    }
  },
};
