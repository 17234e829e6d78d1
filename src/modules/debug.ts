// debug: prints a message or a variable's value; never touches the host.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';

const schema = Type.Object(
  {
    msg: Type.Optional(Type.Unknown({ description: "The message to print (any value; default 'Hello world!')." })),
    var: Type.Optional(Type.String({ description: 'A variable name or expression whose value to print (not with msg).' })),
    verbosity: Type.Optional(Type.Integer({ minimum: 0, description: 'Print only at this -v level or above (default 0).' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export const debug: Module<Args, null, never> = {
  meta: {
    name: 'debug',
    description: 'Print a message or the value of a variable.',
    platforms: ['linux', 'windows'],
    checkMode: 'full',
    runsOn: 'controller',
    example: 'debug:\n  msg: "kernel is {{ ansible_kernel }}"\n# or\ndebug:\n  var: result.stdout_lines',
    returns: {
      msg: 'The message (msg:), or the variable under its own name (var:).',
    },
  },
  schema,
  read: async () => null,
  plan(args, _current, ctx) {
    if (args.msg !== undefined && args.var !== undefined) {
      return { changes: [], failed: 'parameters are mutually exclusive: msg|var' };
    }
    if (args.var !== undefined) {
      let value: unknown;
      try {
        value = ctx.evaluate(args.var);
      } catch {
        // Ansible prints this rather than failing the task.
        value = 'VARIABLE IS NOT DEFINED!';
      }
      if (value === undefined) value = 'VARIABLE IS NOT DEFINED!';
      return { changes: [], result: { [args.var]: value }, reason: 'debug output' };
    }
    return { changes: [], result: { msg: args.msg ?? 'Hello world!' }, reason: 'debug output' };
  },
  async apply() {
    return {};
  },
};
