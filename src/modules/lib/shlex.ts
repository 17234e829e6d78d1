// Word splitting exactly as Ansible's command module does it (Python's shlex.split, POSIX mode), and
// the argument expansion Ansible applies afterwards ($VAR, ${VAR}, leading ~), done by the host's
// shell so the host's own environment is used.
import { shQuote } from '../../engine/connection/quote.js';

/** Python shlex.split: quotes group, backslash escapes, no globbing, no variables. */
export function shlexSplit(s: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) throw new Error('No closing quotation');
      word += s.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      let closed = false;
      while (i < s.length) {
        const d = s[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        // Inside double quotes a backslash only escapes `"` and `\`; otherwise it stays.
        if (d === '\\' && i + 1 < s.length && (s[i + 1] === '"' || s[i + 1] === '\\')) {
          word += s[i + 1];
          i += 2;
          continue;
        }
        word += d;
        i++;
      }
      if (!closed) throw new Error('No closing quotation');
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 >= s.length) throw new Error('No escaped character');
      word += s[i + 1];
      inWord = true;
      i += 2;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * Quotes one argument for sh so that only `$NAME`, `${NAME}` and a leading `~`/`~/` expand (as
 * Python's expandvars/expanduser do in Ansible's command module); everything else stays literal.
 * One difference: an unset variable expands to '' here where Python leaves `$NAME` as it was.
 */
export function quoteExpanding(arg: string): string {
  let out = '';
  let rest = arg;
  if (rest === '~' || rest.startsWith('~/')) {
    out += '"$HOME"';
    rest = rest.slice(1);
  }
  const re = /\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(rest)) !== null) {
    if (m.index > last) out += shQuote(rest.slice(last, m.index));
    out += `"\${${m[1] ?? m[2]}}"`;
    last = m.index + m[0].length;
  }
  if (last < rest.length || out === '') out += shQuote(rest.slice(last));
  return out;
}

/**
 * Quotes a glob pattern for sh: `*`, `?` and `[...]` stay active, everything else is literal
 * (creates/removes accept globs, as in Ansible).
 */
export function quoteGlob(pattern: string): string {
  let out = '';
  let lit = '';
  const flush = () => {
    if (lit) out += shQuote(lit);
    lit = '';
  };
  let rest = pattern;
  if (rest === '~' || rest.startsWith('~/')) {
    out += '"$HOME"';
    rest = rest.slice(1);
  }
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (c === '*' || c === '?') {
      flush();
      out += c;
    } else if (c === '[') {
      const end = rest.indexOf(']', i + 2);
      const body = end > 0 ? rest.slice(i + 1, end) : '';
      if (end > 0 && /^!?[A-Za-z0-9._ -]+$/.test(body)) {
        flush();
        out += `[${body.replace(/ /g, '\\ ')}]`;
        i = end;
      } else lit += c;
    } else lit += c;
  }
  flush();
  return out || "''";
}
