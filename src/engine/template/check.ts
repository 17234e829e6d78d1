// The load-time check: compile without evaluating. Compiling is what rendering does first, through
// the same cache, so a string checked when the playbook loads is not compiled again when it runs,
// and a problem is reported with exactly the position rendering would give it.
import { TemplateError, type Diagnostic, type Loc } from '../contract/diagnostics.js';
import { compileAt, isTemplated } from './engine.js';
import { expressionSource } from './expression.js';

function problems(compileIt: () => unknown): Diagnostic[] {
  try {
    compileIt();
    return [];
  } catch (err) {
    if (err instanceof TemplateError) return err.diagnostics;
    throw err;
  }
}

/** A YAML string value as `render` takes it. */
export function checkString(text: string, loc: Loc): Diagnostic[] {
  if (!isTemplated(text)) return [];
  return problems(() => compileAt(text, { loc, kind: 'string' }, 'string'));
}

/** A bare expression as `evaluate` / `evaluateCondition` take it. */
export function checkExpression(expr: string, loc: Loc): Diagnostic[] {
  return problems(() => {
    const { text, site } = expressionSource(expr, loc);
    compileAt(text, site, 'expr');
  });
}

/** A template file's text as `renderTemplateFile` takes it. */
export function checkFileText(text: string, file: string): Diagnostic[] {
  return problems(() => compileAt(text, { loc: { file, line: 1, col: 1 }, kind: 'file' }, 'file'));
}
