// `loop` (and with_items, which the loader turns into loop): the list is templated once per host,
// then each item runs the module with `item` (or loop_control.loop_var) on top of the task's vars.
import type { Loc } from '../contract/diagnostics.js';
import type { LocMap, TaskNode } from '../contract/playbook.js';
import type { VarLayer } from '../contract/template.js';
import type { Evaluator } from './conditions.js';
import { valueLayer } from './vars.js';

type LoopControl = TaskNode['loopControl'];

export class LoopError extends Error {}

/** The loop's items for one host. Throws LoopError when the loop is not a list. */
export function loopValues(
  loop: unknown,
  layers: readonly VarLayer[],
  loc: Loc,
  ev: Evaluator,
  locs?: LocMap,
): unknown[] {
  const value = ev.render(loop, layers, loc, locs);
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined) return [];
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  throw new LoopError(`invalid data passed to 'loop': it requires a list, got ${describe(value)}: ${truncate(shown, 80)}`);
}

function describe(v: unknown): string {
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

export function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export function loopVarName(control: LoopControl): string {
  return control?.loopVar || 'item';
}

/** The per-item layer: item / loop_var, index_var, ansible_loop_var and ansible_loop. */
export function loopItemLayer(control: LoopControl, item: unknown, index: number, length: number): VarLayer {
  const loopVar = loopVarName(control);
  const vars: Record<string, unknown> = {
    [loopVar]: item,
    ansible_loop_var: loopVar,
    ansible_loop: {
      index: index + 1,
      index0: index,
      revindex: length - index,
      revindex0: length - index - 1,
      first: index === 0,
      last: index === length - 1,
      length,
    },
  };
  if (control?.indexVar) vars[control.indexVar] = index;
  return valueLayer('loop item', vars);
}

/** What reporters show for an item: loop_control.label (templated) or the item itself. */
export function itemLabel(control: LoopControl, item: unknown, layers: readonly VarLayer[], loc: Loc, ev: Evaluator): string {
  if (control?.label !== undefined) {
    try {
      return stringify(ev.render(control.label, layers, loc));
    } catch {
      return control.label;
    }
  }
  return stringify(item);
}

function stringify(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  try {
    return truncate(JSON.stringify(v), 200);
  } catch {
    return String(v);
  }
}
