// fail: stops the host with a message (usually under a `when:`).
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';

const schema = Type.Object(
  { msg: Type.Optional(Type.Unknown({ description: "The failure message (default 'Failed as requested from task')." })) },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export const fail: Module<Args, null, never> = {
  meta: {
    name: 'fail',
    description: 'Fail the host with a custom message.',
    platforms: ['linux', 'windows'],
    checkMode: 'full',
    runsOn: 'controller',
    example: "fail:\n  msg: unsupported distribution {{ ansible_distribution }}\nwhen: ansible_os_family not in ['Debian', 'RedHat']",
    returns: {
      msg: 'The message.',
    },
  },
  schema,
  read: async () => null,
  plan(args) {
    const msg = args.msg === undefined ? 'Failed as requested from task' : typeof args.msg === 'string' ? args.msg : JSON.stringify(args.msg);
    return { changes: [], failed: msg, result: { msg } };
  },
  async apply() {
    return { changed: false };
  },
};
