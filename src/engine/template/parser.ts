// Parsing: nunjucks' lexer and parser, plus Python slices (`x[1:]`, `version[:4]`, `l[::-1]`),
// which Ansible templates use and nunjucks lacks without its global Jinja-compat patch.
import { nj, Slice, TOKEN, type NjNode, type NjToken } from './nunjucks-internals.js';

interface NunjucksParser {
  pushToken(tok: NjToken): void;
  peekToken(): NjToken;
  nextToken(): NjToken;
  skip(type: string): boolean;
  expect(type: string): NjToken;
  fail(msg: string, lineno?: number, colno?: number): never;
  parseExpression(): NjNode;
  parseCompare(): NjNode;
  parsePrimary(): NjNode;
  skipSymbol(name: string): boolean;
  parseSignature(): NjNode;
  parseAsRoot(): NjNode;
  parseStatement(): NjNode;
  extensions: unknown[];
}

interface NunjucksTokenizer {
  in_code: boolean;
  lineno: number;
  colno: number;
  current(): string;
  forward(): void;
  isFinished(): boolean;
  nextToken(): NjToken | null;
}

const TokenizerBase = Object.getPrototypeOf(nj.lexer.lex('')).constructor as new (src: string, opts: object) => NunjucksTokenizer;

/**
 * Jinja balances braces inside `{{ }}`: `{{ x | combine({'a': {'b': 1}}) }}` is one expression,
 * although `}}` appears before its end. nunjucks would end the expression there; we count open
 * dict braces and read a `}` as closing a dict while any is open.
 */
const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

class FpTokenizer extends TokenizerBase {
  private depth = 0;
  rawStrings = false;

  /**
   * String literals with Python's escapes: an unknown escape keeps its backslash, so
   * `regex_replace('\s+', ' ')` sees `\s` as Jinja (and so Ansible) passes it; nunjucks drops it.
   */
  _parseString(delimiter: string): string {
    this.forward();
    let str = '';
    while (!this.isFinished() && this.current() !== delimiter) {
      const cur = this.current();
      this.forward();
      if (cur !== '\\' || this.isFinished()) {
        str += cur;
        continue;
      }
      const next = this.current();
      this.forward();
      if (this.rawStrings) str += `\\${next}`;
      else if (Object.hasOwn(SIMPLE_ESCAPES, next)) str += SIMPLE_ESCAPES[next];
      else if (next === 'x' || next === 'u' || next === 'U') {
        const n = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        let hex = '';
        while (hex.length < n && !this.isFinished() && /[0-9a-fA-F]/.test(this.current())) {
          hex += this.current();
          this.forward();
        }
        str += hex.length === n ? String.fromCodePoint(parseInt(hex, 16)) : `\\${next}${hex}`;
      } else if (/[0-7]/.test(next)) {
        let oct = next;
        while (oct.length < 3 && !this.isFinished() && /[0-7]/.test(this.current())) {
          oct += this.current();
          this.forward();
        }
        str += String.fromCharCode(parseInt(oct, 8));
      } else str += `\\${next}`;
    }
    this.forward();
    return str;
  }

  override nextToken(): NjToken | null {
    if (this.in_code && this.depth > 0 && this.current() === '}') {
      const { lineno, colno } = this;
      this.forward();
      this.depth--;
      return { type: TOKEN.rightCurly, value: '}', lineno, colno };
    }
    const tok = super.nextToken();
    // Jinja's trim_blocks drops the newline after a comment too; nunjucks only does it after blocks.
    if (tok?.type === 'comment' && (this as unknown as { trimBlocks: boolean }).trimBlocks && !this.isFinished()) {
      if (this.current() === '\n') this.forward();
      else if (this.current() === '\r') {
        this.forward();
        if (!this.isFinished() && this.current() === '\n') this.forward();
      }
    }
    if (tok?.type === TOKEN.leftCurly) this.depth++;
    else if (tok?.type === TOKEN.rightCurly && this.depth > 0) this.depth--;
    else if (!this.in_code) this.depth = 0;
    return tok;
  }
}

const Base = nj.parser.Parser as unknown as new (tokens: unknown) => NunjucksParser;

