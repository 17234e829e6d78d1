// Loops: the items are computed once per host — `loop:` templated as it is, `with_<name>:` templated
// and handed to lookup plugin <name> — then each item runs the module with `item` (or
// loop_control.loop_var) on top of the task's vars.
import type { Loc } from '../contract/diagnostics.js';
import type { LocMap, LoopControl } from '../contract/playbook.js';
import type { VarLayer } from '../contract/template.js';
import type { Evaluator } from './conditions.js';
import { valueLayer } from './vars.js';

export class LoopError extends Error {}

interface Looping {
  loop?: unknown;
  loopWith?: string;
}

/** Ansible's listify_lookup_plugin_terms: a string or a scalar becomes a one-item list. */
function listify(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v !== null && typeof v === 'object') return [v];
  return [v];
}

/** The loop's items for one host. Throws LoopError when `loop:` does not give a list. */
export function loopValues(node: Looping, layers: readonly VarLayer[], loc: Loc, ev: Evaluator, locs?: LocMap): unknown[] {
  const value = ev.render(node.loop, layers, loc, locs);
  if (node.loopWith) {
    // with_dict's terms are the dict itself; other plugins take a list of terms.
    const terms = node.loopWith === 'dict' && value !== null && typeof value === 'object' && !Array.isArray(value) ? [value] : listify(value);
    return ev.lookup(node.loopWith, value === null || value === undefined ? [] : terms, layers, loc);
  }
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined) return [];
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  throw new LoopError(`Invalid data passed to 'loop', it requires a list, got this instead: ${truncate(shown, 80)}. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.`);
}

export function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export function loopVarName(control: LoopControl | undefined): string {
  return control?.loopVar || 'item';
}

/** loop_control.extended's ansible_loop (allitems unless extended_allitems is false). */
function extendedLoop(control: LoopControl, index: number, items: readonly unknown[]): Record<string, unknown> {
  const length = items.length;
  const out: Record<string, unknown> = {
    index: index + 1,
    index0: index,
    revindex: length - index,
    revindex0: length - index - 1,
    first: index === 0,
    last: index === length - 1,
    length,
  };
  if (control.extendedAllitems !== false) out.allitems = items;
  if (index > 0) out.previtem = items[index - 1];
  if (index < length - 1) out.nextitem = items[index + 1];
  return out;
}

/** What Ansible adds to each item's result: the loop var, ansible_loop_var, the index var, ansible_loop. */
export function loopResultVars(control: LoopControl | undefined, item: unknown, index: number, items: readonly unknown[]): Record<string, unknown> {
  const loopVar = loopVarName(control);
  const vars: Record<string, unknown> = { [loopVar]: item, ansible_loop_var: loopVar };
  if (control?.indexVar) {
    vars[control.indexVar] = index;
    vars.ansible_index_var = control.indexVar;
  }
  if (control?.extended) vars.ansible_loop = extendedLoop(control, index, items);
  return vars;
}

/** The per-item layer: item / loop_var, index_var, ansible_loop_var and (extended) ansible_loop. */
export function loopItemLayer(control: LoopControl | undefined, item: unknown, index: number, items: readonly unknown[]): VarLayer {
  return valueLayer('loop item', loopResultVars(control, item, index, items));
}

/** What reporters show for an item: loop_control.label (templated) or the item itself. */
export function itemLabel(control: LoopControl | undefined, item: unknown, layers: readonly VarLayer[], loc: Loc, ev: Evaluator): string {
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
