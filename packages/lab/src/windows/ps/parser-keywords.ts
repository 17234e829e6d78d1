// Keyword statements: if/elseif/else, foreach, for, while, try/catch/finally, throw/exit/return/
// break/continue, function/filter. `param` outside the top of a script block is a parse error.

import type { FlowStmt, PipelineStmt, Statement } from './ast.js';
import type { Parser } from './parser.js';

export function parseKeywordStatement(p: Parser, word: string): Statement {
  const s = p.s;
  const pos = s.pos();
  s.i += word.length;
  const condition = (keyword: string): PipelineStmt => {
    s.skipSpace();
    if (s.peek() !== '(') s.fail(`Missing '(' after '${keyword}' in ${keyword} statement.`, 'MissingOpenParenthesisInIfStatement');
    s.i++;
    s.skipSpaceAndNewlines();
    if (s.peek() === ')' || s.eof()) s.fail(`Missing condition in ${keyword} statement after '${keyword} ('.`, 'IfStatementMissingCondition');
    const pipeline = p.parsePipeline();
    s.skipSpaceAndNewlines();
    if (s.peek() !== ')') s.fail(`Missing closing ')' after expression in '${keyword}' statement.`, 'MissingEndParenthesisAfterStatement');
    s.i++;
    return pipeline;
  };
  const block = (after: string): Statement[] => {
    s.skipSpaceAndNewlines();
    if (s.peek() !== '{') s.fail(`Missing statement block after ${after}.`, 'MissingStatementBlock');
    s.i++;
    return p.parseStatementList('}');
  };
  const peekWord = (w: string): boolean => {
    const save = s.i;
    s.skipSpaceAndNewlines();
    const hit = s.matchWord(w);
    if (!hit) s.i = save;
    return hit;
  };

  switch (word) {
    case 'if': {
      const clauses = [{ condition: condition('if'), body: block("if ( condition )") }];
      let elseBody: Statement[] | undefined;
      for (;;) {
        if (peekWord('elseif')) {
          s.i += 6;
          clauses.push({ condition: condition('elseif'), body: block('elseif ( condition )') });
        } else if (peekWord('else')) {
          s.i += 4;
          elseBody = block("the 'else' keyword");
          break;
        } else break;
      }
      return { kind: 'if', clauses, elseBody, pos };
    }
    case 'foreach': {
      s.skipSpace();
      if (s.peek() !== '(') s.fail("Missing opening '(' after keyword 'foreach'.", 'MissingOpenParenthesisAfterKeyword');
      s.i++;
      s.skipSpaceAndNewlines();
      if (s.peek() !== '$') s.fail("Missing variable name after foreach.", 'MissingVariableNameAfterForeach');
      const variable = s.readVariable().name;
      s.skipSpaceAndNewlines();
      if (!s.matchWord('in')) s.fail("Missing 'in' after variable in foreach loop.", 'MissingInInForeach');
      s.i += 2;
      s.skipSpaceAndNewlines();
      const iterable = p.parsePipeline();
      s.skipSpaceAndNewlines();
      if (s.peek() !== ')') s.fail("Missing closing ')' after expression in 'foreach' statement.", 'MissingEndParenthesisAfterForeach');
      s.i++;
      return { kind: 'foreach', variable, iterable, body: block("foreach ( $x in $y )"), pos };
    }
    case 'for': {
      // for (init; cond; step) is lowered to init + while loop with the step appended.
      s.skipSpace();
      if (s.peek() !== '(') s.fail("Missing opening '(' after keyword 'for'.", 'MissingOpenParenthesisAfterKeyword');
      s.i++;
      const part = (end: string): Statement | undefined => {
        s.skipSpaceAndNewlines();
        if (s.peek() === end) {
          s.i++;
          return undefined;
        }
        const st = p.parseStatement();
        s.skipSpaceAndNewlines();
        if (s.peek() !== end) s.fail(`Missing '${end}' in the 'for' statement.`, 'MissingForSeparator');
        s.i++;
        return st;
      };
      const init = part(';');
      const cond = part(';');
      const step = part(')');
      const body = block('for ( ; ; )');
      const trueCond: PipelineStmt = { kind: 'pipeline', elements: [{ kind: 'exprElement', expr: { kind: 'const', value: true, pos }, redirects: [], pos }], pos, end: s.i };
      const whileStmt: Statement = {
        kind: 'while',
        condition: cond?.kind === 'pipeline' ? cond : trueCond,
        body: step ? [...body, step] : body,
        pos,
      };
      return init ? { kind: 'if', clauses: [{ condition: trueCond, body: [init, whileStmt] }], pos } : whileStmt;
    }
    case 'while':
      return { kind: 'while', condition: condition('while'), body: block('while ( condition )'), pos };
    case 'try': {
      const body = block("the 'try' keyword");
      const catches: { types: string[]; body: Statement[] }[] = [];
      let finallyBody: Statement[] | undefined;
      while (peekWord('catch')) {
        s.i += 5;
        const types: string[] = [];
        for (;;) {
          s.skipSpace();
          if (s.peek() !== '[') break;
          const start = s.i;
          const end = s.src.indexOf(']', start);
          types.push(s.src.slice(start + 1, end).trim());
          s.i = end + 1;
          s.skipSpace();
          if (s.peek() === ',') s.i++;
        }
        catches.push({ types, body: block("the 'catch' keyword") });
      }
      if (peekWord('finally')) {
        s.i += 7;
        finallyBody = block("the 'finally' keyword");
      }
      if (catches.length === 0 && !finallyBody) s.fail('The Try statement is missing its Catch or Finally block.', 'MissingCatchOrFinally');
      return { kind: 'try', body, catches, finallyBody, pos };
    }
    case 'throw':
    case 'exit':
    case 'return': {
      s.skipSpace();
      const c = s.peek();
      let value: PipelineStmt | undefined;
      if (!(s.eof() || s.atNewlineOrSemi() || c === '}' || c === ')')) value = p.parsePipeline();
      const stmt: FlowStmt = { kind: word, value, pos, end: s.i };
      return stmt;
    }
    case 'break':
    case 'continue':
      return { kind: word, pos, end: s.i };
    case 'function':
    case 'filter': {
      s.skipSpace();
      const name = s.readIdentifier(true);
      if (!name) s.fail('Missing name after function keyword.', 'MissingNameAfterFunctionKeyword');
      s.skipSpace();
      const params = s.peek() === '(' ? (s.i++, p.parseParamList()) : [];
      s.skipSpaceAndNewlines();
      const open = s.pos();
      if (s.peek() !== '{') s.fail('Missing function body in function declaration.', 'MissingFunctionBody');
      s.i++;
      const body = p.parseScriptBlockInner(open);
      if (params.length) body.params = params;
      return { kind: 'function', name, body, pos };
    }
    case 'param':
      s.i -= word.length;
      return s.fail('The param block must be the first statement in a script or script block.', 'ParamBlockNotFirst');
    default:
      return s.fail(`Unexpected keyword '${word}'.`, 'UnexpectedKeyword');
  }
}
