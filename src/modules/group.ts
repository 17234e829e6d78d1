// group: one local group, present with a gid or absent, through the host's groupadd/groupmod/groupdel
// (so the host's own rules and locks on /etc/group and /etc/gshadow apply). Read through getent.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { shJoin } from '../engine/connection/quote.js';
import { type AccountState, SBIN, readAccounts } from './lib/account-db.js';

const schema = Type.Object(
  {
    name: Type.String({ description: 'The group name.' }),
    gid: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.String()], { description: 'The group id to have.' })),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { description: 'present (default) or absent.' })),
    system: Type.Optional(Type.Boolean({ description: 'Create it as a system group (gid from the system range); only when created.' })),
    non_unique: Type.Optional(Type.Boolean({ description: 'Allow a gid another group already has (with gid).' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export interface GroupChange {
  argv: string[];
}

/** A gid argument as a number; a message for anything else. */
export function parseId(v: number | string | undefined, what: string): number | undefined | string {
  if (v === undefined || v === '') return undefined;
  const s = String(v).trim();
  return /^\d+$/.test(s) ? Number(s) : `${what} must be a non-negative integer, got '${s}'`;
}

export function planGroup(args: Args, cur: AccountState) {
  const state = args.state ?? 'present';
  const gid = parseId(args.gid, 'gid');
  if (typeof gid === 'string') return { changes: [], failed: gid };
  if (!/^[A-Za-z0-9_.][A-Za-z0-9_.-]*\$?$/.test(args.name)) return { changes: [], failed: `invalid group name '${args.name}'` };
  const have = cur.groups.find((g) => g.name === args.name);
  const result = { name: args.name, state, system: args.system === true, ...(have ? { gid: have.gid } : gid !== undefined ? { gid } : {}) };
  if (state === 'absent') {
    if (!have) return { changes: [], reason: `group ${args.name} does not exist`, result };
    return { changes: [{ argv: ['groupdel', args.name] }], diff: [{ kind: 'fields' as const, label: `group ${args.name}`, fields: [{ key: 'state', before: 'present', after: 'absent' }] }], reason: `delete group ${args.name}`, result };
  }
  const taken = gid !== undefined && !args.non_unique ? cur.groups.find((g) => g.gid === gid && g.name !== args.name) : undefined;
  if (taken) return { changes: [], failed: `gid ${gid} is already used by group ${taken.name} (set non_unique to allow it)` };
  const uniq = args.non_unique ? ['-o'] : [];
  if (!have) {
    const argv = ['groupadd', ...(gid !== undefined ? ['-g', String(gid), ...uniq] : []), ...(args.system ? ['-r'] : []), args.name];
    return { changes: [{ argv }], diff: [{ kind: 'fields' as const, label: `group ${args.name}`, fields: [{ key: 'state', before: 'absent', after: 'present' }, ...(gid !== undefined ? [{ key: 'gid', before: null, after: gid }] : [])] }], reason: `create group ${args.name}`, result };
  }
  if (gid !== undefined && gid !== have.gid) {
    return { changes: [{ argv: ['groupmod', '-g', String(gid), ...uniq, args.name] }], diff: [{ kind: 'fields' as const, label: `group ${args.name}`, fields: [{ key: 'gid', before: have.gid, after: gid }] }], reason: `change gid of ${args.name} to ${gid}`, result: { ...result, gid } };
  }
  return { changes: [], reason: `group ${args.name} exists with gid ${have.gid}`, result };
}

export const group: Module<Args, AccountState, GroupChange> = {
  meta: {
    name: 'group',
    description: 'Add, change the gid of, or remove a local group (groupadd/groupmod/groupdel).',
    platforms: ['linux'],
    checkMode: 'full',
    example: 'group:\n  name: hpc\n  gid: 2001',
    returns: { name: 'The group.', gid: 'Its gid (when it exists or one was asked for).', state: 'present or absent.', system: 'Whether it was asked to be a system group.' },
  },
  schema,
  read: (ctx, args) => readAccounts(ctx, args.name),
  plan: planGroup,
  async apply(ctx, plan) {
    const [c] = plan.changes;
    const r = await ctx.run(SBIN + shJoin(c!.argv));
    if (r.rc !== 0) return { failed: `${c!.argv[0]} failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim()}` };
    const after = await readAccounts(ctx, String(plan.result?.name));
    const g = after.groups.find((x) => x.name === plan.result?.name);
    return { result: { ...plan.result, ...(g ? { gid: g.gid } : {}) } };
  },
};
