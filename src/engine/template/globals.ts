// Functions available by name in templates. `lookup`/`query` run on the controller (as in Ansible):
// the plugins are in lookups/.
import { Args } from './args.js';
import type { RenderContext } from './context.js';
import { lookupGlobal, queryGlobal } from './lookups/index.js';
import { OMIT } from './omit.js';

function range(this: RenderContext, ...raw: unknown[]): number[] {
  const a = new Args(raw).allow([]);
  const nums = a.pos.map((x) => {
    if (typeof x !== 'number' || !Number.isInteger(x)) throw new Error(`range() arguments must be integers, got ${JSON.stringify(x)}`);
    return x;
  });
  const [start, stop, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 1];
  if (step === 0) throw new Error('range() step must not be zero');
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
    out.push(i);
    if (out.length > 100_000) throw new Error('range() is limited to 100000 items');
  }
  return out;
}

export const GLOBALS: Record<string, unknown> = {
  range,
  lookup: lookupGlobal,
  query: queryGlobal,
  dict(...raw: unknown[]): Record<string, unknown> {
    const a = new Args(raw);
    const out: Record<string, unknown> = {};
    for (const p of a.pos) {
      if (!Array.isArray(p)) throw new Error('dict() takes keyword arguments or a list of [key, value] pairs');
      for (const pair of p) if (Array.isArray(pair) && pair.length === 2) out[String(pair[0])] = pair[1];
    }
    return Object.assign(out, a.kw);
  },
  omit: OMIT,
};
GLOBALS.q = GLOBALS.query;
