// Character-level scanning for the PowerShell subset. PowerShell's lexing depends on the parser's mode
// (a word is a command argument in one place and an operator in another), so the parser drives this
// scanner directly instead of consuming a pre-built token stream.

import type { Pos } from './ast.js';

export class ParseError extends Error {
  constructor(
    message: string,
    readonly pos: Pos,
    /** PowerShell's ParserError id, e.g. MissingEndCurlyBrace. */
    readonly errorId: string,
  ) {
    super(message);
    this.name = 'ParseError';
  }
}

const SINGLE_QUOTES = "'\u2018\u2019\u201A\u201B";
const DOUBLE_QUOTES = '"\u201C\u201D\u201E';
const DASHES = '-\u2013\u2014\u2015';

export const isSingleQuote = (c: string): boolean => c !== '' && SINGLE_QUOTES.includes(c);
export const isDoubleQuote = (c: string): boolean => c !== '' && DOUBLE_QUOTES.includes(c);
export const isDash = (c: string): boolean => c !== '' && DASHES.includes(c);
export const isIdentStart = (c: string): boolean => /^[A-Za-z_]$/.test(c);
export const isIdentChar = (c: string): boolean => /^[A-Za-z0-9_]$/.test(c);
export const isDigit = (c: string): boolean => c >= '0' && c <= '9';

