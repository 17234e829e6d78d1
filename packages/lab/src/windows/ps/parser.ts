// Statement parsing (command mode: parser-command.ts; keyword statements: parser-keywords.ts). Entry point: parseScript(text) → ScriptBlockAst, or a ParseError
// carrying PowerShell's wording and the position of the offending token.

import type { Expr, ParamDecl, PipelineElement, PipelineStmt, Pos, ScriptBlockAst, Statement } from './ast.js';
import { CommandParser } from './parser-command.js';
import { isDash, isDigit, isDoubleQuote, isIdentChar, isIdentStart, isSingleQuote, Scanner } from './tokenizer.js';
import { parseKeywordStatement } from './parser-keywords.js';

const STATEMENT_KEYWORDS = new Set(['if', 'foreach', 'for', 'while', 'try', 'throw', 'exit', 'return', 'break',
  'continue', 'function', 'filter', 'param']);
/** Keywords the subset rejects by name, so a script that uses them fails loudly instead of misparsing. */
const UNSUPPORTED_KEYWORDS = new Set(['switch', 'do', 'until', 'trap', 'class', 'enum', 'using', 'data', 'workflow',
  'begin', 'process', 'end', 'dynamicparam', 'configuration', 'parallel', 'sequence', 'inlinescript']);
const ASSIGN_OPS = ['+=', '-=', '*=', '/=', '='] as const;

export function parseScript(text: string): ScriptBlockAst {
  const s = new Scanner(text);
  const p = new Parser(s);
  const pos = s.pos();
  s.skipSpaceAndNewlines();
  const params = s.matchWord('param') || s.peek() === '[' ? p.tryParamBlock() : [];
  const body = p.parseStatementsUntilEof();
  return { kind: 'scriptblock', params, body, pos, text, source: text };
}

export class Parser extends CommandParser {
  constructor(s: Scanner) {
    super(s);
  }

  parseStatementsUntilEof(): Statement[] {
    const out: Statement[] = [];
    for (;;) {
      this.skipSeparators();
      if (this.s.eof()) return out;
      const c = this.s.peek();
      if (c === ')' || c === '}') this.unexpected(c);
      out.push(this.parseStatement());
      this.expectStatementEnd();
    }
  }

  parseStatementList(close: ')' | '}'): Statement[] {
    const openOffset = this.s.i - 1;
    const out: Statement[] = [];
    for (;;) {
      this.skipSeparators();
      if (this.s.eof()) {
        if (close === '}') this.s.fail('Missing closing \'}\' in statement block or type definition.', 'MissingEndCurlyBrace', openOffset);
        this.s.fail('Missing closing \')\' in subexpression.', 'MissingEndParenthesisInSubexpression', openOffset);
      }
      if (this.s.peek() === close) {
        this.s.i++;
        return out;
      }
      if (this.s.peek() === ')' || this.s.peek() === '}') this.unexpected(this.s.peek());
      out.push(this.parseStatement());
      this.expectStatementEnd(close);
    }
  }

  parseScriptBlockInner(open: Pos): ScriptBlockAst {
    const bodyStart = this.s.i;
    this.s.skipSpaceAndNewlines();
    const params = this.s.matchWord('param') || this.s.peek() === '[' ? this.tryParamBlock() : [];
    const body = this.parseStatementList('}');
    return { kind: 'scriptblock', params, body, pos: open, text: this.s.src.slice(bodyStart, this.s.i - 1), source: this.s.src };
  }

  private skipSeparators(): void {
    for (;;) {
      this.s.skipSpaceAndNewlines();
      if (this.s.peek() !== ';') return;
      this.s.i++;
    }
  }

  private expectStatementEnd(close?: string): void {
    this.s.skipSpace();
    const c = this.s.peek();
    if (this.s.atNewlineOrSemi() || c === close) return;
    this.unexpected();
  }

  /**
   * `[CmdletBinding()] param( [Parameter(Mandatory)] [string]$Name = 'x', [switch]$Force )`. Attributes
   * other than Mandatory are accepted and ignored. Returns [] when what follows is not a param block.
   */
  tryParamBlock(): ParamDecl[] {
    const s = this.s;
    const start = s.i;
    while (s.peek() === '[') {
      this.readTypeName();
      s.skipSpaceAndNewlines();
    }
    if (!s.matchWord('param')) {
      s.i = start;
      return [];
    }
    s.i += 5;
    s.skipSpace();
    if (s.peek() !== '(') s.fail('Missing \'(\' in the param block.', 'MissingParenInParamBlock');
    s.i++;
    return this.parseParamList();
  }

