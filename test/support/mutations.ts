// Mutation operators shared by the fuzzers: structural changes to a JSON-like tree (wrong types, lost
// or misspelled keys, stray keywords) and textual damage to its serialized YAML. Starting from a valid
// skeleton keeps most inputs parseable, so they reach validation and templating, not just the YAML
// parser. Every operator is driven by fast-check values, so failures shrink to a small reproduction.
import fc from 'fast-check';

/** Strings that have broken parsers before: template openers, YAML indicators, control characters. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '{{',
  '}}',
  '{{ x',
  '{{ }}',
  '{{ undefined_var }}',
  '{{ 1 / 0 }}',
  '{{ x | nofilter }}',
  '{% if %}',
  '{% for x in %}{% endfor %}',
  '{# open comment',
  '{{ "a" ~ }}',
  '{{ (1 }}',
  '{{ x.y.z[0] }}',
  "{{ lookup('nope') }}",
  'yes',
  'no',
  '0644',
  '0o9',
  '1e999',
  '-',
  '- a',
  ': b',
  '~',
  'null',
  '*alias',
  '&anchor x',
  '!!python/object/apply:os.system ["id"]',
  '%TAG ! tag:x',
  '\t',
  '\u0000',
  '\uFEFF',
  '\u202E',
  '\r\n',
  'a\nb',
  '"',
  "'",
  '\\',
  'ünïcødé ☃',
  '😀',
  'x'.repeat(300),
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
];

/** Keys that mean something somewhere in a playbook or inventory (placed where they do not belong). */
export const KEYWORDS = [
  'hosts', 'tasks', 'handlers', 'pre_tasks', 'post_tasks', 'roles', 'vars', 'vars_files', 'gather_facts',
  'become', 'become_user', 'serial', 'strategy', 'max_fail_percentage', 'any_errors_fatal', 'name', 'when',
  'loop', 'with_items', 'loop_control', 'register', 'notify', 'listen', 'tags', 'block', 'rescue', 'always',
  'ignore_errors', 'changed_when', 'failed_when', 'until', 'retries', 'delay', 'run_once', 'delegate_to',
  'no_log', 'environment', 'check_mode', 'diff', 'args', 'action', 'local_action', 'include_tasks',
  'import_tasks', 'import_playbook', 'include_role', 'import_role', 'meta', 'debug', 'command', 'shell',
  'copy', 'template', 'file', 'lineinfile', 'stat', 'service', 'set_fact', 'assert', 'fail', 'wait_for',
  'mofed_install', 'waagent_rdma', 'children', 'ansible_host', 'ansible_port', 'ansible_connection',
  '__proto__', 'constructor',
];

/** A value of any type, biased to the strings above. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 2 ** 53 + 1, [], {}, [[]], { '': null }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

export type TreeOp =
  | { kind: 'replace'; value: unknown }
  | { kind: 'delete' }
  | { kind: 'rename'; to: string }
  | { kind: 'typo'; at: number }
  | { kind: 'add'; key: string; value: unknown }
  | { kind: 'wrap-list' }
  | { kind: 'wrap-map'; key: string }
  | { kind: 'duplicate' };

export interface TreeMutation {
  /** Index into the list of nodes (taken modulo its length). */
  target: number;
  op: TreeOp;
}

export const treeMutation: fc.Arbitrary<TreeMutation> = fc.record({
  target: fc.nat(),
  op: fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('replace' as const), value: nastyValue }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('rename' as const), to: fc.constantFrom(...KEYWORDS) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('typo' as const), at: fc.nat() }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), key: fc.constantFrom(...KEYWORDS), value: nastyValue }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrap-list' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrap-map' as const), key: fc.constantFrom(...KEYWORDS) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const) }) },
  ),
});

type Path = Array<string | number>;

function nodes(tree: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(tree)) tree.forEach((v, i) => nodes(v, [...path, i], out));
  else if (tree && typeof tree === 'object') for (const [k, v] of Object.entries(tree)) nodes(v, [...path, k], out);
  return out;
}

function getAt(tree: unknown, path: Path): unknown {
  let cur = tree;
  for (const k of path) cur = (cur as Record<string | number, unknown>)[k];
  return cur;
}

/** Replaces an object's key while keeping its position, so the YAML keeps the same shape. */
function renameKey(obj: Record<string, unknown>, from: string, to: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === from) Object.defineProperty(out, to, { value: v, enumerable: true, writable: true, configurable: true });
    else if (k !== to) out[k] = v;
  }
  return out;
}

