// Ansible's INI inventory format, parsed line by line into the shared builder. Every problem is
// recorded with its file:line:col and parsing goes on, so one run reports all of them.
import { didYouMean, type Loc } from '../contract/diagnostics.js';
import type { InventoryBuilder } from './builder.js';
import { HostSpecError, parseHostSpec } from './host-range.js';
import { parseIniValue } from './python-literal.js';
import { ShlexError, shlexWords } from '../pycompat/shlex.js';

type SectionKind = 'hosts' | 'children' | 'vars';
const SECTION_KINDS: SectionKind[] = ['hosts', 'children', 'vars'];

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:[#;].*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:[#;].*)?$/;

interface Reference {
  kind: 'vars' | 'child';
  group: string;
  loc: Loc;
  message: string;
}

export function parseIniInventory(text: string, file: string, inv: InventoryBuilder): void {
  // A group must be declared ([g] or [g:children]) somewhere: [g:vars] alone or a child name that
  // is never declared is a typo Ansible refuses, and so do we (after reading the whole file).
  const declared = new Set(inv.groups.keys());
  const firstError = inv.errors.length;
  const references: Reference[] = [];
  let group = 'ungrouped';
  let kind: SectionKind | 'skip' = 'hosts';

  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const indent = raw.length - raw.trimStart().length;
    const at = (offset = 0): Loc => ({ file, line: index + 1, col: indent + offset + 1 });

    const header = SECTION.exec(line);
    if (header) {
      group = header[1]!;
      const suffix = header[2];
      if (suffix !== undefined && !SECTION_KINDS.includes(suffix as SectionKind)) {
        const hint = didYouMean(suffix, SECTION_KINDS);
        inv.error(at(group.length + 2), `section [${group}:${suffix}] has unknown type '${suffix}'; use hosts, children or vars`, hint && `did you mean '${hint}'?`);
        kind = 'skip';
        return;
      }
      kind = (suffix ?? 'hosts') as SectionKind;
      inv.addGroup(group, at(1));
      if (kind === 'vars') references.push({ kind: 'vars', group, loc: at(1), message: `section [${group}:vars] is for a group that is never declared (add [${group}] or [${group}:children])` });
      else declared.add(group);
      return;
    }
    if (line.startsWith('[') && /\]\s*(?:[#;].*)?$/.test(line)) {
      inv.error(at(), `invalid section header '${line}': a group name cannot contain spaces, ':' or ']'`);
      kind = 'skip';
      return;
    }

    if (kind === 'skip') return;
    if (kind === 'children') {
      const m = GROUP_NAME.exec(line);
      if (!m) {
        inv.error(at(), `'${line}' is not a valid group name in [${group}:children]`);
        return;
      }
      const child = m[1]!;
      inv.addChild(group, child, at());
      references.push({ kind: 'child', group: child, loc: at(), message: `[${group}:children] lists group '${child}', which is never declared` });
      return;
    }
    if (kind === 'vars') {
      const eq = line.indexOf('=');
      const key = eq < 0 ? '' : line.slice(0, eq).trim();
      if (!key) {
        inv.error(at(), `expected 'key=value' in [${group}:vars], got '${line}'`);
        return;
      }
      inv.setGroupVars(group, { [key]: parseIniValue(line.slice(eq + 1).trim()) });
      return;
    }
    parseHostLine(raw, at, group, inv);
  });

  for (const ref of references) {
    if (declared.has(ref.group)) continue;
    const hint = ref.kind === 'child' ? didYouMean(ref.group, declared) : undefined;
    inv.error(ref.loc, ref.message, hint && `did you mean '${hint}'?`);
  }
  // Undeclared groups are only known at the end: keep this file's problems in line order.
  const mine = inv.errors.splice(firstError).sort((a, b) => a.loc!.line - b.loc!.line || a.loc!.col - b.loc!.col);
  inv.errors.push(...mine);
}

function parseHostLine(raw: string, at: (offset?: number) => Loc, group: string, inv: InventoryBuilder): void {
  let words;
  try {
    // Ansible splits host lines with shlex, comments on.
    words = shlexWords(raw.trimStart(), { comments: true });
  } catch (e) {
    if (!(e instanceof ShlexError)) throw e;
    const message = e.problem === 'unclosed-quote' ? `missing closing ${e.quote === '"' ? 'double' : 'single'} quote` : 'a line cannot end with a backslash';
    inv.error(at(e.offset), message);
    return;
  }
  if (words.length === 0) return; // a line holding only a comment
  const [first, ...rest] = words as [(typeof words)[0], ...typeof words];
  const vars: Record<string, unknown> = {};
  let ok = true;
  for (const w of rest) {
    const eq = w.text.indexOf('=');
    if (eq <= 0) {
      inv.error(at(w.start), `expected 'key=value' after the host name, got '${w.text}'`, w.text.includes(':') ? "INI host variables use '=', not ':'" : undefined);
      ok = false;
      continue;
    }
    vars[w.text.slice(0, eq)] = parseIniValue(w.text.slice(eq + 1));
  }
  let spec;
  try {
    spec = parseHostSpec(first.text);
  } catch (e) {
    if (!(e instanceof HostSpecError)) throw e;
    inv.error(at(first.start + e.offset), e.message);
    return;
  }
  if (!ok) return;
  const loc = at(first.start);
  for (const name of spec.names) {
    inv.addHost(name, group, loc);
    inv.setHostVars(name, spec.port !== undefined ? { ansible_port: spec.port, ...vars } : vars);
  }
}