const TEST_NAME_TOKENS = new Set([TOKEN.symbol, 'none', 'boolean']);
const ARG_TOKENS = new Set([TOKEN.symbol, 'string', 'int', 'float', 'none', 'boolean', TOKEN.leftBracket, TOKEN.leftCurly]);
const NOT_AN_ARG = new Set(['and', 'or', 'else', 'if', 'is', 'not', 'in']);

class FpParser extends Base {
  /** `{%` at the very end: nunjucks reads a missing token's type and crashes. */
  override parseStatement(): NjNode {
    const tok = this.peekToken();
    if (!tok) this.fail("expected a tag name after '{%', reached the end of the template");
    return super.parseStatement();
  }

  /**
   * `x | f(1)`: only the argument list belongs to the filter. nunjucks parses a whole postfix chain
   * there and crashes on `x | f(1).y`; Jinja reports `.y` as a syntax error, and so do we.
   */
  parseFilterArgs(_node: NjNode): NjNode[] {
    if (this.peekToken()?.type !== TOKEN.leftParen) return [];
    return (this.parseSignature() as NjNode & { children: NjNode[] }).children;
  }

  parsePostfix(start: NjNode): NjNode {
    let node = start;
    for (let tok = this.peekToken(); tok; tok = this.peekToken()) {
      if (tok.type === TOKEN.leftParen) {
        node = new nj.nodes.FunCall!(tok.lineno, tok.colno, node, this.parseSignature()) as NjNode;
      } else if (tok.type === TOKEN.leftBracket) {
        this.nextToken();
        node = this.parseSubscript(node, tok);
      } else if (tok.type === TOKEN.operator && tok.value === '.') {
        this.nextToken();
        let name = this.nextToken();
        // `x.0.name` / `x.0.1`: the lexer reads `0.` / `0.1` as a float; Jinja reads indexes.
        while (name?.type === 'float' && /^\d+\.\d*$/.test(name.value)) {
          const [whole, frac] = name.value.split('.') as [string, string];
          node = new nj.nodes.LookupVal!(tok.lineno, tok.colno, node, new nj.nodes.Literal!(name.lineno, name.colno, Number(whole))) as NjNode;
          if (frac !== '') {
            name = { ...name, type: TOKEN.int, value: frac, colno: name.colno + whole.length + 1 };
            break;
          }
          name = this.nextToken();
        }
        // `x.0` indexes like `x[0]`, as in Jinja.
        const isIndex = name?.type === TOKEN.int;
        if (!name || (name.type !== TOKEN.symbol && !isIndex)) this.fail(`expected a name after '.', got ${name ? `'${name.value}'` : 'end of template'}`, (name ?? tok).lineno, (name ?? tok).colno);
        const key = new nj.nodes.Literal!(name.lineno, name.colno, isIndex ? Number(name.value) : name.value);
        node = new nj.nodes.LookupVal!(tok.lineno, tok.colno, node, key) as NjNode;
      } else break;
    }
    return node;
  }

  /**
   * `x is test`, `x is test(args)` and Jinja's one-argument form without parentheses
   * (`x is divisibleby 3`, `x is in groups.gpu`, `r is not sameas false`).
   */
  parseIs(): NjNode {
    const node = this.parseCompare();
    if (!this.skipSymbol('is')) return node;
    // nunjucks returns no node for a stray operator (`. is defined`); a test needs something to test.
    if (!node) this.fail("expected an expression before 'is'");
    const negate = this.skipSymbol('not');
    const tok = this.nextToken();
    if (!tok || !TEST_NAME_TOKENS.has(tok.type)) this.fail(`expected a test name after 'is', got ${tok ? `'${tok.value}'` : 'end of template'}`, (tok ?? node).lineno, (tok ?? node).colno);
    const name = new nj.nodes.Symbol!(tok.lineno, tok.colno, tok.value) as NjNode;
    const next = this.peekToken();
    let right = name;
    if (next?.type === TOKEN.leftParen) {
      right = new nj.nodes.FunCall!(tok.lineno, tok.colno, name, this.parseSignature()) as NjNode;
    } else if (next && ARG_TOKENS.has(next.type) && !(next.type === TOKEN.symbol && NOT_AN_ARG.has(next.value))) {
      const args = new nj.nodes.NodeList!(next.lineno, next.colno, [this.parsePrimary()]);
      right = new nj.nodes.FunCall!(tok.lineno, tok.colno, name, args) as NjNode;
    }
    const is = new nj.nodes.Is!(node.lineno, node.colno, node, right) as NjNode;
    return negate ? (new nj.nodes.Not!(node.lineno, node.colno, is) as NjNode) : is;
  }

