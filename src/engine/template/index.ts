// The Templater the executor uses: Jinja2 templates and `when:` expressions on nunjucks' parser with
// Python/Ansible semantics (see runtime.ts), lazy variables (scope.ts) and located errors.
//
// Not a sandbox: playbooks are trusted code, as in Ansible. Still, templates reach only data,
// the listed filters/tests/methods and a few globals, never JavaScript objects' own properties.
// `lookup('env'|'file'|'vars', ...)` runs on the controller.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { TemplateError, type Loc } from '../contract/diagnostics.js';
import type { LocMap } from '../contract/playbook.js';
import type { Templater, VarLayer } from '../contract/template.js';
import { compile, isTemplated, renderDeep, renderText } from './engine.js';
import { truthy } from './py-values.js';
import { Scope } from './scope.js';

export { isTemplated } from './engine.js';
export { isOmit, OMIT, stripOmitted } from './omit.js';

/**
 * `when: "{{ x }} == 1"` (Ansible warns but accepts it): markers outside string literals become
 * parentheses of the same width, so the condition is evaluated as one expression (never by
 * templating a rendered value again) and error columns still line up.
 */
function unwrapMarkers(expr: string, loc: Loc): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i]!;
    const two = expr.slice(i, i + 2);
    if (quote) {
      out += ch;
      if (ch === '\\' && i + 1 < expr.length) out += expr[++i];
      else if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (two === '{%' || two === '{#') {
      throw new TemplateError({ loc: { ...loc, col: loc.col + i }, message: `a condition must be an expression; '${two}' tags are not allowed here` });
    } else if (two === '{{' || two === '}}') {
      const trim = two === '{{' ? expr[i + 2] === '-' : out.endsWith('-');
      if (two === '{{') out += trim ? ' ( ' : ' (';
      else out = trim ? `${out.slice(0, -1)} ) ` : `${out}) `;
      i += two === '{{' && trim ? 2 : 1;
    } else out += ch;
  }
  return out;
}

function evaluateIn(expr: string, scope: Scope, loc: Loc): unknown {
  const text = isTemplated(expr) ? unwrapMarkers(expr, loc) : expr;
  if (text.trim() === '') throw new TemplateError({ loc, message: 'empty expression' });
  return renderText(text, scope, { loc, kind: 'string', prefix: 3 }, 'expr');
}

export function createTemplater(): Templater {
  return {
    render(value: unknown, layers: readonly VarLayer[], loc: Loc, locs?: LocMap): unknown {
      return renderDeep(value, new Scope(layers, loc), loc, locs, '');
    },
    evaluate(expr: string, layers: readonly VarLayer[], loc: Loc): unknown {
      return evaluateIn(expr, new Scope(layers, loc), loc);
    },
    evaluateCondition(expr: string | boolean, layers: readonly VarLayer[], loc: Loc): boolean {
      if (typeof expr === 'boolean') return expr;
      return truthy(evaluateIn(String(expr), new Scope(layers, loc), loc));
    },
    referencedVars(text: string): string[] {
      try {
        return compile(text, /\{%|\{#|\{\{/.test(text) ? 'string' : 'expr').names;
      } catch {
        return [];
      }
    },
    isTemplated,
  };
}

/**
 * Renders a template file (the `template` module's `src`). Errors point into the file at
 * line:col. Ansible's `template_*` variables and `ansible_managed` are provided beneath `layers`.
 */
export function renderTemplateFile(text: string, sourcePath: string, layers: VarLayer[]): string {
  const loc: Loc = { file: sourcePath, line: 1, col: 1 };
  const fileVars: VarLayer = {
    name: 'template file',
    trusted: false,
    vars: { template_path: sourcePath, template_fullpath: resolve(sourcePath), template_host: hostname(), ansible_managed: 'Managed by fleetplay' },
  };
  return String(renderText(text, new Scope([fileVars, ...layers], loc), { loc, kind: 'file' }, 'file'));
}
