// Which strings of a playbook are templates, and how each is compiled when it runs: most are
// rendered as text ('string'), conditions are bare expressions ('expr'), and a few module
// arguments are expressions or name a template file. The loader asks these questions of every
// task, handler, play and vars file so that template syntax errors are found before anything runs.
import type { Diagnostic, Loc } from '../contract/diagnostics.js';
import type { TemplateChecker } from '../contract/template.js';
import { isTemplated } from './templated.js';

/** Where the value at a JSON pointer (relative to the value being checked) is written. */
export type LocOf = (pointer: string) => Loc;

function segment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Every templated string inside `value` (keys are never templated), rendered as text. */
export function textProblems(checker: TemplateChecker, value: unknown, locOf: LocOf, pointer = ''): Diagnostic[] {
  if (typeof value === 'string') return isTemplated(value) ? checker.check(value, locOf(pointer), 'string') : [];
  if (!value || typeof value !== 'object') return [];
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => textProblems(checker, v, locOf, `${pointer}/${segment(k)}`));
}

/** `when:`-like values: a string or a list of them, each a bare expression (booleans need no check). */
export function expressionProblems(checker: TemplateChecker, value: unknown, locOf: LocOf, pointer = ''): Diagnostic[] {
  if (typeof value === 'string') return checker.check(value, locOf(pointer), 'expr');
  if (!Array.isArray(value)) return [];
  return value.flatMap((v, i) => (typeof v === 'string' ? checker.check(v, locOf(`${pointer}/${i}`), 'expr') : []));
}

/**
 * Arguments the module evaluates as bare expressions after the engine rendered the task's args
 * (Ansible's assert `that` and debug `var`). A `{{ }}` string there is rendered as text first, so
 * only a plain string is itself the expression.
 */
const EXPRESSION_ARGS: Readonly<Record<string, readonly string[]>> = { assert: ['that'], debug: ['var'] };

/** A module task's arguments (after k=v splitting and `args:` merging), `locOf` relative to them. */
export function moduleArgProblems(checker: TemplateChecker, module: string, args: Record<string, unknown>, locOf: LocOf): Diagnostic[] {
  const expressions = new Set(EXPRESSION_ARGS[module] ?? []);
  const out: Diagnostic[] = [];
  for (const [k, v] of Object.entries(args)) {
    const at = `/${segment(k)}`;
    out.push(...textProblems(checker, v, locOf, at));
    if (!expressions.has(k)) continue;
    if (typeof v === 'string' && !isTemplated(v)) out.push(...checker.check(v, locOf(at), 'expr'));
    else if (Array.isArray(v)) v.forEach((e, i) => typeof e === 'string' && !isTemplated(e) && out.push(...checker.check(e, locOf(`${at}/${i}`), 'expr')));
  }
  return out;
}

/**
 * Arguments naming a controller template file, looked up in `templates/` (Ansible's template
 * module `src`). Only a plain path can be found when the playbook loads.
 */
const TEMPLATE_FILE_ARGS: Readonly<Record<string, string>> = { template: 'src' };

/** The template file a task renders, when it is known before the run. */
export function templateFileArg(module: string, args: Record<string, unknown>): string | undefined {
  const arg = TEMPLATE_FILE_ARGS[module];
  const value = arg === undefined ? undefined : args[arg];
  return typeof value === 'string' && value !== '' && !isTemplated(value) ? value : undefined;
}
