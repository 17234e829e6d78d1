// Questions answered from the parsed template rather than by running it: is it a single `{{ expr }}`
// (so its native value is returned), and which top-level variables does it read.
import { GLOBALS } from './globals.js';
import type { NjNode } from './nunjucks-internals.js';

/** The expression of a template that is exactly one `{{ expr }}` with only whitespace around it. */
export function singleExpression(root: NjNode): NjNode | undefined {
  let expr: NjNode | undefined;
  for (const out of root.children ?? []) {
    if (out.typename !== 'Output') return undefined;
    for (const c of out.children ?? []) {
      // Any text around the expression, even a newline, makes the result a string that keeps it
      // (`content: "{{ x }}\n"` must end in a newline), as Ansible does.
      if (c.typename === 'TemplateData') {
        if (String(c.value) !== '') return undefined;
      } else if (expr) return undefined;
      else expr = c;
    }
  }
  return expr;
}

const NOT_VARIABLES = new Set(['True', 'False', 'None', ...Object.keys(GLOBALS)]);

function isNode(v: unknown): v is NjNode {
  return typeof v === 'object' && v !== null && typeof (v as NjNode).typename === 'string';
}

/** Top-level variable names the template reads, in order of first use. */
export function referencedNames(root: NjNode): string[] {
  const read: string[] = [];
  const bound = new Set<string>();
  const bind = (n: unknown): void => {
    if (!isNode(n)) return;
    if (n.typename === 'Symbol') bound.add(String(n.value));
    for (const c of n.children ?? []) bind(c);
  };
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!isNode(n)) return;
    switch (n.typename) {
      case 'Symbol':
        if (!read.includes(String(n.value))) read.push(String(n.value));
        return;
      case 'Filter':
        return visit(n.args);
      case 'Is': {
        visit(n.left);
        const right = n.right as NjNode;
        if (right.typename === 'FunCall') visit(right.args);
        return;
      }
      case 'KeywordArgs':
        for (const pair of n.children ?? []) visit(pair.value);
        return;
      case 'For':
      case 'AsyncEach':
      case 'AsyncAll':
        bind(n.name);
        bound.add('loop');
        break;
      case 'Set':
        for (const t of (n.targets as NjNode[]) ?? []) bind(t);
        break;
      case 'Macro':
      case 'Caller':
        bind(n.name);
        bind(n.args);
        bound.add('caller');
        visit(n.body);
        return;
    }
    for (const f of n.fields ?? []) {
      if ((n.typename === 'For' || n.typename === 'AsyncEach' || n.typename === 'AsyncAll') && f === 'name') continue;
      if (n.typename === 'Set' && f === 'targets') continue;
      visit(n[f]);
    }
  };
  visit(root);
  return read.filter((name) => !bound.has(name) && !NOT_VARIABLES.has(name));
}
