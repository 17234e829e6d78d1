// assert: checks conditions (Jinja expressions, like `when:`) and fails the host on the first false.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';

const Cond = Type.Union([Type.String(), Type.Boolean()]);
const schema = Type.Object(
  {
    that: Type.Union([Cond, Type.Array(Cond)], { description: 'Condition(s) that must all be true (expressions, no {{ }}).' }),
    fail_msg: Type.Optional(Type.Unknown({ description: 'Message when an assertion fails (alias: msg).' })),
    msg: Type.Optional(Type.Unknown({ description: 'Alias of fail_msg.' })),
    success_msg: Type.Optional(Type.Unknown({ description: "Message when all pass (default 'All assertions passed')." })),
    quiet: Type.Optional(Type.Boolean({ description: 'Keep the output short.' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export const assert: Module<Args, null, never> = {
  meta: {
    name: 'assert',
    description: 'Fail unless every given condition holds.',
    platforms: ['linux', 'windows'],
    checkMode: 'full',
    runsOn: 'controller',
    example: "assert:\n  that:\n    - ansible_os_family == 'Debian'\n    - ofed_version is defined\n  fail_msg: this playbook needs Ubuntu hosts",
    returns: {
      msg: 'success_msg / fail_msg.',
      assertion: 'The expression that failed.',
      evaluated_to: 'What it evaluated to.',
    },
  },
  schema,
  read: async () => null,
  plan(args, _cur, ctx) {
    const conditions = Array.isArray(args.that) ? args.that : [args.that];
    for (const cond of conditions) {
      let ok: boolean;
      try {
        ok = typeof cond === 'boolean' ? cond : ctx.evaluateCondition(cond);
      } catch (e) {
        return { changes: [], failed: `The conditional check '${cond}' failed. The error was: ${(e as Error).message}` };
      }
      if (!ok) {
        const custom = args.fail_msg ?? args.msg;
        const msg = custom === undefined ? 'Assertion failed' : custom;
        return {
          changes: [],
          failed: typeof msg === 'string' ? msg : JSON.stringify(msg),
          result: { assertion: cond, evaluated_to: false, msg },
        };
      }
    }
    const msg = args.success_msg ?? 'All assertions passed';
    return { changes: [], reason: 'all assertions passed', result: args.quiet ? { msg } : { msg, evaluated_to: true } };
  },
  async apply() {
    return { changed: false };
  },
};
