// Ansible's regex filters and tests take Python `re` patterns; JavaScript's RegExp differs in a few
// spellings that playbooks use (named groups, \A/\Z, inline flags, \1 in replacements).
export interface PyRegexOptions {
  ignorecase?: boolean;
  multiline?: boolean;
  global?: boolean;
  sticky?: boolean;
}

const cache = new Map<string, RegExp>();

export function pyRegex(pattern: unknown, opts: PyRegexOptions = {}): RegExp {
  if (typeof pattern !== 'string') throw new Error(`regular expression must be a string, got ${typeof pattern}`);
  const key = `${opts.ignorecase ? 'i' : ''}${opts.multiline ? 'm' : ''}${opts.global ? 'g' : ''}${opts.sticky ? 'y' : ''}:${pattern}`;
  const hit = cache.get(key);
  if (hit) {
    hit.lastIndex = 0;
    return hit;
  }
  let src = pattern;
  let flags = '';
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (inline) {
    src = src.slice(inline[0].length);
    for (const f of inline[1]!) {
      if (f === 'i' || f === 'm' || f === 's') flags += f;
      else if (f === 'x') throw new Error('verbose regular expressions ((?x)) are not supported');
    }
  }
  if (opts.ignorecase && !flags.includes('i')) flags += 'i';
  if (opts.multiline && !flags.includes('m')) flags += 'm';
  if (opts.global) flags += 'g';
  if (opts.sticky) flags += 'y';
  src = src
    .replace(/\(\?P<(\w+)>/g, '(?<$1>')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/(^|[^\\])((?:\\\\)*)\\A/g, '$1$2(?<![\\s\\S])')
    .replace(/(^|[^\\])((?:\\\\)*)\\Z/g, '$1$2(?![\\s\\S])');
  let re: RegExp;
  try {
    re = new RegExp(src, flags);
  } catch (err) {
    throw new Error(`invalid regular expression '${pattern}': ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, re);
  return re;
}

/**
 * A replacer for String.replace from a Python replacement template: `\1`, `\g<1>`, `\g<name>`
 * refer to groups; `$` is literal (it is special only in JavaScript).
 */
export function pyReplacement(template: string): (match: string, ...rest: unknown[]) => string {
  const parts: Array<string | number | { name: string }> = [];
  let lit = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (ch !== '\\' || i + 1 >= template.length) {
      lit += ch;
      continue;
    }
    const next = template[i + 1]!;
    const g = /^g<(\w+)>/.exec(template.slice(i + 1));
    const num = /^\d{1,2}/.exec(template.slice(i + 1));
    if (g) {
      if (lit) parts.push(lit);
      lit = '';
      parts.push(/^\d+$/.test(g[1]!) ? Number(g[1]) : { name: g[1]! });
      i += g[0].length;
    } else if (num) {
      if (lit) parts.push(lit);
      lit = '';
      parts.push(Number(num[0]));
      i += num[0].length;
    } else {
      lit += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next === '\\' ? '\\' : `\\${next}`;
      i += 1;
    }
  }
  if (lit) parts.push(lit);
  return (match: string, ...rest: unknown[]) => {
    const hasNamed = typeof rest[rest.length - 1] === 'object' && rest[rest.length - 1] !== null;
    const named = (hasNamed ? rest[rest.length - 1] : {}) as Record<string, string | undefined>;
    const groups = rest.slice(0, hasNamed ? -3 : -2) as Array<string | undefined>;
    return parts
      .map((p) => {
        if (typeof p === 'string') return p;
        if (typeof p === 'number') {
          if (p === 0) return match;
          if (p > groups.length) throw new Error(`invalid group reference ${p}`);
          return groups[p - 1] ?? '';
        }
        if (!(p.name in named)) throw new Error(`unknown group name '${p.name}'`);
        return named[p.name] ?? '';
      })
      .join('');
  };
}

/** Resolves a regex_search group argument (`'\\1'`, `'\\g<name>'`) against a match. */
export function groupOf(m: RegExpExecArray, ref: unknown): string | null {
  const s = String(ref);
  const named = /^\\g<(\w+)>$/.exec(s);
  if (named) {
    const n = named[1]!;
    if (/^\d+$/.test(n)) return m[Number(n)] ?? null;
    if (!m.groups || !(n in m.groups)) throw new Error(`unknown group name '${n}'`);
    return m.groups[n] ?? null;
  }
  const num = /^\\(\d+)$/.exec(s);
  if (num) {
    const i = Number(num[1]);
    if (i >= m.length) throw new Error(`invalid group reference ${i}`);
    return m[i] ?? null;
  }
  throw new Error(`regex_search group arguments look like '\\\\1' or '\\\\g<name>', got '${s}'`);
}
