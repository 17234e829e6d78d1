// The Templater the executor uses: Jinja2 templates and `when:` expressions on nunjucks' parser with
// Python/Ansible semantics (see runtime.ts), lazy variables (scope.ts) and located errors.
//
// Not a sandbox: playbooks are trusted code, as in Ansible. Still, templates reach only data,
// the listed filters/tests/methods and a few globals, never JavaScript objects' own properties.
// `lookup('env'|'file'|'vars', ...)` runs on the controller.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Loc } from '../contract/diagnostics.js';
import type { LocMap } from '../contract/playbook.js';
import type { Templater, VarLayer } from '../contract/template.js';
import { checkExpression, checkFileText, checkString } from './check.js';
import { compile, isTemplated, renderDeep, renderText } from './engine.js';
import { RenderContext } from './context.js';
import { toTemplateError } from './errors.js';
import { expressionSource } from './expression.js';
import { LOOKUPS, runLookup } from './lookups/index.js';
import { templateLookup } from './lookups/files.js';
import { truthy } from './py-values.js';
import { Scope } from './scope.js';

export { isTemplated } from './engine.js';
export { isOmit, OMIT, stripOmitted } from './omit.js';

LOOKUPS.template = templateLookup((text, scope, file) => renderText(text, scope, { loc: { file, line: 1, col: 1 }, kind: 'file' }, 'file'));

function evaluateIn(expr: string, scope: Scope, loc: Loc): unknown {
  const { text, site } = expressionSource(expr, loc);
  return renderText(text, scope, site, 'expr');
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
    lookup(name: string, terms: unknown[], layers: readonly VarLayer[], loc: Loc): unknown[] {
      try {
        return runLookup(new RenderContext(new Scope(layers, loc)), name, terms, {}) ?? [];
      } catch (err) {
        throw toTemplateError(err, { loc, kind: 'string' }, ` (in with_${name})`);
      }
    },
    check(text: string, loc: Loc, kind: 'string' | 'expr') {
      return kind === 'expr' ? checkExpression(text, loc) : checkString(text, loc);
    },
    checkFile: checkFileText,
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
