// Expression-mode parsing: operators by PowerShell's precedence, primaries, strings with expansion,
// hashtables, casts and member access. Statements (needed inside $( ), @( ), ( ) and { }) come from the
// subclass in parser.ts.

import type { Expr, Pos, ScriptBlockAst, Statement } from './ast.js';
import { parseDoubleQuoted, parseHereString } from './parser-strings.js';
import { isDash, isDigit, isDoubleQuote, isIdentChar, isIdentStart, isSingleQuote, type Scanner } from './tokenizer.js';

const CASE_VARIANTS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'like', 'notlike', 'match', 'notmatch', 'replace',
  'contains', 'notcontains', 'in', 'notin', 'split'];
const COMPARISON = new Set([...CASE_VARIANTS, ...CASE_VARIANTS.map((o) => 'i' + o), ...CASE_VARIANTS.map((o) => 'c' + o),
  'is', 'isnot', 'as', 'join']);
const LOGICAL = new Set(['and', 'or', 'xor']);
const BITWISE = new Set(['band', 'bor', 'bxor']);
/** Every dash operator, so a word after `-` that is none of them reads as an unexpected token. */
export const DASH_OPERATORS = new Set([...COMPARISON, ...LOGICAL, ...BITWISE, 'f', 'not', 'bnot']);

export abstract class ExprParser {
  /** Set while parsing method arguments, where `,` separates arguments instead of building arrays. */
  protected noComma = 0;

  constructor(readonly s: Scanner) {}

  /** Parses statements up to and including the closing `)` or `}`. */
  abstract parseStatementList(close: ')' | '}'): Statement[];
  abstract parseStatement(): Statement;
  /** After `{`: an optional param block, statements, and the closing `}`. */
  abstract parseScriptBlockInner(open: Pos): ScriptBlockAst;

  protected unexpected(what?: string): never {
    const tok = what ?? this.describeToken();
    this.s.fail(`Unexpected token '${tok}' in expression or statement.`, 'UnexpectedToken');
  }

