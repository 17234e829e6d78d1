// Expandable strings: double-quoted strings and here-strings with `$var`, `${name}` and `$( )`
// expansion and backtick escapes (also used for barewords in command mode).

import type { Expr, Pos } from './ast.js';
import type { ExprParser } from './parser-expr.js';
import { backtickEscape, isDoubleQuote, isIdentStart, isSingleQuote, type Scanner } from './tokenizer.js';

/** The pieces of an expandable string: literal text, and expansions between runs of it. */
class Expandable {
  private readonly parts: (string | Expr)[] = [];
  lit = '';

  /** Takes one element at the scanner: a backtick escape, an expansion, or a literal character. */
  take(p: ExprParser): void {
    const s = p.s;
    const c = s.peek();
    if (c === '`') {
      this.lit += backtickEscape(s.peek(1));
      s.i += 2;
    } else if (c === '$' && expandsHere(s)) {
      if (this.lit) this.parts.push(this.lit);
      this.lit = '';
      this.parts.push(parseExpansion(p));
    } else {
      this.lit += c;
      s.i++;
    }
  }

  expr(pos: Pos): Expr {
    if (this.lit || this.parts.length === 0) this.parts.push(this.lit);
    return { kind: 'expandable', parts: this.parts, pos };
  }
}

export function parseDoubleQuoted(p: ExprParser, pos: Pos): Expr {
  const s = p.s;
  s.i++;
  const x = new Expandable();
  for (;;) {
    if (s.eof()) s.fail('The string is missing the terminator: ".', 'TerminatorExpectedAtEndOfString', pos.offset);
    const c = s.peek();
    if (isDoubleQuote(c)) {
      if (isDoubleQuote(s.peek(1))) {
        x.lit += c;
        s.i += 2;
        continue;
      }
      s.i++;
      break;
    }
    x.take(p);
  }
  return x.expr(pos);
}

export function parseHereString(p: ExprParser, pos: Pos): Expr {
  const s = p.s;
  const { body, quote, bodyStart } = s.readHereStringBody();
  if (isSingleQuote(quote)) return { kind: 'const', value: body, pos };
  // Expand `$var` and `$( )` in the body by scanning it in place.
  const end = s.i;
  s.i = bodyStart;
  const x = new Expandable();
  while (s.i < bodyStart + body.length) x.take(p);
  s.i = end;
  return x.expr(pos);
}

/** A `$` inside an expandable string starts an expansion only before a name, `{`, `(` or `_`. */
export function expandsHere(s: Scanner): boolean {
  const n = s.peek(1);
  return isIdentStart(n) || n === '{' || n === '(' || n === '?' || n === '$';
}

/** `$name`, `${name}` or `$( ... )` inside an expandable string or a bareword. */
export function parseExpansion(p: ExprParser): Expr {
  const s = p.s;
  const pos = s.pos();
  if (s.peek(1) === '(') {
    s.i += 2;
    return { kind: 'subExpr', body: p.parseStatementList(')'), pos };
  }
  const v = s.readVariable();
  return { kind: 'var', name: v.name, scope: v.scope, pos };
}
