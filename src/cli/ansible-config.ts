// ansible.cfg as Ansible finds and reads it: the first of $ANSIBLE_CONFIG, ./ansible.cfg,
// ~/.ansible.cfg and /etc/ansible/ansible.cfg that exists is the only file read (Ansible merges
// nothing). INI as Python's configparser reads it: `[section]`, `key = value` or `key: value`, keys
// case-insensitive, `#`/`;` comment lines, ` ;` inline comments, indented lines continue a value.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { InvalidInputError, type Diagnostic } from '../engine/contract/diagnostics.js';

export interface ConfigEntry {
  section: string;
  key: string;
  value: string;
  line: number;
}

export interface AnsibleConfig {
  file: string;
  entries: ConfigEntry[];
}

/** Where the config comes from, or why ./ansible.cfg was passed over (a world-writable directory). */
export function findConfigFile(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), home = homedir()): { file?: string; warning?: string } {
  let warning: string | undefined;
  if (env.ANSIBLE_CONFIG) {
    const given = resolve(cwd, env.ANSIBLE_CONFIG.replace(/^~(?=\/|$)/, home));
    const file = isDir(given) ? join(given, 'ansible.cfg') : given;
    if (existsSync(file)) return { file };
  }
  const local = join(cwd, 'ansible.cfg');
  if (existsSync(local)) {
    // As Ansible: anyone could have put a config into a world-writable directory.
    if (statSync(cwd).mode & 0o002) warning = `ignoring ${local}: the directory ${cwd} is world writable`;
    else return { file: local };
  }
  for (const file of [join(home, '.ansible.cfg'), '/etc/ansible/ansible.cfg']) if (existsSync(file)) return { file, ...(warning ? { warning } : {}) };
  return warning ? { warning } : {};
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function readConfigFile(file: string): AnsibleConfig {
  return { file, entries: parseConfig(readFileSync(file, 'utf8'), file) };
}

export function parseConfig(text: string, file: string): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  const problems: Diagnostic[] = [];
  const seen = new Map<string, number>();
  let section: string | undefined;
  let last: ConfigEntry | undefined;
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = i + 1;
    if (/^\s*([#;].*)?$/.test(raw)) {
      if (raw.trim() === '') last = undefined; // a blank line ends a continued value
      continue;
    }
    if (/^\s/.test(raw) && last) {
      last.value = `${last.value}\n${stripComment(raw).trim()}`.trim();
      continue;
    }
    const head = /^\[([^\]]+)\]\s*$/.exec(stripComment(raw).trimEnd());
    if (head) {
      section = head[1]!.trim();
      last = undefined;
      continue;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw.trim());
    if (!kv) {
      problems.push({ loc: { file, line, col: 1 }, message: `expected '[section]' or 'key = value', got '${raw.trim()}'` });
      continue;
    }
    if (section === undefined) {
      problems.push({ loc: { file, line, col: 1 }, message: `'${kv[1]}' comes before any [section]` });
      continue;
    }
    const key = kv[1]!.toLowerCase();
    const id = `${section}\0${key}`;
    const before = seen.get(id);
    if (before !== undefined) {
      problems.push({ loc: { file, line, col: 1 }, message: `'${key}' is set twice in [${section}] (first at line ${before})` });
      continue;
    }
    seen.set(id, line);
    last = { section, key, value: stripComment(kv[2]!).trim(), line };
    entries.push(last);
  }
  if (problems.length) throw new InvalidInputError(problems);
  return entries;
}

// configparser's inline comments: `;` after whitespace (a `;` inside a value, as in a URL, stays).
const stripComment = (s: string) => s.replace(/\s;.*$/, '');
