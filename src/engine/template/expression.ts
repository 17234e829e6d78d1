// Bare expressions (`when:`, `changed_when:`, `that:`) as the templater compiles them: shared by
// evaluation at run time and the parse-only check at load time, so both see the same text and
// report the same positions.
import { TemplateError, type Loc } from '../contract/diagnostics.js';
import { isTemplated } from './engine.js';
import type { Site } from './errors.js';

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

/** The text to compile in 'expr' mode for `expr`, and where its errors point; throws TemplateError. */
export function expressionSource(expr: string, loc: Loc): { text: string; site: Site } {
  const text = isTemplated(expr) ? unwrapMarkers(expr, loc) : expr;
  if (text.trim() === '') throw new TemplateError({ loc, message: 'empty expression' });
  // evaluate wraps the expression in `{{ ` before parsing: three characters the user did not write.
  return { text, site: { loc, kind: 'string', prefix: 3 } };
}
