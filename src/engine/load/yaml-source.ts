// YAML 1.1 (Ansible's dialect: yes/no booleans, 0644 octal) parsed into plain values plus a map from
// JSON pointer to source position. Everything downstream works on plain data and asks the LocMap
// where a value came from, so no layer needs to know about YAML nodes.
import { readFile } from 'node:fs/promises';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type ParsedNode, type Scalar, type Tags } from 'yaml';
import { formatLoc, sourceExcerpt, type Diagnostic, type Loc } from '../contract/diagnostics.js';
import { InvalidInputError } from '../contract/diagnostics.js';
import type { LocMap } from '../contract/playbook.js';
import { announceRevealed, isVaulted, openVault, scalarsOf } from '../vault/index.js';
import { VaultedScalar, vaultTag } from '../vault/yaml-tag.js';

export interface YamlSource {
  file: string;
  /** The first document's value (undefined for an empty file). */
  value: unknown;
  /** `''` = the document root; `/a/0/b` = that node's value. Keys' own positions are under `#/a/0/b`. */
  locs: LocMap;
  /** Non-fatal findings (duplicate keys are errors, see parse). */
  warnings: Diagnostic[];
}

/** Escapes one JSON-pointer segment (RFC 6901). */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function joinPointer(base: string, key: string | number): string {
  return `${base}/${pointerSegment(key)}`;
}

