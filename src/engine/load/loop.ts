// `loop` and the with_* forms Ansible users still write, normalized to one `loop` value:
// with_items flattens one level (as Ansible does), with_list is taken as is, and with_dict becomes
// a list of {key, value} (Ansible's dict2items shape). Template strings are kept for run time; a
// whole-expression with_dict gets `| dict2items` appended so it still yields that list.
import type { Loc } from '../contract/diagnostics.js';
import type { TaskNode } from '../contract/playbook.js';
import { isTemplated } from '../validate/templated.js';
import type { LoadContext } from './context.js';
import type { Raw } from './keywords.js';
import type { Source } from './source.js';
import { checkText } from './template-checks.js';
import { joinPointer } from './yaml-source.js';

export const loopKeys = ['loop', 'with_items', 'with_list', 'with_dict'] as const;

export type LoopParts = Pick<TaskNode, 'loop' | 'loopLoc' | 'loopControl'>;

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
  // The value as written: with_dict's rewrite would shift the positions of its problems.
  checkText(ctx, src, at, raw[key]);
  if (control) checkText(ctx, src, joinPointer(joinPointer(pointer, 'loop_control'), 'label'), control.label);
  const loop = normalize(key, raw[key], loc, ctx);
  if (loop === undefined) return out;
  out.loop = loop;
  out.loopLoc = loc;
  out.loopControl = { loopVar: typeof control?.loop_var === 'string' ? control.loop_var : 'item' };
  if (typeof control?.label === 'string') out.loopControl.label = control.label;
  if (typeof control?.index_var === 'string') out.loopControl.indexVar = control.index_var;
  if (typeof control?.pause === 'number') out.loopControl.pause = control.pause;
  return out;
}

function normalize(key: (typeof loopKeys)[number], value: unknown, loc: Loc, ctx: LoadContext): unknown {
  if (value === null) return [];
  switch (key) {
    case 'loop':
      if (typeof value === 'string' && !isTemplated(value)) {
        ctx.error(loc, "'loop' must be a list or a '{{ }}' expression giving one", `for one item write loop: ['${value}']`);
        return undefined;
      }
      return value;
    case 'with_items':
      if (Array.isArray(value)) return value.flatMap((v) => (Array.isArray(v) ? v : [v]));
      return typeof value === 'string' && isTemplated(value) ? value : [value];
    case 'with_list':
      return Array.isArray(value) || isTemplated(value) ? value : [value];
    case 'with_dict': {
      if (value && typeof value === 'object' && !Array.isArray(value)) return Object.entries(value).map(([k, v]) => ({ key: k, value: v }));
      const whole = typeof value === 'string' ? /^\s*\{\{([\s\S]*)\}\}\s*$/.exec(value) : null;
      if (whole && !whole[1]!.includes('}}')) return `{{ (${whole[1]!.trim()}) | dict2items }}`;
      ctx.error(loc, "'with_dict' must be a mapping or a single '{{ }}' expression giving one");
      return undefined;
    }
  }
}