const NUMBER_RE = /^(0x[0-9a-f]+|(?:\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?)(l|d)?(kb|mb|gb|tb|pb)?/i;
const MULTIPLIERS: Record<string, number> = { kb: 2 ** 10, mb: 2 ** 20, gb: 2 ** 30, tb: 2 ** 40, pb: 2 ** 50 };

export class Scanner {
  i = 0;
  private readonly lineStarts: number[] = [0];

  constructor(readonly src: string) {
    for (let k = 0; k < src.length; k++) if (src[k] === '\n') this.lineStarts.push(k + 1);
  }

  posAt(offset: number): Pos {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { offset, line: lo + 1, col: offset - this.lineStarts[lo]! + 1 };
  }

  pos(): Pos {
    return this.posAt(this.i);
  }

  peek(k = 0): string {
    return this.src[this.i + k] ?? '';
  }

  eof(): boolean {
    return this.i >= this.src.length;
  }

  fail(message: string, errorId: string, offset = this.i): never {
    throw new ParseError(message, this.posAt(offset), errorId);
  }

  /** Skips blanks, comments and backtick line continuations, but not newlines. */
  skipSpace(): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\u00A0') this.i++;
      else if (c === '`' && (this.peek(1) === '\n' || (this.peek(1) === '\r' && this.peek(2) === '\n'))) {
        this.i += this.peek(1) === '\r' ? 3 : 2;
      } else if (c === '<' && this.peek(1) === '#') {
        const end = this.src.indexOf('#>', this.i + 2);
        if (end < 0) this.fail('The string is missing the terminator: #>.', 'TerminatorExpectedAtEndOfString');
        this.i = end + 2;
      } else if (c === '#') {
        while (!this.eof() && this.peek() !== '\n' && this.peek() !== '\r') this.i++;
      } else return;
    }
  }

  /** Skips blanks, comments and newlines. */
  skipSpaceAndNewlines(): void {
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      if (c === '\n' || c === '\r') this.i++;
      else return;
    }
  }

  /** At a newline, `;`, or EOF (after skipSpace). */
  atNewlineOrSemi(): boolean {
    const c = this.peek();
    return this.eof() || c === '\n' || c === '\r' || c === ';';
  }

  /** Reads `[A-Za-z0-9_]*`; with `allowDash`, also inner dashes (function names like Get-Thing). */
  readIdentifier(allowDash = false): string {
    const start = this.i;
    while (isIdentChar(this.peek()) || (allowDash && this.i > start && this.peek() === '-' && isIdentStart(this.peek(1)))) this.i++;
    return this.src.slice(start, this.i);
  }

  /** Case-insensitive keyword match at the cursor that ends at a word boundary. */
  matchWord(word: string): boolean {
    const s = this.src.slice(this.i, this.i + word.length);
    if (s.toLowerCase() !== word) return false;
    return !isIdentChar(this.src[this.i + word.length] ?? '') && this.src[this.i + word.length] !== '-';
  }

  /**
   * Reads a variable after `$` (cursor on `$`): `$name`, `$scope:name`, `$env:NAME`, `${any name}`,
   * and the automatic `$_`, `$?`, `$$`, `$^`.
   */
  readVariable(): { name: string; scope?: string } {
    const start = this.i;
    this.i++; // $
    if (this.peek() === '{') {
      const end = this.src.indexOf('}', this.i);
      if (end < 0) this.fail('Missing closing \'}\' in variable name.', 'MissingEndCurlyBrace', start);
      const raw = this.src.slice(this.i + 1, end);
      this.i = end + 1;
      return splitScope(raw);
    }
    const c = this.peek();
    if (c === '?' || c === '$' || c === '^') {
      this.i++;
      return { name: c };
    }
    let name = '';
    while (isIdentChar(this.peek())) name += this.src[this.i++];
    if (name === '') this.fail('Variable reference is not valid. \'$\' was not followed by a valid variable name character.', 'InvalidVariableReference', start);
    if (this.peek() === ':' && this.peek(1) !== ':' && isIdentStart(this.peek(1))) {
      this.i++;
      let rest = '';
      while (isIdentChar(this.peek())) rest += this.src[this.i++];
      return { name: rest, scope: name.toLowerCase() };
    }
    return { name };
  }

  /**
   * Reads a number literal at the cursor if one is there and it ends where a number may end
   * (`isEnd` decides per mode). Returns null and leaves the cursor alone otherwise.
   */
  readNumber(isEnd: (c: string) => boolean): number | null {
    const m = NUMBER_RE.exec(this.src.slice(this.i, this.i + 64));
    if (!m) return null;
    const after = this.src[this.i + m[0].length] ?? '';
    if (!isEnd(after)) return null;
    const body = m[1]!;
    let value = body.toLowerCase().startsWith('0x') ? parseInt(body.slice(2), 16) : Number(body);
    if (m[3]) value *= MULTIPLIERS[m[3].toLowerCase()]!;
    this.i += m[0].length;
    return value;
  }

  /** True when a number token starts at the cursor (expression mode), without consuming it. */
  readNumberAhead(): boolean {
    const start = this.i;
    const n = this.readNumber((ch) => !isIdentChar(ch) && ch !== '\\' && ch !== ':');
    this.i = start;
    return n !== null;
  }

  /** Reads a single-quoted literal (cursor on the opening quote); `''` is an escaped quote. */
  readSingleQuoted(): string {
    const start = this.i;
    this.i++;
    let out = '';
    for (;;) {
      if (this.eof()) this.fail('The string is missing the terminator: \'.', 'TerminatorExpectedAtEndOfString', start);
      const c = this.src[this.i++]!;
      if (isSingleQuote(c)) {
        if (isSingleQuote(this.peek())) {
          out += c;
          this.i++;
          continue;
        }
        return out;
      }
      out += c;
    }
  }

  /**
   * Reads a here-string body (cursor on `@` of `@'` or `@"`): the header must end the line and the
   * terminator must start a line. Returns the raw body without the surrounding line breaks.
   */
  readHereStringBody(): { body: string; quote: string; bodyStart: number } {
    const start = this.i;
    const quote = this.src[this.i + 1]!;
    this.i += 2;
    while (this.peek() === ' ' || this.peek() === '\t') this.i++;
    if (this.peek() === '\r') this.i++;
    if (this.peek() !== '\n') {
      this.fail('No characters are allowed after a here-string header but before the end of the line.', 'UnexpectedCharactersAfterHereStringHeader');
    }
    this.i++;
    const bodyStart = this.i;
    const closer = isSingleQuote(quote) ? /\r?\n[\t ]*['\u2018\u2019\u201A\u201B]@/g : /\r?\n[\t ]*["\u201C\u201D\u201E]@/g;
    closer.lastIndex = this.i - 1;
    // An empty here-string closes on the line right after the header.
    const emptyClose = new RegExp(`^[\\t ]*${isSingleQuote(quote) ? "['\u2018\u2019\u201A\u201B]" : '["\u201C\u201D\u201E]'}@`);
    if (emptyClose.test(this.src.slice(this.i))) {
      this.i = this.src.indexOf('@', this.i) + 1;
      return { body: '', quote, bodyStart };
    }
    const m = closer.exec(this.src);
    if (!m) this.fail(`The string is missing the terminator: ${quote}@.`, 'TerminatorExpectedAtEndOfString', start);
    const body = this.src.slice(bodyStart, m.index);
    this.i = m.index + m[0].length;
    return { body, quote, bodyStart };
  }

  /** The text of the line containing `offset`, for error context. */
  lineText(offset: number): string {
    const p = this.posAt(offset);
    const from = this.lineStarts[p.line - 1]!;
    let to = this.src.indexOf('\n', from);
    if (to < 0) to = this.src.length;
    return this.src.slice(from, to).replace(/\r$/, '');
  }
}

function splitScope(raw: string): { name: string; scope?: string } {
  const m = /^([A-Za-z]+):(.+)$/.exec(raw);
  return m ? { name: m[2]!, scope: m[1]!.toLowerCase() } : { name: raw };
}

/** Backtick escapes inside double-quoted strings. */
export function backtickEscape(c: string): string {
  switch (c) {
    case '0': return '\0';
    case 'a': return '\x07';
    case 'b': return '\b';
    case 'e': return '\x1b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    default: return c;
  }
}