/** The location of `pointer`, or of its nearest ancestor that has one. */
export function locAt(locs: LocMap, pointer: string, fallback: Loc): Loc {
  let p = pointer;
  for (;;) {
    const hit = locs[p];
    if (hit) return hit;
    if (p === '') return fallback;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

/** Values that aliases (`*name`, `<<: *name`) may produce in one file, counting repeats. */
export const MAX_ALIAS_EXPANSION = 50_000;

/** Collections inside collections; real playbooks stay far below, and deeper input would exhaust the stack. */
export const MAX_NESTING = 200;

/** A key named `__proto__` is data like any other: define it rather than assign (which sets the prototype). */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Parses YAML text; throws InvalidInputError listing every syntax problem with its position. */
export function parseYaml(text: string, file: string): YamlSource {
  // A whole file encrypted with Ansible Vault: every value in it is a secret.
  if (isVaulted(text)) {
    let src: YamlSource;
    try {
      src = parseYaml(openVault(text, file), file);
    } catch (err) {
      // A quoted line of the clear text would print a secret: positions only.
      if (!(err instanceof InvalidInputError)) throw err;
      throw new InvalidInputError(err.diagnostics.map(({ excerpt: _, ...d }) => ({ ...d, message: `${d.message} (in the vault's decrypted text)` })));
    }
    announceRevealed(scalarsOf(src.value));
    return src;
  }
  const lineCounter = new LineCounter();
  let docs: ReturnType<typeof parseAllDocuments<ParsedNode>>;
  try {
    docs = parseAllDocuments(text, {
      version: '1.1',
      keepSourceTokens: true,
      lineCounter,
      uniqueKeys: true,
      prettyErrors: false,
      customTags: (tags) => [...ansibleBooleans(tags), vaultTag],
    });
  } catch (err) {
    // The parser recurses per nesting level and does not catch its own stack overflow everywhere.
    if (!(err instanceof RangeError)) throw err;
    throw new InvalidInputError({ loc: { file, line: 1, col: 1 }, message: 'YAML nested too deeply' });
  }
  const toLoc = (offset: number): Loc => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  const docList = Array.isArray(docs) ? docs : [docs];
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  for (const d of docList) {
    // One misplaced token makes the parser reject every token after it; those echoes bury the cause.
    let echoes = 0;
    for (const e of d.errors) {
      if (e.code === 'UNEXPECTED_TOKEN' && errors.length > 0) {
        echoes++;
        continue;
      }
      const loc = toLoc(e.pos[0]);
      const excerpt = sourceExcerpt(text, loc.line, loc.col);
      errors.push({ loc, message: cleanYamlMessage(e.message), ...(excerpt ? { excerpt } : {}) });
    }
    if (echoes > 0) errors[errors.length - 1]!.hint = `${echoes} more unexpected token${echoes === 1 ? '' : 's'} after it not shown`;
    for (const w of d.warnings) warnings.push({ loc: toLoc(w.pos[0]), message: cleanYamlMessage(w.message), severity: 'warning' });
  }
  if (errors.length) throw new InvalidInputError(errors);
  if (docList.length > 1) {
    const second = docList[1]!;
    if (second.contents !== null) {
      throw new InvalidInputError({ loc: toLoc(second.range[0]), message: 'only one YAML document per file is supported' });
    }
  }
  const doc = docList[0];
  const locs: Record<string, Loc> = {};
  if (!doc || doc.contents === null) return { file, value: undefined, locs, warnings };

  const seen = new Set<Node>();
  // Aliases of aliases grow exponentially ("billion laughs"): bound what they may expand to.
  let expanded = 0;
  let outermostAlias: Node | undefined;
  const walk = (node: unknown, pointer: string, depth = 0): unknown => {
    if (depth > MAX_NESTING) {
      throw new InvalidInputError({ loc: nodeLoc(node as Node), message: `YAML nested more than ${MAX_NESTING} levels deep` });
    }
    if (outermostAlias && ++expanded > MAX_ALIAS_EXPANSION) {
      throw new InvalidInputError({ loc: nodeLoc(outermostAlias), message: `YAML aliases expand to more than ${MAX_ALIAS_EXPANSION} values; is an alias nested in itself many times over?` });
    }
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) throw new InvalidInputError({ loc: nodeLoc(node), message: `unknown YAML alias *${node.source}` });
      if (seen.has(target)) throw new InvalidInputError({ loc: nodeLoc(node), message: 'recursive YAML alias' });
      seen.add(target);
      outermostAlias ??= node;
      try {
        return walk(target, pointer, depth);
      } finally {
        seen.delete(target);
        if (outermostAlias === node) outermostAlias = undefined;
      }
    }
    if (node && typeof node === 'object' && 'range' in node && (node as Node).range) locs[pointer] = nodeLoc(node as Node);
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        // YAML merge keys (`<<: *defaults`) as Ansible's YAML loader supports them.
        if (isScalar(keyNode) && typeof keyNode.value === 'symbol') {
          const merged = walk(pair.value, pointer, depth + 1);
          const sources = Array.isArray(merged) ? merged : [merged];
          for (const src of sources) if (src && typeof src === 'object') for (const [k, v] of Object.entries(src)) if (!Object.hasOwn(out, k)) setOwn(out, k, v);
          continue;
        }
        const rawKey = isScalar(keyNode) ? keyNode.value : keyNode === null ? '' : walk(keyNode, pointer, depth + 1);
        if (rawKey !== null && typeof rawKey === 'object') {
          // PyYAML refuses these too (an unhashable key); as text they would read '[object Object]'.
          const what = Array.isArray(rawKey) ? 'a list' : 'a mapping';
          throw new InvalidInputError({ loc: nodeLoc(keyNode as Node), message: `a mapping key must be a plain value, got ${what} (a stray '?' or a wrong indentation?)` });
        }
        const key = String(rawKey ?? '');
        const child = joinPointer(pointer, key);
        if (isScalar(keyNode) && keyNode.range) locs[`#${child}`] = nodeLoc(keyNode);
        setOwn(out, key, pair.value === null ? null : walk(pair.value, child, depth + 1));
        if (pair.value === null && isScalar(keyNode) && keyNode.range) locs[child] = nodeLoc(keyNode);
      }
      return out;
    }
    if (isSeq(node)) return node.items.map((item, i) => walk(item, joinPointer(pointer, i), depth + 1));
    if (isScalar(node)) {
      if (node.value instanceof VaultedScalar) {
        const plain = openVault(node.value.envelope, formatLoc(nodeLoc(node)));
        announceRevealed([plain]);
        return plain;
      }
      // A template's positions count from its first character: locate a templated string there,
      // past an opening quote or a block scalar's header line.
      if (typeof node.value === 'string' && node.range && /\{\{|\{%|\{#/.test(node.value)) locs[pointer] = toLoc(contentStart(text, node));
      return normalizeScalar(node.value);
    }
    return node;
  };
  function nodeLoc(node: Node): Loc {
    return toLoc(node.range![0]);
  }
  const value = walk(doc.contents, '');
  return { file, value, locs, warnings };
}

/** Offset of a scalar's first content character in the source text. */
function contentStart(text: string, node: Scalar): number {
  const start = node.range![0];
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') return text[start] === '"' || text[start] === "'" ? start + 1 : start;
  if (node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED') return start;
  // `|`/`>` and its indicators end the line; content starts at the first line that is not blank.
  const re = /\n[ \t]*(?=[^\s])/g;
  re.lastIndex = start;
  const m = re.exec(text);
  return m && m.index < node.range![1] ? m.index + m[0].length : start;
}

export async function readYamlFile(file: string): Promise<YamlSource> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? err);
    throw new InvalidInputError({ loc: { file, line: 1, col: 1 }, message: `cannot read ${file}: ${why}` });
  }
  return parseYaml(text, file);
}

// PyYAML (Ansible's loader) reads only yes/no, true/false, on/off as booleans; the yaml package's
// 1.1 schema also turns a bare `y`/`n` into booleans, which would corrupt values like `answer: y`.
function ansibleBooleans(tags: Tags): Tags {
  return tags.map((tag) => {
    if (typeof tag === 'string' || tag.tag !== 'tag:yaml.org,2002:bool' || !('test' in tag) || !tag.test) return tag;
    const truthy = tag.test.test('true');
    const test = truthy ? /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/ : /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
    return { ...tag, test };
  });
}

// Dates and binary come back as objects from YAML 1.1's timestamp/binary tags; playbooks treat them
// as strings like Ansible's loader, and bigints stay numbers when they fit.
function normalizeScalar(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return v;
}

function cleanYamlMessage(m: string): string {
  // The parser itself recurses per nesting level; its stack overflow means the same as MAX_NESTING.
  if (/Maximum call stack/.test(m)) return 'YAML nested too deeply';
  // The yaml package appends "at line X, column Y" and a code excerpt; we print positions ourselves.
  return m.replace(/ at line \d+, column \d+[\s\S]*$/, '').trim();
}
