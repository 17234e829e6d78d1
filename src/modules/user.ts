// user: one local account through the host's useradd/usermod/userdel, read back through getent.
// The password is a crypt(3) hash and a secret: it is compared with the shadow entry, carried in the
// plan as bytes (saved plans and reports show only a digest), fed to `chpasswd -e` on stdin (never on
// a command line) and shown nowhere: results say NOT_LOGGING_PASSWORD, diffs say it changes.
import Type, { type Static } from 'typebox';
import type { DiffItem, Module, Plan } from '../engine/contract/module.js';
import { shJoin } from '../engine/connection/quote.js';
import { type AccountState, type GroupEntry, SBIN, readAccounts } from './lib/account-db.js';
import { parseId } from './group.js';

const bool = (description: string) => Type.Optional(Type.Boolean({ description }));
const str = (description: string) => Type.Optional(Type.String({ description }));
const schema = Type.Object(
  {
    name: Type.String({ description: 'The user name.' }),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { description: 'present (default) or absent.' })),
    uid: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.String()], { description: 'The user id.' })),
    group: str('The primary group (name or gid); it must exist.'),
    groups: Type.Optional(Type.Union([Type.Array(Type.String()), Type.String()], { description: "Supplementary groups (a list or a comma-separated string); '' removes all unless append." })),
    append: bool('Add the user to groups and keep its other groups (default false: groups is the exact list).'),
    shell: str('The login shell.'),
    home: str('The home directory (default /home/<name> for new users).'),
    create_home: bool('Create the home directory for a new user (default true; alias createhome).'),
    createhome: bool('Alias of create_home.'),
    move_home: bool('With home: move the old home directory\'s content to the new one.'),
    comment: str('The GECOS field (full name).'),
    system: bool('Create a system account (uid from the system range); only when created.'),
    password: str('The crypt(3) hash to set (e.g. from password_hash); a secret, never shown.'),
    update_password: Type.Optional(Type.Union([Type.Literal('always'), Type.Literal('on_create')], { description: 'always (default): set the hash when it differs; on_create: only for new users.' })),
    remove: bool('With state absent: also remove the home directory and mail spool (userdel -r).'),
    force: bool('With state absent: remove even when the user is logged in (userdel -f).'),
    non_unique: bool('Allow a uid another user already has (with uid).'),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export interface UserChange {
  argv: string[];
  /** `name:hash` for `chpasswd -e`; bytes so that plans show a digest, not the hash. */
  secret?: Buffer;
}

export const groupList = (g: Args['groups']): string[] | undefined =>
  g === undefined ? undefined : (Array.isArray(g) ? g : g.split(',')).map((s) => s.trim()).filter(Boolean);

const findGroup = (groups: GroupEntry[], ref: string) => (/^\d+$/.test(ref) ? groups.find((g) => g.gid === Number(ref)) : groups.find((g) => g.name === ref));

