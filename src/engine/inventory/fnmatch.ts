// Python's fnmatch, as Ansible matches host patterns and --start-at-task names: `*`, `?`, `[seq]`,
// `[!seq]`; a `[` without its `]` is literal.

/** Whether `text` has a wildcard at all (without one it can only match itself). */
export function isGlob(text: string): boolean {
  return /[?*[]/.test(text);
}

/** A RegExp that matches a whole string against the glob. */
export function globRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}
