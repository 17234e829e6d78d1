// The OpenSSH client config (~/.ssh/config, or the file given with -F): `Host` blocks with glob
// patterns and `!` negations, `Match all|host|originalhost`, `Include`, `Keyword value` or
// `Keyword=value`. As in OpenSSH, the first value found for an option wins, except IdentityFile
// which accumulates. Only what a connection uses is interpreted; the rest is carried along.
import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { fileVersionCache } from './file-versions.js';
import { matchPatternList } from './known-hosts.js';

export interface ConfigLine {
  keyword: string;
  args: string[];
  /** file:line, for messages. */
  source: string;
}

/** Option name (lower case) → arguments; `identityfile` holds every value, one per entry. */
export type SshConfigOptions = Map<string, string[]>;

const MULTI = new Set(['identityfile', 'certificatefile']);

/** Splits an option line: `Key value`, `Key=value`, double-quoted arguments. */
export function tokenizeConfigLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') {
      quoted = !quoted;
      has = true;
    } else if (!quoted && (c === ' ' || c === '\t' || (c === '=' && out.length === 0))) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (quoted) throw new Error('unterminated quote');
  if (has) out.push(cur);
  return out;
}

export function parseSshConfig(text: string, file: string): ConfigLine[] {
  const lines: ConfigLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    let tokens: string[];
    try {
      tokens = tokenizeConfigLine(trimmed);
    } catch (e) {
      throw new Error(`${file}:${i + 1}:1: ${(e as Error).message}`);
    }
    if (tokens.length === 0) return;
    lines.push({ keyword: tokens[0]!.toLowerCase(), args: tokens.slice(1), source: `${file}:${i + 1}` });
  });
  return lines;
}

const expandHome = (p: string) => (p === '~' ? homedir() : p.startsWith('~/') ? join(homedir(), p.slice(2)) : p);

async function globFiles(pattern: string): Promise<string[]> {
  const dir = dirname(pattern);
  const base = basename(pattern);
  if (!/[*?]/.test(base)) return [pattern];
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((n) => matchPatternList([base], n))
    .sort()
    .map((n) => join(dir, n));
}

// Every connection of a run looks its host up: each file version is read and parsed once.
const configFiles = fileVersionCache<ConfigLine[] | undefined>();

/** Reads a config file with its Includes spliced in (relative includes resolve against ~/.ssh). */
export async function loadSshConfig(path: string, depth = 0): Promise<ConfigLine[]> {
  const lines = await configFiles(path, (data) => parseSshConfig(data.toString('utf8'), path), { unreadable: () => undefined });
  if (!lines) return [];
  if (!lines.some((l) => l.keyword === 'include')) return lines;
  const out: ConfigLine[] = [];
  for (const line of lines) {
    if (line.keyword !== 'include') {
      out.push(line);
      continue;
    }
    if (depth >= 16) throw new Error(`${line.source}:1: Include nested too deeply`);
    for (const arg of line.args) {
      const p = expandHome(arg);
      const abs = isAbsolute(p) ? p : join(homedir(), '.ssh', p);
      for (const f of await globFiles(abs)) out.push(...(await loadSshConfig(f, depth + 1)));
    }
  }
  return out;
}

function matchCriteria(args: string[], host: string): boolean {
  if (args.length === 1 && args[0]!.toLowerCase() === 'all') return true;
  for (let i = 0; i < args.length; i++) {
    const crit = args[i]!.toLowerCase();
    if (crit === 'all') continue;
    const value = args[++i];
    if ((crit === 'host' || crit === 'originalhost') && value !== undefined) {
      if (!matchPatternList(value.split(','), host)) return false;
      continue;
    }
    // Criteria we cannot evaluate (exec, user, localuser, canonical, …): the block does not apply.
    return false;
  }
  return true;
}

/** The options that apply to `host` (the name as given, before HostName), first value winning. */
export function lookupSshConfig(lines: readonly ConfigLine[], host: string): SshConfigOptions {
  const opts: SshConfigOptions = new Map();
  let active = true;
  for (const l of lines) {
    if (l.keyword === 'host') {
      active = matchPatternList(l.args, host);
      continue;
    }
    if (l.keyword === 'match') {
      active = matchCriteria(l.args, host);
      continue;
    }
    if (!active) continue;
    if (MULTI.has(l.keyword)) {
      opts.set(l.keyword, [...(opts.get(l.keyword) ?? []), ...l.args.slice(0, 1)]);
    } else if (!opts.has(l.keyword)) {
      opts.set(l.keyword, l.args);
    }
  }
  return opts;
}

export interface TokenContext {
  /** %h: the host connected to (after HostName). */
  host: string;
  /** %n: the host name as originally given. */
  originalHost: string;
  port: number;
  /** %r */
  user: string;
}

/** OpenSSH percent tokens and a leading ~ in paths. */
export function expandTokens(value: string, ctx: TokenContext): string {
  const expanded = value.replace(/%([%hnpruLdl])/g, (_, t: string) => {
    switch (t) {
      case '%':
        return '%';
      case 'h':
        return ctx.host;
      case 'n':
        return ctx.originalHost;
      case 'p':
        return String(ctx.port);
      case 'r':
        return ctx.user;
      case 'u':
        return process.env.USER ?? process.env.LOGNAME ?? 'root';
      case 'd':
        return homedir();
      default:
        return _;
    }
  });
  return expandHome(expanded);
}
