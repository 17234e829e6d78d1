// Splits an INI host line into words the way Ansible does (Python's shlex in POSIX mode with
// comments on): quotes group words and are removed, a backslash escapes outside single quotes,
// and an unquoted `#` starts a comment even in the middle of a word.

export interface Word {
  text: string;
  /** 0-based offset of the word's first character in the line. */
  start: number;
}

export class WordSplitError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'WordSplitError';
  }
}

export function splitWords(line: string): Word[] {
  const words: Word[] = [];
  let current: Word | undefined;
  let i = 0;
  const push = (ch: string, at: number) => {
    if (!current) current = { text: '', start: at };
    current.text += ch;
  };
  while (i < line.length) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      if (current) words.push(current);
      current = undefined;
      i++;
      continue;
    }
    if (c === '#') break;
    if (c === "'" || c === '"') {
      const start = i;
      if (!current) current = { text: '', start };
      i++;
      for (;;) {
        const d = line[i];
        if (d === undefined) throw new WordSplitError(`missing closing ${c === '"' ? 'double' : 'single'} quote`, start);
        i++;
        if (d === c) break;
        // Inside double quotes a backslash escapes only a quote or another backslash.
        if (c === '"' && d === '\\' && (line[i] === '"' || line[i] === '\\')) {
          current.text += line[i];
          i++;
        } else current.text += d;
      }
      continue;
    }
    if (c === '\\') {
      const next = line[i + 1];
      if (next === undefined) throw new WordSplitError('a line cannot end with a backslash', i);
      push(next, i);
      i += 2;
      continue;
    }
    push(c, i);
    i++;
  }
  if (current) words.push(current);
  return words;
}
