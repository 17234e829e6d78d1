// Expandable strings: double-quoted strings and here-strings with `$var`, `${name}` and `$( )`
// expansion and backtick escapes (also used for barewords in command mode).

import type { Expr, Pos } from './ast.js';
import type { ExprParser } from './parser-expr.js';
import { backtickEscape, isDoubleQuote, isIdentStart, isSingleQuote, type Scanner } from './tokenizer.js';

export function parseDoubleQuoted(p: ExprParser, pos: Pos): Expr {
  const s = p.s;
  s.i++;
  const parts: (string | Expr)[] = [];
  let lit = '';
  for (;;) {
    if (s.eof()) s.fail('The string is missing the terminator: ".', 'TerminatorExpectedAtEndOfString', pos.offset);
    const c = s.peek();
    if (isDoubleQuote(c)) {
      if (isDoubleQuote(s.peek(1))) {
        lit += c;
        s.i += 2;
        continue;
      }
      s.i++;
      break;
    }
    if (c === '`') {
      lit += backtickEscape(s.peek(1));
      s.i += 2;
    } else if (c === '$' && expandsHere(s)) {
      if (lit) parts.push(lit);
      lit = '';
      parts.push(parseExpansion(p));
    } else {
      lit += c;
      s.i++;
    }
  }
  if (lit || parts.length === 0) parts.push(lit);
  return { kind: 'expandable', parts, pos };
}

export function parseHereString(p: ExprParser, pos: Pos): Expr {
  const s = p.s;
  const { body, quote, bodyStart } = s.readHereStringBody();
  if (isSingleQuote(quote)) return { kind: 'const', value: body, pos };
  // Expand `$var` and `$( )` in the body by scanning it in place.
  const end = s.i;
  s.i = bodyStart;
  const parts: (string | Expr)[] = [];
  let lit = '';
  while (s.i < bodyStart + body.length) {
    const c = s.peek();
    if (c === '`') {
      lit += backtickEscape(s.peek(1));
      s.i += 2;
    } else if (c === '$' && expandsHere(s)) {
      if (lit) parts.push(lit);
      lit = '';
      parts.push(parseExpansion(p));
    } else {
      lit += c;
      s.i++;
    }
  }
  s.i = end;
  if (lit || parts.length === 0) parts.push(lit);
  return { kind: 'expandable', parts, pos };
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
