// Command-mode parsing: a command's name, its arguments (parameters, splats, barewords with
// expansions, `a,b` arrays) and redirections. Statements are parsed on top of this (parser.ts).

import type { CommandArg, CommandAst, Expr, Pos, Redirect } from './ast.js';
import { ExprParser } from './parser-expr.js';
import { expandsHere, parseExpansion } from './parser-strings.js';
import { backtickEscape, isDash, isDigit, isDoubleQuote, isIdentStart, isSingleQuote } from './tokenizer.js';

const REDIRECT_RE = /^([1-6*])?(>>?)(&1)?/;

export abstract class CommandParser extends ExprParser {
  protected parseCommandNameExpr(): Expr {
    const c = this.s.peek();
    if (isIdentStart(c)) return { kind: 'const', value: this.readCommandName(), pos: this.s.pos() };
    return this.parsePrimary();
  }

  protected readCommandName(): string {
    const s = this.s;
    const start = s.i;
    while (!s.eof() && !/[\s;|(){},&<>'"`]/.test(s.peek())) s.i++;
    if (s.i === start) this.unexpected();
    return s.src.slice(start, s.i);
  }

  protected parseRedirects(): Redirect[] {
    const out: Redirect[] = [];
    for (;;) {
      this.s.skipSpace();
      const r = this.tryRedirect();
      if (!r) return out;
      out.push(r);
    }
  }

  private tryRedirect(): Redirect | null {
    const s = this.s;
    const m = REDIRECT_RE.exec(s.src.slice(s.i, s.i + 5));
    if (!m) return null;
    const pos = s.pos();
    s.i += m[0].length;
    const stream = (m[1] ?? '1') as Redirect['stream'];
    if (m[3]) return { stream, target: 'merge', append: false, pos };
    s.skipSpace();
    const target = this.parseCommandValue();
    return { stream, target, append: m[2] === '>>', pos };
  }

  protected parseCommandArgs(name: string | Expr, invocation: '&' | '.' | null, pos: Pos): CommandAst {
    const s = this.s;
    const args: CommandArg[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      s.skipSpace();
      const c = s.peek();
      if (s.eof() || s.atNewlineOrSemi() || c === '|' || c === ')' || c === '}') break;
      if (c === '&' && s.peek(1) === '&') s.fail('The token \'&&\' is not a valid statement separator in this version.', 'InvalidEndOfLine');
      const r = this.tryRedirect();
      if (r) {
        redirects.push(r);
        continue;
      }
      const argPos = s.pos();
      if (isDash(c) && (isIdentStart(s.peek(1)) || s.peek(1) === '?')) {
        s.i++;
        const pname = s.readIdentifier(true);
        if (s.peek() === ':') {
          s.i++;
          s.skipSpace();
          args.push({ kind: 'param', name: pname, value: this.parseCommandValue(), pos: argPos });
        } else args.push({ kind: 'param', name: pname, pos: argPos });
        continue;
      }
      if (c === '@' && isIdentStart(s.peek(1))) {
        s.i++;
        args.push({ kind: 'splat', variable: s.readIdentifier(), pos: argPos });
        continue;
      }
      args.push({ kind: 'value', value: this.parseCommandValue(), pos: argPos });
    }
    return { kind: 'command', name, invocation, args, redirects, pos, end: s.i };
  }

  /** One argument in command mode, with `a,b,c` building an array. */
  private parseCommandValue(): Expr {
    const s = this.s;
    const first = this.parseCommandAtom();
    s.skipSpace();
    if (s.peek() !== ',') return first;
    const items = [first];
    while (s.peek() === ',') {
      s.i++;
      s.skipSpaceAndNewlines();
      items.push(this.parseCommandAtom());
      s.skipSpace();
    }
    return { kind: 'array', items, pos: first.pos };
  }

  private static readonly ARG_END = /[\s;|)},]/;

  private parseCommandAtom(): Expr {
    const s = this.s;
    const pos = s.pos();
    const c = s.peek();
    const atEnd = (ch: string): boolean => ch === '' || CommandParser.ARG_END.test(ch);
    const n = isDigit(c) || ((isDash(c) || c === '.') && isDigit(s.peek(1))) ? this.readSignedNumber(atEnd) : null;
    if (n !== null) return { kind: 'const', value: n, pos };
    const expressionStart = c === '(' || c === '{' || isSingleQuote(c) || isDoubleQuote(c) || (c === '@' && /[({'"\u2018\u2019\u201C\u201D]/.test(s.peek(1))) || c === '$';
    if (expressionStart) {
      const start = s.i;
      const e = this.parsePostfix(this.parsePrimary());
      // `$env:TEMP\file` or `'a'b`: a value glued to more text is one expandable word.
      if (atEnd(s.peek()) || s.peek() === '>') return e;
      s.i = start;
    }
    if (c === '[') {
      const type = this.readTypeName();
      if (s.peek() === ':' && s.peek(1) === ':') return this.parsePostfix({ kind: 'typeLiteral', type, pos });
      return { kind: 'const', value: `[${type}]`, pos };
    }
    return this.readBareword(pos);
  }

  private readSignedNumber(atEnd: (c: string) => boolean): number | null {
    const s = this.s;
    const neg = isDash(s.peek());
    const start = s.i;
    if (neg) s.i++;
    const n = s.readNumber(atEnd);
    if (n === null) {
      s.i = start;
      return null;
    }
    return neg ? -n : n;
  }

  /** A generic token: literal text with `$var`/`$( )` expansion, quoted pieces and backtick escapes. */
  private readBareword(pos: Pos): Expr {
    const s = this.s;
    const parts: (string | Expr)[] = [];
    let lit = '';
    while (!s.eof() && !CommandParser.ARG_END.test(s.peek()) && !(s.peek() === '>' || (s.peek() === '<' && s.peek(1) !== '#'))) {
      const c = s.peek();
      if (c === '`') {
        lit += s.peek(1) === '\n' ? '' : backtickEscape(s.peek(1));
        s.i += 2;
      } else if (isSingleQuote(c)) lit += s.readSingleQuoted();
      else if (isDoubleQuote(c)) {
        const inner = this.parsePrimary();
        if (inner.kind === 'expandable') {
          for (const part of inner.parts) {
            if (typeof part === 'string') lit += part;
            else {
              if (lit) parts.push(lit);
              lit = '';
              parts.push(part);
            }
          }
        }
      } else if (c === '$' && expandsHere(s)) {
        if (lit) parts.push(lit);
        lit = '';
        parts.push(parseExpansion(this));
      } else if (c === '(' || c === '{') {
        this.unexpected(c);
      } else {
        lit += c;
        s.i++;
      }
    }
    if (lit || parts.length === 0) parts.push(lit);
    if (parts.length === 1 && typeof parts[0] === 'string') return { kind: 'const', value: parts[0], pos };
    return { kind: 'expandable', parts, pos };
  }
}
