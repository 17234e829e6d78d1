// Shared fixtures for the templating tests.
import { TemplateError, type Loc } from '../../src/engine/contract/diagnostics.js';
import type { LocMap } from '../../src/engine/contract/playbook.js';
import type { VarLayer } from '../../src/engine/contract/template.js';
import { createTemplater } from '../../src/engine/template/index.js';

export const t = createTemplater();
export const loc: Loc = { file: 'play.yml', line: 10, col: 5 };

export function layer(vars: Record<string, unknown>, trusted = true, locs?: LocMap, name = 'vars'): VarLayer {
  return { name, vars, trusted, ...(locs ? { locs } : {}) };
}

/** Renders `value` with one trusted layer of `vars`. */
export function render(value: unknown, vars: Record<string, unknown> = {}): unknown {
  return t.render(value, [layer(vars)], loc);
}

export function evaluate(expr: string, vars: Record<string, unknown> = {}): unknown {
  return t.evaluate(expr, [layer(vars)], loc);
}

/** The TemplateError `fn` throws (fails the test if it throws anything else or nothing). */
export function errorOf(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TemplateError) return err;
    throw err;
  }
  throw new Error('expected a TemplateError, but nothing was thrown');
}
