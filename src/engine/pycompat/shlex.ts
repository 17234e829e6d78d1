// Python's shlex in POSIX mode, the one copy: Ansible splits command lines with shlex.split (the
// command module, modprobe params) and INI inventory host lines with comments on. Quotes group and are
// removed; a backslash escapes outside single quotes, and inside double quotes only `"` and `\`;
// with comments on, an unquoted `#` ends the line even in the middle of a word (as Python's does).

export interface ShlexWord {
  text: string;
  /** 0-based offset of the word's first character. */
  start: number;
}

/** Why the text cannot be split: an unclosed quote (which one) or a trailing backslash. */
export class ShlexError extends Error {
  constructor(
    message: string,
    readonly problem: 'unclosed-quote' | 'trailing-escape',
    /** Where the unclosed quote opened, or where the backslash is. */
    readonly offset: number,
    readonly quote?: '"' | "'",
  ) {
    super(message);
    this.name = 'ShlexError';
  }
}

export function shlexWords(s: string, opts: { comments?: boolean } = {}): ShlexWord[] {
  const words: ShlexWord[] = [];
  let current: ShlexWord | undefined;
  const word = (at: number): ShlexWord => (current ??= { text: '', start: at });
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      if (current) words.push(current);
      current = undefined;
      i++;
    } else if (c === '#' && opts.comments) {
      break;
    } else if (c === "'" || c === '"') {
      const start = i;
      const w = word(start);
      i++;
      for (;;) {
        const d = s[i];
        // Python's own message; callers that know what the text is (an inventory line) say more.
        if (d === undefined) throw new ShlexError('No closing quotation', 'unclosed-quote', start, c);
        i++;
        if (d === c) break;
        if (c === '"' && d === '\\' && (s[i] === '"' || s[i] === '\\')) {
          w.text += s[i];
          i++;
        } else w.text += d;
      }
    } else if (c === '\\') {
      if (i + 1 >= s.length) throw new ShlexError('No escaped character', 'trailing-escape', i);
      word(i).text += s[i + 1];
      i += 2;
    } else {
      word(i).text += c;
      i++;
    }
  }
  if (current) words.push(current);
  return words;
}

/** Python's shlex.split(s): no comments, no globbing, no variables. */
export function shlexSplit(s: string): string[] {
  return shlexWords(s).map((w) => w.text);
}