  protected describeToken(): string {
    const m = /^(\S+?)(?=\s|$|[;|)}])|^\S/.exec(this.s.src.slice(this.s.i, this.s.i + 40));
    return m ? m[0] : this.s.peek();
  }

  /** A dash operator at the cursor (without consuming), lowercased, or null. */
  protected peekDashOperator(): string | null {
    if (!isDash(this.s.peek()) || !isIdentStart(this.s.peek(1))) return null;
    let k = 1;
    let word = '';
    while (/[A-Za-z]/.test(this.s.peek(k))) word += this.s.peek(k++);
    if (isIdentChar(this.s.peek(k)) || this.s.peek(k) === ':') return null;
    word = word.toLowerCase();
    return DASH_OPERATORS.has(word) ? word : null;
  }

  private takeDashOperator(set: Set<string>): string | null {
    this.s.skipSpace();
    const op = this.peekDashOperator();
    if (op === null || !set.has(op)) return null;
    this.s.i += op.length + 1;
    this.s.skipSpaceAndNewlines();
    return op;
  }

  parseExpression(): Expr {
    return this.parseLogical();
  }

  private parseLogical(): Expr {
    let left = this.parseBitwise();
    for (;;) {
      const pos = this.s.pos();
      const op = this.takeDashOperator(LOGICAL);
      if (!op) return left;
      left = { kind: 'binary', op, left, right: this.parseBitwise(), pos };
    }
  }

  private parseBitwise(): Expr {
    let left = this.parseComparison();
    for (;;) {
      const pos = this.s.pos();
      const op = this.takeDashOperator(BITWISE);
      if (!op) return left;
      left = { kind: 'binary', op, left, right: this.parseComparison(), pos };
    }
  }

  private parseComparison(): Expr {
    let left = this.parseAdditive();
    for (;;) {
      const pos = this.s.pos();
      const op = this.takeDashOperator(COMPARISON);
      if (!op) return left;
      left = { kind: 'binary', op, left, right: this.parseAdditive(), pos };
    }
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    for (;;) {
      this.s.skipSpace();
      const c = this.s.peek();
      const pos = this.s.pos();
      const isMinus = isDash(c) && !isIdentStart(this.s.peek(1)) && this.s.peek(1) !== '=' && !isDash(this.s.peek(1));
      if ((c === '+' && this.s.peek(1) !== '=' && this.s.peek(1) !== '+') || isMinus) {
        this.s.i++;
        this.s.skipSpaceAndNewlines();
        left = { kind: 'binary', op: c === '+' ? '+' : '-', left, right: this.parseMultiplicative(), pos };
      } else return left;
    }
  }

  private parseMultiplicative(): Expr {
    let left = this.parseFormat();
    for (;;) {
      this.s.skipSpace();
      const c = this.s.peek();
      const pos = this.s.pos();
      if ((c === '*' || c === '/' || c === '%') && this.s.peek(1) !== '=' && !(c === '*' && this.s.peek(1) === '>')) {
        this.s.i++;
        this.s.skipSpaceAndNewlines();
        left = { kind: 'binary', op: c, left, right: this.parseFormat(), pos };
      } else return left;
    }
  }

  private parseFormat(): Expr {
    let left = this.parseRange();
    for (;;) {
      const pos = this.s.pos();
      if (!this.takeDashOperator(new Set(['f']))) return left;
      left = { kind: 'binary', op: 'f', left, right: this.parseRange(), pos };
    }
  }

  private parseRange(): Expr {
    let left = this.parseComma();
    for (;;) {
      this.s.skipSpace();
      const pos = this.s.pos();
      if (this.s.peek() !== '.' || this.s.peek(1) !== '.') return left;
      this.s.i += 2;
      this.s.skipSpaceAndNewlines();
      left = { kind: 'binary', op: '..', left, right: this.parseComma(), pos };
    }
  }

  private parseComma(): Expr {
    const first = this.parseUnary();
    if (this.noComma) return first;
    this.s.skipSpace();
    if (this.s.peek() !== ',') return first;
    const items = [first];
    while (this.s.peek() === ',') {
      this.s.i++;
      this.s.skipSpaceAndNewlines();
      items.push(this.parseUnary());
      this.s.skipSpace();
    }
    return { kind: 'array', items, pos: first.pos };
  }

  protected parseUnary(): Expr {
    this.s.skipSpace();
    const pos = this.s.pos();
    const c = this.s.peek();
    if (c === '!') {
      this.s.i++;
      this.s.skipSpace();
      return { kind: 'unary', op: 'not', operand: this.parseUnary(), pos };
    }
    if (c === ',') {
      this.s.i++;
      this.s.skipSpace();
      return { kind: 'array', items: [this.parseUnary()], pos };
    }
    if ((c === '+' || c === '-') && this.s.peek(1) === c) {
      this.s.i += 2;
      return { kind: 'unary', op: c === '+' ? '++' : '--', operand: this.parseUnary(), pos };
    }
    if (isDash(c)) {
      const op = this.peekDashOperator();
      if (op === 'not' || op === 'bnot' || op === 'join' || op === 'split') {
        this.s.i += op.length + 1;
        this.s.skipSpace();
        return { kind: 'unary', op, operand: this.parseUnary(), pos };
      }
      if (!isIdentStart(this.s.peek(1))) {
        this.s.i++;
        const operand = this.parseUnary();
        if (operand.kind === 'const' && typeof operand.value === 'number') return { ...operand, value: -operand.value, pos };
        return { kind: 'unary', op: '-', operand, pos };
      }
      this.unexpected();
    }
    if (c === '+') {
      this.s.i++;
      return { kind: 'unary', op: '+', operand: this.parseUnary(), pos };
    }
    if (c === '[') {
      const type = this.readTypeName();
      if (this.s.peek() === ':' && this.s.peek(1) === ':') return this.parsePostfix({ kind: 'typeLiteral', type, pos });
      this.s.skipSpace();
      if (this.startsOperand()) return { kind: 'cast', type, expr: this.parseUnary(), pos };
      return this.parsePostfix({ kind: 'typeLiteral', type, pos });
    }
    return this.parsePostfix(this.parsePrimary());
  }

  /** True when the cursor starts something a cast can apply to. */
  private startsOperand(): boolean {
    const c = this.s.peek();
    return c === '$' || c === '(' || c === '@' || c === '[' || isSingleQuote(c) || isDoubleQuote(c) || isDigit(c) ||
      (isDash(c) && isDigit(this.s.peek(1)));
  }

  /** `[type]` at the cursor, balanced for generic/array suffixes; returns the inner text. */
  protected readTypeName(): string {
    const start = this.s.i;
    let depth = 0;
    do {
      const ch = this.s.peek();
      if (this.s.eof() || ch === '\n') this.s.fail('Missing \']\' at end of type token.', 'EndSquareBracketExpectedAtEndOfType', start);
      if (ch === '[') depth++;
      if (ch === ']') depth--;
      this.s.i++;
    } while (depth > 0);
    return this.s.src.slice(start + 1, this.s.i - 1).trim();
  }

  protected parsePostfix(target: Expr): Expr {
    for (;;) {
      const c = this.s.peek();
      const pos = this.s.pos();
      const isStatic = c === ':' && this.s.peek(1) === ':';
      if ((c === '.' && this.s.peek(1) !== '.') || isStatic) {
        this.s.i += isStatic ? 2 : 1;
        let name: string | Expr;
        if (isIdentStart(this.s.peek())) name = this.s.readIdentifier();
        else if (this.s.peek() === '$' || isSingleQuote(this.s.peek()) || isDoubleQuote(this.s.peek()) || this.s.peek() === '(') {
          name = this.parsePrimary();
        } else this.s.fail('Missing property name after reference operator.', 'MissingPropertyName');
        if (this.s.peek() === '(' && typeof name === 'string') {
          target = { kind: 'invoke', target, name, isStatic, args: this.parseMethodArgs(), pos };
        } else target = { kind: 'member', target, name, isStatic, pos };
      } else if (c === '[' && target.kind !== 'typeLiteral') {
        this.s.i++;
        this.s.skipSpaceAndNewlines();
        const index = this.parseExpression();
        this.s.skipSpaceAndNewlines();
        if (this.s.peek() !== ']') this.s.fail('Array index expression is missing or not valid.', 'MissingArrayIndexExpression');
        this.s.i++;
        target = { kind: 'index', target, index, pos };
      } else if ((c === '+' || c === '-') && this.s.peek(1) === c && (target.kind === 'var' || target.kind === 'member')) {
        this.s.i += 2;
        target = { kind: 'postfix', op: c === '+' ? '++' : '--', operand: target, pos };
      } else return target;
    }
  }

  private parseMethodArgs(): Expr[] {
    this.s.i++; // (
    const args: Expr[] = [];
    this.noComma++;
    try {
      this.s.skipSpaceAndNewlines();
      if (this.s.peek() === ')') {
        this.s.i++;
        return args;
      }
      for (;;) {
        args.push(this.parseExpression());
        this.s.skipSpaceAndNewlines();
        if (this.s.peek() === ',') {
          this.s.i++;
          this.s.skipSpaceAndNewlines();
        } else if (this.s.peek() === ')') {
          this.s.i++;
          return args;
        } else this.s.fail('Missing closing \')\' in expression.', 'MissingEndParenthesisInMethodCall');
      }
    } finally {
      this.noComma--;
    }
  }

  protected parsePrimary(): Expr {
    const s = this.s;
    const pos = s.pos();
    const c = s.peek();
    const saved = this.noComma;
    this.noComma = 0;
    try {
      if (c === '$' && s.peek(1) === '(') {
        s.i += 2;
        return { kind: 'subExpr', body: this.parseStatementList(')'), pos };
      }
      if (c === '@' && s.peek(1) === '(') {
        s.i += 2;
        return { kind: 'arraySub', body: this.parseStatementList(')'), pos };
      }
      if (c === '@' && s.peek(1) === '{') {
        s.i += 2;
        return this.parseHashtable(pos);
      }
      if (c === '@' && (isSingleQuote(s.peek(1)) || isDoubleQuote(s.peek(1)))) return parseHereString(this, pos);
      if (c === '$') {
        const v = s.readVariable();
        return { kind: 'var', name: v.name, scope: v.scope, pos };
      }
      if (c === '(') {
        s.i++;
        s.skipSpaceAndNewlines();
        if (s.peek() === ')') s.fail('An expression was expected after \'(\'.', 'ExpectedExpression');
        const statement = this.parseStatement();
        s.skipSpaceAndNewlines();
        if (s.peek() !== ')') s.fail('Missing closing \')\' in expression.', 'MissingEndParenthesisInExpression');
        s.i++;
        return { kind: 'paren', statement, pos };
      }
      if (c === '{') {
        s.i++;
        return { kind: 'scriptblock', block: this.parseScriptBlockInner(pos), pos };
      }
      if (isSingleQuote(c)) return { kind: 'const', value: s.readSingleQuoted(), pos };
      if (isDoubleQuote(c)) return parseDoubleQuoted(this, pos);
      const n = s.readNumber((ch) => !isIdentChar(ch));
      if (n !== null) return { kind: 'const', value: n, pos };
      if (s.eof() || s.atNewlineOrSemi() || c === ')' || c === '}') {
        s.fail('You must provide a value expression following the operator.', 'ExpectedValueExpression');
      }
      return this.unexpected();
    } finally {
      this.noComma = saved;
    }
  }

  private parseHashtable(pos: Pos): Expr {
    const s = this.s;
    const entries: { key: Expr; value: Statement }[] = [];
    for (;;) {
      s.skipSpaceAndNewlines();
      while (s.peek() === ';') {
        s.i++;
        s.skipSpaceAndNewlines();
      }
      if (s.peek() === '}') {
        s.i++;
        return { kind: 'hashtable', entries, pos };
      }
      if (s.eof()) s.fail('Missing closing \'}\' in statement block or type definition.', 'MissingEndCurlyBrace', pos.offset);
      const keyPos = s.pos();
      let key: Expr;
      if (isIdentStart(s.peek())) key = { kind: 'const', value: s.readIdentifier(true), pos: keyPos };
      else key = this.parsePostfix(this.parsePrimary());
      s.skipSpace();
      if (s.peek() !== '=') s.fail('Missing \'=\' operator after key in hash literal.', 'MissingEqualsInHashLiteral');
      s.i++;
      s.skipSpaceAndNewlines();
      entries.push({ key, value: this.parseStatement() });
      s.skipSpace();
      const next = s.peek();
      if (next !== ';' && next !== '\n' && next !== '\r' && next !== '}') {
        s.fail('Missing statement after \'=\' in hash literal.', 'MissingStatementInHashLiteral');
      }
    }
  }
}
