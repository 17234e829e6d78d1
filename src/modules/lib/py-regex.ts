// Python `re` patterns (what Ansible users write in regexp:/insertafter:) run on JavaScript's engine.
// The syntax differences that occur in practice are translated; what cannot be is refused clearly.
// Patterns and subjects are "byte strings": each UTF-8 byte is one latin1 char, which reproduces
// Ansible's bytes regexes exactly (`.` is one byte, `\w` is ASCII).

/** UTF-8 text → one char per byte (the form patterns and file lines are matched in). */
export const toBytes = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
export const fromBytes = (s: string): string => Buffer.from(s, 'latin1').toString('utf8');

export function compilePyRegex(pattern: string): RegExp {
  let src = toBytes(pattern);
  let flags = '';
  // Python allows global inline flags only at the start: (?i), (?ms), ...
  const lead = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === 'i' || f === 'm' || f === 's') flags += flags.includes(f) ? '' : f;
      else if (f === 'x') throw new Error(`regexp '${pattern}': verbose mode (?x) is not supported`);
    }
    src = src.slice(lead[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1];
      if (!inClass && n === 'Z') out += '(?![\\s\\S])';
      else if (!inClass && n === 'A') out += '(?<![\\s\\S])';
      else out += c + (n ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A ']' right after '[' or '[^' is a literal in Python; JavaScript needs it escaped.
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (src.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    const backref = /^\(\?P=(\w+)\)/.exec(src.slice(i));
    if (backref) {
      out += `\\k<${backref[1]}>`;
      i += backref[0].length - 1;
      continue;
    }
    out += c;
  }
  try {
    return new RegExp(out, flags);
  } catch (e) {
    throw new Error(`invalid regexp '${pattern}': ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
}

/**
 * Python's match.expand(template): \1..\99, \g<n>, \g<name>, and the string escapes \n \t \\ ...;
 * a group that did not take part expands to ''.
 */
export function expandTemplate(template: string, m: RegExpExecArray): string {
  const t = toBytes(template);
  const group = (ref: string): string => {
    const v = /^\d+$/.test(ref) ? m[Number(ref)] : m.groups?.[ref];
    if (v === undefined && !/^\d+$/.test(ref) && !(m.groups && ref in m.groups)) throw new Error(`unknown group name '${ref}' in line`);
    if (/^\d+$/.test(ref) && Number(ref) >= m.length) throw new Error(`invalid group reference ${ref} in line`);
    return v ?? '';
  };
  let out = '';
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (c !== '\\' || i + 1 >= t.length) {
      out += c;
      continue;
    }
    const n = t[i + 1]!;
    const gname = /^g<([^>]+)>/.exec(t.slice(i + 1));
    const digits = /^\d{1,2}/.exec(t.slice(i + 1));
    if (gname) {
      out += group(gname[1]!);
      i += gname[0].length;
    } else if (digits && digits[0] !== '0' && !digits[0].startsWith('0')) {
      out += group(digits[0]);
      i += digits[0].length;
    } else {
      const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', '\\': '\\', '0': '\0' };
      out += esc[n] ?? `\\${n}`;
      i++;
    }
  }
  return out;
}