  /** The inside of `param( ... )` or a function's `( ... )`, through the closing parenthesis. */
  parseParamList(): ParamDecl[] {
    const s = this.s;
    const params: ParamDecl[] = [];
    for (;;) {
      s.skipSpaceAndNewlines();
      if (s.peek() === ')') {
        s.i++;
        return params;
      }
      let type: string | undefined;
      let mandatory = false;
      while (s.peek() === '[') {
        const t = this.readTypeName();
        if (/^parameter\s*\(/i.test(t)) mandatory ||= /mandatory\s*(=\s*\$true)?\s*[,)]/i.test(t);
        else if (!/\(/.test(t)) type = t;
        s.skipSpaceAndNewlines();
      }
      const pos = s.pos();
      if (s.peek() !== '$') s.fail('Missing variable name in the parameter list.', 'InvalidFunctionParameter');
      const v = s.readVariable();
      s.skipSpace();
      let defaultValue: Expr | undefined;
      if (s.peek() === '=') {
        s.i++;
        s.skipSpaceAndNewlines();
        this.noComma++;
        try {
          defaultValue = this.parseExpression();
        } finally {
          this.noComma--;
        }
      }
      params.push({ name: v.name, type, mandatory, defaultValue, pos });
      s.skipSpaceAndNewlines();
      if (s.peek() === ',') s.i++;
      else if (s.peek() !== ')') s.fail('Missing \')\' in function parameter list.', 'MissingEndParenthesisInFunctionParameterList');
    }
  }

  parseStatement(): Statement {
    const s = this.s;
    s.skipSpace();
    if (isIdentStart(s.peek())) {
      const word = /^[A-Za-z]+/.exec(s.src.slice(s.i, s.i + 20))![0].toLowerCase();
      const after = s.src[s.i + word.length] ?? '';
      const isWord = !isIdentChar(after) && after !== '-' && after !== '.' && after !== '\\' && after !== ':';
      if (isWord && STATEMENT_KEYWORDS.has(word)) return parseKeywordStatement(this, word);
      if (isWord && UNSUPPORTED_KEYWORDS.has(word)) {
        s.fail(`The '${word}' keyword is not supported by the lab host's PowerShell subset (see POWERSHELL.md).`, 'UnsupportedSyntax');
      }
    }
    return this.parsePipelineOrAssignment();
  }

  private parsePipelineOrAssignment(): Statement {
    const s = this.s;
    const pos = s.pos();
    const first = this.parsePipelineElement(true);
    if (first.kind === 'exprElement' && first.redirects.length === 0) {
      s.skipSpace();
      const op = ASSIGN_OPS.find((o) => s.src.startsWith(o, s.i) && !(o === '=' && s.peek(1) === '='));
      if (op) {
        const t = first.expr;
        const target = t.kind === 'cast' ? t.expr : t;
        if (target.kind !== 'var' && target.kind !== 'member' && target.kind !== 'index') {
          s.fail('The assignment expression is not valid. The input to an assignment operator must be an object that is able to accept assignments, such as a variable or a property.', 'InvalidLeftHandSide', pos.offset);
        }
        s.i += op.length;
        s.skipSpaceAndNewlines();
        if (s.atNewlineOrSemi() || s.peek() === ')' || s.peek() === '}') {
          s.fail(`You must provide a value expression following the '${op}' operator.`, 'ExpectedValueExpression');
        }
        return { kind: 'assign', target: first.expr, op, value: this.parseStatement(), pos };
      }
    }
    return this.parsePipelineRest(first, pos);
  }

  /** Continues a pipeline after its first element; used by keyword statements too. */
  parsePipelineRest(first: PipelineElement, pos: Pos): PipelineStmt {
    const s = this.s;
    const elements: PipelineElement[] = [first];
    for (;;) {
      s.skipSpace();
      if (s.peek() !== '|' || s.peek(1) === '|') break;
      s.i++;
      s.skipSpaceAndNewlines();
      if (s.eof()) s.fail('An empty pipe element is not allowed.', 'EmptyPipeElement');
      const el = this.parsePipelineElement(false);
      if (el.kind === 'exprElement') s.fail('Expressions are only allowed as the first element of a pipeline.', 'ExpressionsMustBeFirstInPipeline', el.pos.offset);
      elements.push(el);
    }
    return { kind: 'pipeline', elements, pos, end: s.i };
  }

  parsePipeline(): PipelineStmt {
    const pos = this.s.pos();
    return this.parsePipelineRest(this.parsePipelineElement(true), pos);
  }

  private startsExpression(): boolean {
    const s = this.s;
    const c = s.peek();
    if (c === '$' || c === '(' || c === '@' || c === '[' || c === '!' || c === ',' || c === '{' || c === '+') return true;
    if (isSingleQuote(c) || isDoubleQuote(c)) return true;
    if (isDigit(c) || (c === '.' && isDigit(s.peek(1)))) return s.readNumberAhead();
    if (isDash(c)) return true;
    return false;
  }

  private parsePipelineElement(first: boolean): PipelineElement {
    const s = this.s;
    s.skipSpace();
    const pos = s.pos();
    const c = s.peek();
    if ((c === '&' && s.peek(1) !== '&') || (c === '.' && (s.peek(1) === ' ' || s.peek(1) === '\t'))) {
      s.i++;
      s.skipSpace();
      const name = this.parsePostfix(this.parseCommandNameExpr());
      return this.parseCommandArgs(name, c as '&' | '.', pos);
    }
    if (this.startsExpression()) {
      if (!first) s.fail('Expressions are only allowed as the first element of a pipeline.', 'ExpressionsMustBeFirstInPipeline');
      const expr = this.parseExpression();
      return { kind: 'exprElement', expr, redirects: this.parseRedirects(), pos };
    }
    if (s.eof() || s.atNewlineOrSemi() || c === '|' || c === ')' || c === '}') s.fail('An empty pipe element is not allowed.', 'EmptyPipeElement');
    return this.parseCommandArgs(this.readCommandName(), null, pos);
  }
}
