// Reading nunjucks AST nodes for messages and dispatch: the source-like text of an expression, where
// it starts, and which test an `is` names.
import { didYouMean } from '../contract/diagnostics.js';
import { TemplateFailure } from './errors.js';
import type { NjNode } from './nunjucks-internals.js';

/** A required part of a node; nunjucks leaves it empty after a stray operator (`{{ . endif }}`). */
export function child(node: NjNode, field: string): NjNode {
  const c = node[field] as NjNode | null | undefined;
  if (!c) throw new TemplateFailure('template error: incomplete expression', node.lineno + 1, node.colno + 1);
  return c;
}

/** The expression as the user wrote it, for messages: `result.stdout`, `groups['gpu']`. */
export function exprText(node: NjNode): string {
  switch (node.typename) {
    case 'Symbol':
      return String(node.value);
    case 'Literal':
      return typeof node.value === 'string' ? `'${node.value}'` : String(node.value);
    case 'LookupVal': {
      const val = child(node, 'val');
      const base = exprText(child(node, 'target'));
      if (val.typename === 'Literal' && typeof val.value === 'string' && /^[A-Za-z_]\w*$/.test(val.value)) return `${base}.${val.value}`;
      return `${base}[${val.typename === 'Slice' ? ':' : exprText(val)}]`;
    }
    case 'Group':
      return `(${(node.children ?? []).map(exprText).join(', ')})`;
    case 'FunCall':
      return `${exprText(child(node, 'name'))}(...)`;
    case 'Filter':
      return `${exprText(child(node, 'args').children![0]!)} | ${String(child(node, 'name').value)}`;
    default:
      return 'expression';
  }
}

/** Position (1-based) of where an expression starts, for error messages. */
export function startOf(node: NjNode): [number, number] {
  let n = node;
  while (n.typename === 'LookupVal' || n.typename === 'FunCall') n = child(n, n.typename === 'LookupVal' ? 'target' : 'name');
  return [n.lineno + 1, n.colno + 1];
}

export function filterName(raw: string): string {
  return raw.replace(/^ansible\.builtin\./, '');
}

/** A test's name and argument nodes from the right side of `is` (`defined`, `version('1', '>=')`, `none`). */
export function testOf(right: NjNode): { name: string; args: NjNode[] } {
  if (right.typename === 'FunCall') return { name: String(child(right, 'name').value), args: child(right, 'args').children ?? [] };
  if (right.typename === 'Literal') return { name: right.value === null ? 'none' : String(right.value), args: [] };
  const name = String(right.value);
  return { name: name === 'None' ? 'none' : name === 'True' ? 'true' : name === 'False' ? 'false' : name, args: [] };
}

export function unknownName(kind: 'filter' | 'test', name: string, known: string[], node: NjNode): TemplateFailure {
  const guess = didYouMean(name, known);
  return new TemplateFailure(`no ${kind} named '${name}'`, node.lineno + 1, node.colno + 1, guess ? `did you mean '${guess}'?` : undefined);
}