export function planUser(args: Args, cur: AccountState, ctx?: { checkMode: boolean }): Plan<UserChange> {
  const state = args.state ?? 'present';
  const name = args.name;
  if (!/^[A-Za-z0-9_.][A-Za-z0-9_.-]*\$?$/.test(name)) return { changes: [], failed: `invalid user name '${name}'` };
  const uid = parseId(args.uid, 'uid');
  if (typeof uid === 'string') return { changes: [], failed: uid };
  const have = cur.user;
  if (state === 'absent') {
    const result = { name, state, remove: args.remove === true, force: args.force === true };
    if (!have) return { changes: [], reason: `user ${name} does not exist`, result };
    const argv = ['userdel', ...(args.remove ? ['-r'] : []), ...(args.force ? ['-f'] : []), name];
    return { changes: [{ argv }], diff: [{ kind: 'fields', label: `user ${name}`, fields: [{ key: 'state', before: 'present', after: 'absent' }] }], reason: `delete user ${name}`, result };
  }
  const primary = args.group !== undefined ? findGroup(cur.groups, args.group) : undefined;
  const wanted = groupList(args.groups);
  const missingGroup = args.group !== undefined && !primary ? args.group : wanted?.find((g) => !findGroup(cur.groups, g));
  if (missingGroup !== undefined) {
    // As Ansible: a new user is "would be created" in check mode even when an earlier task that
    // would have made its group did not run.
    if (ctx?.checkMode && !have) {
      return { changes: [{ argv: ['useradd', name] }], warnings: [`Group ${missingGroup} does not exist yet; creating user ${name} needs it`], reason: `create user ${name}`, result: { name, state } };
    }
    return { changes: [], failed: `Group ${missingGroup} does not exist` };
  }
  const wantedNames = wanted?.map((g) => findGroup(cur.groups, g)!.name);
  if (args.password !== undefined && have && (args.update_password ?? 'always') === 'always' && !cur.shadowReadable) {
    return { changes: [], failed: `cannot read the shadow entry of ${name} to compare the password (run with become)` };
  }
  const fields: Array<{ key: string; before: unknown; after: unknown }> = [];
  const opts: string[] = [];
  const uniq = args.non_unique ? ['-o'] : [];
  const changes: UserChange[] = [];
  let secret: Buffer | undefined;
  if (!have) {
    const createHome = args.create_home ?? args.createhome ?? !args.system;
    opts.push(...(uid !== undefined ? ['-u', String(uid), ...uniq] : []));
    if (primary) opts.push('-g', String(primary.gid));
    if (wantedNames?.length) opts.push('-G', wantedNames.join(','));
    if (args.shell !== undefined) opts.push('-s', args.shell);
    if (args.home !== undefined) opts.push('-d', args.home);
    if (args.comment !== undefined) opts.push('-c', args.comment);
    if (args.system) opts.push('-r');
    opts.push(createHome ? '-m' : '-M');
    changes.push({ argv: ['useradd', ...opts, name] });
    fields.push({ key: 'state', before: 'absent', after: 'present' });
    if (args.password !== undefined) secret = Buffer.from(`${name}:${args.password}`);
  } else {
    const member = cur.groups.filter((g) => g.members.includes(name) && g.gid !== have.gid).map((g) => g.name);
    const set = (key: string, flag: string, before: unknown, after: unknown, arg: string) => {
      fields.push({ key, before, after });
      opts.push(flag, arg);
    };
    if (uid !== undefined && uid !== have.uid) set('uid', '-u', have.uid, uid, String(uid));
    if (uid !== undefined && uid !== have.uid) opts.push(...uniq);
    if (primary && primary.gid !== have.gid) set('group', '-g', have.gid, primary.gid, String(primary.gid));
    if (wantedNames) {
      const want = wantedNames.filter((g) => findGroup(cur.groups, g)!.gid !== (primary?.gid ?? have.gid));
      if (args.append) {
        const add = want.filter((g) => !member.includes(g));
        if (add.length) {
          fields.push({ key: 'groups', before: member.join(','), after: [...member, ...add].join(',') });
          opts.push('-a', '-G', add.join(','));
        }
      } else if ([...new Set(want)].sort().join(',') !== [...member].sort().join(',')) set('groups', '-G', member.join(','), want.join(','), want.join(','));
    }
    if (args.shell !== undefined && args.shell !== have.shell) set('shell', '-s', have.shell, args.shell, args.shell);
    if (args.comment !== undefined && args.comment !== have.comment) set('comment', '-c', have.comment, args.comment, args.comment);
    if (args.home !== undefined && args.home !== have.home) {
      set('home', '-d', have.home, args.home, args.home);
      if (args.move_home) opts.push('-m');
    }
    if (opts.length) changes.push({ argv: ['usermod', ...opts, name] });
    if (args.password !== undefined && (args.update_password ?? 'always') === 'always' && cur.hash !== args.password) secret = Buffer.from(`${name}:${args.password}`);
  }
  if (secret) {
    changes.push({ argv: ['chpasswd', '-e'], secret });
    fields.push({ key: 'password', before: '(hidden)', after: '(changed, hidden)' });
  }
  const result: Record<string, unknown> = {
    name,
    state,
    append: args.append === true,
    system: args.system === true,
    ...(have ? { uid: have.uid, group: have.gid, home: have.home, shell: have.shell, comment: have.comment } : {}),
    ...(args.password !== undefined ? { password: 'NOT_LOGGING_PASSWORD' } : {}),
  };
  if (changes.length === 0) return { changes, reason: `user ${name} is as wanted`, result };
  const diff: DiffItem[] = [{ kind: 'fields', label: `user ${name}`, fields }];
  return { changes, diff, reason: `${have ? 'change' : 'create'} user ${name} (${fields.map((f) => f.key).join(', ')})`, result };
}

export const user: Module<Args, AccountState, UserChange> = {
  meta: {
    name: 'user',
    description: 'Add, change or remove a local user account (useradd/usermod/userdel; password as a hash).',
    platforms: ['linux'],
    checkMode: 'full',
    example: "user:\n  name: hpcadmin\n  uid: 2001\n  group: hpc\n  groups: [wheel]\n  append: true\n  shell: /bin/bash\n  password: \"{{ admin_hash }}\"",
    notes: ['password is the hash as /etc/shadow keeps it (e.g. `{{ pw | password_hash(\'sha512\') }}`), not the clear text; it is set with `chpasswd -e` through stdin. Comparing it needs root (become).'],
    returns: {
      name: 'The user.',
      state: 'present or absent.',
      uid: 'Its uid.',
      group: 'Its primary gid.',
      groups: 'The supplementary groups asked for (comma-separated).',
      home: 'Its home directory.',
      shell: 'Its login shell.',
      comment: 'Its GECOS field.',
      system: 'Whether it was asked to be a system account.',
      append: 'The append argument.',
      password: "'NOT_LOGGING_PASSWORD' when a password was given.",
      remove: 'With state absent: whether the home was removed.',
      force: 'With state absent: the force argument.',
    },
  },
  schema,
  read: (ctx, args) => readAccounts(ctx, args.name),
  plan: planUser,
  async apply(ctx, plan) {
    for (const c of plan.changes) {
      const r = await ctx.run(SBIN + shJoin(c.argv), c.secret ? { stdin: Buffer.concat([c.secret, Buffer.from('\n')]) } : {});
      if (r.rc !== 0) return { failed: `${c.argv[0]} failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim()}` };
    }
    const name = String(plan.result?.name);
    const after = await readAccounts(ctx, name);
    const u = after.user;
    const groups = u ? after.groups.filter((g) => g.members.includes(name) && g.gid !== u.gid).map((g) => g.name).join(',') : undefined;
    return { result: { ...plan.result, ...(u ? { uid: u.uid, group: u.gid, home: u.home, shell: u.shell, comment: u.comment, groups } : {}) } };
  },
};
