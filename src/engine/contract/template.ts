// Templating as the executor uses it. Implemented in engine/template on nunjucks.
import type { Diagnostic, Loc } from './diagnostics.js';
import type { LocMap } from './playbook.js';

/**
 * One layer of variables. `trusted` values may hold `{{ }}` and are templated lazily on use
 * (Ansible's lazy vars); untrusted values (registered results, facts from hosts, set_fact results
 * of host data) are returned as they are and never templated again.
 */
export interface VarLayer {
  name: string;
  vars: Readonly<Record<string, unknown>>;
  trusted: boolean;
  /** Where each var was defined, keyed `/name`, for error messages. */
  locs?: LocMap;
}

/**
 * Parse-only checks, run when the playbook loads: nothing is evaluated (variables are unknown then,
 * so an undefined variable is never a problem here). What compiles is cached for rendering.
 */
export interface TemplateChecker {
  /**
   * Problems in one templated string, located as `render` ('string') or `evaluate` /
   * `evaluateCondition` ('expr') would locate them; [] when it compiles. A 'string' without
   * `{{`, `{%` or `{#` is plain text and always fine.
   */
  check(text: string, loc: Loc, kind: 'string' | 'expr'): Diagnostic[];
  /** The same for a template file's text (the `template` module's `src`); positions are the file's. */
  checkFile(text: string, file: string): Diagnostic[];
}

export interface Templater extends TemplateChecker {
  /**
   * Renders every string in `value` (deep). A string that is exactly one `{{ expr }}` yields the
   * native value (list, dict, number); otherwise a string. `locs` maps JSON pointers under `value`
   * to source positions so errors point at the right line.
   * Throws TemplateError (contract/diagnostics.ts) naming the undefined variable and its location.
   */
  render(value: unknown, layers: readonly VarLayer[], loc: Loc, locs?: LocMap): unknown;
  /** Evaluates a bare Jinja expression (`when:`, `changed_when:`, `that:`), returning its value. */
  evaluate(expr: string, layers: readonly VarLayer[], loc: Loc): unknown;
  /** Evaluates a condition with Jinja truthiness; a bool or a `{{ }}`-wrapped expr also accepted. */
  evaluateCondition(expr: string | boolean, layers: readonly VarLayer[], loc: Loc): boolean;
  /** Top-level variable names an expression or template string reads (for check-mode "undetermined"). */
  referencedVars(text: string): string[];
  /** True when the string holds `{{`, `{%` or `{#`. */
  isTemplated(text: string): boolean;
  /** Runs lookup plugin `name` on already templated terms (a `with_<name>` loop's items). */
  lookup(name: string, terms: unknown[], layers: readonly VarLayer[], loc: Loc): unknown[];
}
