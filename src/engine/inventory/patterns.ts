// Ansible host patterns: terms joined by ':' (or ','), `&term` intersects, `!term` excludes, each term
// a host or group name, a glob (`web*`), a regex (`~web\d+`) or one of those with a subscript
// (`web[0]`, `web[1:3]`, inclusive). Plain terms apply first, then `&`, then `!`, whatever their
// order in the pattern, and a pattern of only `&`/`!` terms starts from `all` — as in Ansible.
import { isIPv6 } from 'node:net';
import { InvalidInputError } from '../contract/diagnostics.js';
import { globRegExp, isGlob } from './fnmatch.js';

export interface PatternView {
  /** Every host in inventory order (the `all` group). */
  hostNames: readonly string[];
  groupNames: readonly string[];
  /** A group's hosts, descendants included, in Ansible's order. */
  groupHosts(group: string): readonly string[];
}

const IMPLICIT_LOCALHOST = ['localhost', '127.0.0.1', '::1'];

export function splitPattern(pattern: string): string[] {
  const p = pattern.trim();
  // With a comma, only commas separate terms (so IPv6 addresses and `host:port` survive).
  if (p.includes(',')) return p.split(',').map((t) => t.trim()).filter(Boolean);
  if (isIPv6(p)) return [p];
  const term = /(?:[^\s:[\]]|\[[^\]]*\])+/g;
  // A bracket the terms cannot take would otherwise vanish: `~[` would become `~`, which matches every host.
  const stray = /[[\]]/.exec(p.replace(term, ''));
  if (stray) throw new InvalidInputError({ message: `host pattern '${pattern}' has an unbalanced '${stray[0]}'` });
  return p.match(term) ?? [];
}

export function selectHosts(view: PatternView, pattern: string): string[] {
  const terms = splitPattern(pattern);
  const plain = terms.filter((t) => !t.startsWith('&') && !t.startsWith('!'));
  const ordered = [...(plain.length ? plain : ['all']), ...terms.filter((t) => t.startsWith('&')), ...terms.filter((t) => t.startsWith('!'))];
  let result: string[] = [];
  const seen = new Set<string>();
  for (const term of ordered) {
    if (term.startsWith('!') || term.startsWith('&')) {
      const matched = new Set(matchTerm(view, term.slice(1)));
      const keep = term.startsWith('&');
      result = result.filter((h) => matched.has(h) === keep);
      continue;
    }
    for (const h of matchTerm(view, term)) {
      if (seen.has(h)) continue;
      seen.add(h);
      result.push(h);
    }
  }
  return result;
}

function matchTerm(view: PatternView, term: string): string[] {
  const { base, subscript } = splitSubscript(term);
  const hosts = enumerate(view, base);
  if (!subscript) return hosts;
  const [start, end] = subscript;
  const from = start < 0 ? hosts.length + start : start;
  if (end === undefined) return hosts.slice(from);
  if (end === null) return from >= 0 && from < hosts.length ? [hosts[from]!] : [];
  return hosts.slice(from, end + 1);
}

// [index] or [start:end] / [start:]; Ansible reads `[n:0]` as the single index n.
function splitSubscript(term: string): { base: string; subscript?: [number, number | null | undefined] } {
  if (term.startsWith('~')) return { base: term };
  const m = /^(.+)\[(?:(-?\d+)|(\d+):(\d+)?)\]$/.exec(term);
  if (!m) return { base: term };
  if (m[2] !== undefined) return { base: m[1]!, subscript: [Number(m[2]), null] };
  const end = m[4] === undefined ? undefined : Number(m[4]);
  return { base: m[1]!, subscript: [Number(m[3]), end === 0 ? null : end] };
}

function enumerate(view: PatternView, base: string): string[] {
  if (base === 'all' || base === '*') return [...view.hostNames];
  const matches = matcher(base);
  const out = new Set<string>();
  let groupMatched = false;
  for (const g of view.groupNames) {
    if (!matches(g)) continue;
    groupMatched = true;
    for (const h of view.groupHosts(g)) out.add(h);
  }
  // A name that is a group is not also looked up as a host, unless the term is a glob or regex.
  if (!groupMatched || base.startsWith('~') || /[.?*[]/.test(base)) for (const h of view.hostNames) if (matches(h)) out.add(h);
  if (out.size === 0 && IMPLICIT_LOCALHOST.includes(base)) out.add(base);
  return [...out];
}

function matcher(base: string): (name: string) => boolean {
  if (base.startsWith('~')) {
    let re: RegExp;
    try {
      // Python's re.match: anchored at the start only; the sticky flag gives the same.
      re = new RegExp(base.slice(1), 'y');
    } catch (e) {
      throw new InvalidInputError({ message: `invalid regular expression in host pattern '${base}': ${(e as Error).message}` });
    }
    return (name) => {
      re.lastIndex = 0;
      return re.test(name);
    };
  }
  if (!isGlob(base)) return (name) => name === base;
  const re = globRegExp(base);
  return (name) => re.test(name);
}
