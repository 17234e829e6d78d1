// group_by: puts the current host into a group named from its variables (key: "os_{{ distro }}"),
// optionally under parent groups, in the run's in-memory inventory; later plays can target it.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { groupNames } from './add-host.js';

const schema = Type.Object(
  {
    key: Type.String({ description: 'The group to put the host in (usually templated from its variables).' }),
    parents: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: "Groups the new group becomes a child of (default 'all')." })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export const groupBy: Module<Args, null, string> = {
  meta: {
    name: 'group_by',
    description: "Put the host into a group made from its variables in the run's in-memory inventory (with parents).",
    platforms: ['linux', 'windows'],
    checkMode: 'full',
    runsOn: 'controller',
    example: 'group_by:\n  key: "distro_{{ ansible_distribution | lower }}"\n  parents: [linux]',
    returns: { add_group: 'The group the host was put in.', parent_groups: 'Its parent groups.' },
    verify: 'none',
  },
  schema,
  read: async () => null,
  plan(args, _current, ctx) {
    const key = String(args.key).trim();
    if (!key) return { changes: [], failed: "group_by: 'key' is empty" };
    const parents = groupNames(args.parents ?? 'all').filter((p) => p !== 'all');
    return {
      changes: [key],
      inventory: [{ host: ctx.host, groups: [key], parents }],
      result: { add_group: key, parent_groups: groupNames(args.parents ?? 'all') },
      reason: `${ctx.host} is in group ${key}`,
    };
  },
  apply: async () => ({ changed: true }),
};