  /**
   * `( )`, `[ ]` and `{ }` literals. Unlike nunjucks, dict keys may be any expression
   * (`{'k' ~ i: v}`) and a trailing comma is allowed (`(1,)`, `[a, b,]`), as in Jinja.
   */
  parseAggregate(): NjNode | null {
    const open = this.nextToken();
    const kinds: Record<string, [string, string]> = { [TOKEN.leftParen]: ['Group', TOKEN.rightParen], [TOKEN.leftBracket]: ['Array', TOKEN.rightBracket], [TOKEN.leftCurly]: ['Dict', TOKEN.rightCurly] };
    const kind = open && kinds[open.type];
    if (!kind) {
      if (open) this.pushToken(open);
      return null;
    }
    const [type, close] = kind;
    const node = new nj.nodes[type]!(open.lineno, open.colno) as NjNode & { addChild(n: NjNode): void };
    for (;;) {
      if (this.skip(close)) break;
      if (node.children!.length > 0) {
        if (!this.skip(TOKEN.comma)) this.fail(`expected ',' or the closing bracket, got '${this.peekToken()?.value ?? 'end of template'}'`, this.peekToken()?.lineno ?? open.lineno, this.peekToken()?.colno ?? open.colno);
        if (this.skip(close)) {
          // `(x,)` is a one-item tuple, not a parenthesised x.
          if (type === 'Group') node.tuple = true;
          break;
        }
      }
      if (type === 'Dict') {
        const key = this.parseExpression();
        if (!this.skip(TOKEN.colon)) this.fail("expected ':' after a dict key", key.lineno, key.colno);
        node.addChild(new nj.nodes.Pair!(key.lineno, key.colno, key, this.parseExpression()) as NjNode);
      } else node.addChild(this.parseExpression());
    }
    return node;
  }

  /** After `[`: either an index expression or a slice `start:stop:step` (each part optional). */
  private parseSubscript(target: NjNode, open: NjToken): NjNode {
    const part = (): NjNode | null => {
      const t = this.peekToken();
      return t && (t.type === TOKEN.colon || t.type === TOKEN.rightBracket) ? null : this.parseExpression();
    };
    const start = part();
    let val: NjNode | null = start;
    if (this.skip(TOKEN.colon)) {
      const stop = part();
      const step = this.skip(TOKEN.colon) ? part() : null;
      val = new Slice(open.lineno, open.colno, start, stop, step) as NjNode;
    } else if (start === null) {
      this.fail('expected an index or a slice inside [ ]', open.lineno, open.colno);
    }
    const close = this.nextToken();
    if (!close || close.type !== TOKEN.rightBracket) this.fail(`expected ']', got ${close ? `'${close.value}'` : 'end of template'}`, (close ?? open).lineno, (close ?? open).colno);
    return new nj.nodes.LookupVal!(open.lineno, open.colno, target, val) as NjNode;
  }
}

/** Parses template text into nunjucks' AST. Ansible renders with trim_blocks on; so do we. */
/**
 * `rawStrings`: backslashes in string literals are kept as written — Ansible escapes them before
 * Jinja sees a playbook value, so `regex_replace('(\\w)', '\\1')` means what it says. Template files
 * get Python's escapes.
 */
export function parseTemplate(src: string, rawStrings = false): NjNode {
  const tokenizer = new FpTokenizer(src, { trimBlocks: true });
  tokenizer.rawStrings = rawStrings;
  const p = new FpParser(tokenizer);
  p.extensions = [];
  return p.parseAsRoot();
}