function typo(word: string, at: number): string {
  if (word.length < 2) return `${word}x`;
  const i = at % (word.length - 1);
  const variants = [
    word.slice(0, i) + word.slice(i + 1), // drop a letter
    word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2), // swap two
    `${word.slice(0, i)}${word[i]}${word.slice(i)}`, // double one
  ];
  return variants[at % variants.length]!;
}

/** Applies mutations in order to a deep copy of `tree`. */
export function mutateTree(tree: unknown, mutations: readonly TreeMutation[]): unknown {
  let root: unknown = structuredClone(tree);
  for (const m of mutations) {
    const all = nodes(root);
    const path = all[m.target % all.length]!;
    const value = getAt(root, path);
    const parentPath = path.slice(0, -1);
    const key = path[path.length - 1];
    const parent = path.length ? (getAt(root, parentPath) as Record<string | number, unknown>) : undefined;
    const setHere = (v: unknown) => {
      if (!parent) root = v;
      else if (Array.isArray(parent)) parent[key as number] = v;
      else Object.defineProperty(parent, key as string, { value: v, enumerable: true, writable: true, configurable: true });
    };
    const replaceParent = (next: unknown) => {
      if (parentPath.length === 0) root = next;
      else {
        const grand = getAt(root, parentPath.slice(0, -1)) as Record<string | number, unknown>;
        grand[parentPath[parentPath.length - 1]!] = next;
      }
    };
    switch (m.op.kind) {
      case 'replace':
        setHere(structuredClone(m.op.value));
        break;
      case 'delete':
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else if (parent) delete parent[key as string];
        break;
      case 'rename':
      case 'typo':
        if (parent && !Array.isArray(parent)) {
          const to = m.op.kind === 'rename' ? m.op.to : typo(String(key), m.op.at);
          replaceParent(renameKey(parent as Record<string, unknown>, key as string, to));
        }
        break;
      case 'add':
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          Object.defineProperty(value, m.op.key, { value: structuredClone(m.op.value), enumerable: true, writable: true, configurable: true });
        } else if (Array.isArray(value)) value.push(structuredClone(m.op.value));
        break;
      case 'wrap-list':
        setHere([value]);
        break;
      case 'wrap-map':
        setHere({ [m.op.key]: value });
        break;
      case 'duplicate':
        if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(value));
        break;
    }
  }
  return root;
}

/** Text-level damage: what a bad merge, a stray keystroke or a wrong indent does to a YAML file. */
export const TEXT_SNIPPETS = [
  ':', ': ', '- ', '[', ']', '{', '}', ',', '"', "'", '\t', '&a ', '*a', '*nope', '<<: *nope\n', '!!binary ',
  '!!python/object:os.system ', '!custom ', '%YAML 1.1\n', '---\n', '...\n', '#', '{{', '}}', '{%', '%}', '|',
  '>', '? ', '@', '`', '\u0000', '\uFEFF', '\r', '\u2028', '😀', '\\', '\n', '\n  ', '\n- ', 'key: value\n',
];

export type TextOp =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete-char'; at: number }
  | { kind: 'delete-line'; at: number }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'indent'; at: number; by: number }
  | { kind: 'swap-lines'; at: number }
  | { kind: 'truncate'; at: number };

export const textMutation: fc.Arbitrary<TextOp> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...TEXT_SNIPPETS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete-char' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete-line' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -3, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('swap-lines' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
);

export function mutateText(text: string, ops: readonly TextOp[]): string {
  let t = text;
  for (const op of ops) {
    const lines = t.split('\n');
    const line = lines.length ? op.at % lines.length : 0;
    const pos = t.length ? op.at % (t.length + 1) : 0;
    switch (op.kind) {
      case 'insert':
        t = t.slice(0, pos) + op.text + t.slice(pos);
        break;
      case 'delete-char':
        t = t.slice(0, pos) + t.slice(pos + 1);
        break;
      case 'delete-line':
        lines.splice(line, 1);
        t = lines.join('\n');
        break;
      case 'duplicate-line':
        lines.splice(line, 0, lines[line] ?? '');
        t = lines.join('\n');
        break;
      case 'indent': {
        const l = lines[line] ?? '';
        lines[line] = op.by >= 0 ? ' '.repeat(op.by) + l : l.replace(new RegExp(`^ {0,${-op.by}}`), '');
        t = lines.join('\n');
        break;
      }
      case 'swap-lines':
        if (lines.length > 1) {
          const j = (line + 1) % lines.length;
          [lines[line], lines[j]] = [lines[j]!, lines[line]!];
        }
        t = lines.join('\n');
        break;
      case 'truncate':
        t = t.slice(0, pos);
        break;
    }
  }
  return t;
}
