// nunjucks' parser, compiler and runtime are public on the package object but untyped. We reuse its
// parser and code generator and supply our own runtime (Python semantics, strict undefined), so
// nothing in nunjucks is patched globally.
import nunjucks from 'nunjucks';

/** A node of nunjucks' AST; fields depend on `typename` (see nunjucks/src/nodes.js). */
export interface NjNode {
  typename: string;
  lineno: number;
  colno: number;
  fields: string[];
  children?: NjNode[];
  value?: unknown;
  [field: string]: unknown;
}

export interface NjToken {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}

type Ctor = new (...args: unknown[]) => object;

interface Internals {
  lexer: { lex(src: string, opts?: object): unknown; [token: string]: unknown };
  parser: { Parser: Ctor };
  compiler: { Compiler: Ctor };
  nodes: Record<string, Ctor & { extend(name: string, props?: object): Ctor }>;
  runtime: Record<string, unknown> & { Frame: new (parent?: unknown, isolate?: boolean) => NjFrame };
}

export interface NjFrame {
  lookup(name: string): unknown;
  set(name: string, value: unknown, resolveUp?: boolean): void;
  topLevel: boolean;
}

export const nj = nunjucks as unknown as Internals;

export const TOKEN = {
  leftParen: nj.lexer.TOKEN_LEFT_PAREN as string,
  rightParen: nj.lexer.TOKEN_RIGHT_PAREN as string,
  leftBracket: nj.lexer.TOKEN_LEFT_BRACKET as string,
  rightBracket: nj.lexer.TOKEN_RIGHT_BRACKET as string,
  colon: nj.lexer.TOKEN_COLON as string,
  comma: nj.lexer.TOKEN_COMMA as string,
  leftCurly: nj.lexer.TOKEN_LEFT_CURLY as string,
  rightCurly: nj.lexer.TOKEN_RIGHT_CURLY as string,
  operator: nj.lexer.TOKEN_OPERATOR as string,
  symbol: nj.lexer.TOKEN_SYMBOL as string,
  int: nj.lexer.TOKEN_INT as string,
};

// Node types of our own: the compiler subclass knows how to emit them.
export const Slice = nj.nodes.Node!.extend('Slice', { fields: ['start', 'stop', 'step'] });
export const NativeResult = nj.nodes.Node!.extend('NativeResult', { fields: ['expr'] });
export const Truthy = nj.nodes.Node!.extend('Truthy', { fields: ['target'] });
export const Iterable = nj.nodes.Node!.extend('Iterable', { fields: ['target', 'names'] });
