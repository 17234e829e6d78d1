// What Ansible's command module does to a command line: splits it with Python's shlex.split (the
// engine's pycompat copy), then expands $VAR, ${VAR} and a leading ~ in each word — done here by the
// host's shell, quoted so that nothing else expands, so the host's own environment is used.
import { shQuote } from '../../engine/connection/quote.js';

export { shlexSplit } from '../../engine/pycompat/shlex.js';

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
