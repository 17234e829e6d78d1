// `loop` and the with_<lookup> forms Ansible users still write. `loop:` is kept as written (a list
// or a template); `with_<name>: terms` keeps its terms for run time, when they are templated and
// handed to lookup plugin <name> (with_items → items, which flattens one level; with_dict → dict, ...)
// exactly as Ansible does, so every with_ form means what it means there.
import type { LoopControl, TaskNode } from '../contract/playbook.js';
import { withLookups } from '../validate/playbook-schema.js';
import { isTemplated } from '../validate/templated.js';
import type { LoadContext } from './context.js';
import type { Raw } from './keywords.js';
import type { Source } from './source.js';
import { checkText } from './template-checks.js';
import { joinPointer } from './yaml-source.js';

export const loopKeys = ['loop', ...withLookups.map((n) => `with_${n}`)] as const;

export type LoopParts = Pick<TaskNode, 'loop' | 'loopWith' | 'loopLoc' | 'loopControl'>;

export function loopParts(raw: Raw, src: Source, pointer: string, ctx: LoadContext): LoopParts {
  const present = loopKeys.filter((k) => raw[k] !== undefined);
  const out: LoopParts = {};
  const control = raw.loop_control as Raw | undefined;
  if (present.length === 0) {
    if (control) ctx.warn({ loc: src.keyLoc(joinPointer(pointer, 'loop_control')), message: "'loop_control' has no effect without 'loop'" });
    return out;
  }
  if (present.length > 1) {
    ctx.error(src.keyLoc(joinPointer(pointer, present[1]!)), `'${present[1]}' and '${present[0]}' cannot be used together in one task`);
    return out;
  }
  const key = present[0]!;
  const at = joinPointer(pointer, key);
  const loc = src.loc(at);
  checkText(ctx, src, at, raw[key]);
  if (control) checkText(ctx, src, joinPointer(joinPointer(pointer, 'loop_control'), 'label'), control.label);
  const value = raw[key];
  if (key === 'loop') {
    if (typeof value === 'string' && !isTemplated(value)) {
      ctx.error(loc, "'loop' must be a list or a '{{ }}' expression giving one", `for one item write loop: ['${value}']`);
      return out;
    }
    out.loop = value === null ? [] : value;
  } else {
    out.loop = value;
    out.loopWith = key.slice('with_'.length);
  }
  out.loopLoc = loc;
  out.loopControl = loopControl(control);
  return out;
}

function loopControl(control: Raw | undefined): LoopControl {
  const out: LoopControl = { loopVar: typeof control?.loop_var === 'string' ? control.loop_var : 'item' };
  if (typeof control?.label === 'string') out.label = control.label;
  if (typeof control?.index_var === 'string') out.indexVar = control.index_var;
  if (typeof control?.pause === 'number') out.pause = control.pause;
  if (control?.extended === true) out.extended = true;
  if (control?.extended_allitems === false) out.extendedAllitems = false;
  return out;
}
