// authorized_key (ansible.posix): SSH public keys in a user's authorized_keys. Keys are matched by
// their type and blob, so options or comments of a present key are updated in its line; exclusive
// leaves only the given keys. manage_dir keeps ~/.ssh at 0700 and the file at 0600, owned by the user.
import { posix } from 'node:path';
import Type, { type Static } from 'typebox';
import type { Module, Plan } from '../engine/contract/module.js';
import { shQuote } from '../engine/connection/quote.js';
import { type PasswdEntry, parsePasswdLine } from './lib/account-db.js';
import { editAuthorizedKeys } from './lib/authorized-keys.js';
import { fromBytes } from './lib/py-regex.js';

const schema = Type.Object(
  {
    user: Type.String({ description: 'Whose authorized_keys to edit.' }),
    key: Type.String({ description: 'One or more public key lines (newline-separated).' }),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { description: 'present (default) or absent.' })),
    exclusive: Type.Optional(Type.Boolean({ description: 'Remove every other key (and comment) from the file (default false).' })),
    key_options: Type.Optional(Type.String({ description: 'Options to put before each key, e.g. from="10.0.0.0/8",no-pty.' })),
    comment: Type.Optional(Type.String({ description: "Replace each key's comment." })),
    path: Type.Optional(Type.String({ description: 'The file (default ~user/.ssh/authorized_keys).' })),
    manage_dir: Type.Optional(Type.Boolean({ description: 'Create the file\'s directory (0700) and own both by the user (default true).' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

interface Current {
  account?: PasswdEntry;
  path: string;
  content: string | null;
  dirExists: boolean;
  fileMode?: number;
  fileOwner?: number;
}

type Change = { kind: 'mkdir'; dir: string; uid: number; gid: number } | { kind: 'write'; path: string; content: Buffer; owner?: string; group?: string; mode: number };

export const keyfileOf = (args: Args, home: string) => args.path ?? posix.join(home, '.ssh', 'authorized_keys');

export function planAuthorizedKey(args: Args, cur: Current): Plan<Change> {
  const u = cur.account;
  if (!u) return { changes: [], failed: `Failed to lookup user ${args.user}: no such user` };
  if (/^https?:\/\//.test(args.key.trim())) return { changes: [], failed: 'keys from a URL are not supported; give the key lines (e.g. with a lookup)' };
  const state = args.state ?? 'present';
  const manage = args.manage_dir !== false;
  const edit = editAuthorizedKeys(cur.content ?? '', { keys: args.key.split('\n'), state, exclusive: args.exclusive === true, key_options: args.key_options, comment: args.comment });
  if (edit.invalid.length) return { changes: [], failed: `invalid key specified: ${edit.invalid[0]}` };
  const result = { user: args.user, key: args.key, key_options: args.key_options ?? null, keyfile: cur.path, path: args.path ?? null, manage_dir: manage, state, exclusive: args.exclusive === true };
  const changes: Change[] = [];
  const dir = posix.dirname(cur.path);
  const textChanged = edit.content !== (cur.content ?? '') && !(cur.content === null && edit.content === '');
  const attrsWrong = manage && cur.content !== null && (cur.fileMode !== 0o600 || cur.fileOwner !== u.uid);
  if ((textChanged || attrsWrong) && !cur.dirExists) {
    if (!manage) return { changes: [], failed: `${dir} does not exist (set manage_dir to create it)` };
    changes.push({ kind: 'mkdir', dir, uid: u.uid, gid: u.gid });
  }
  if (textChanged || attrsWrong) {
    const own = manage || cur.content === null ? { owner: String(u.uid), group: String(u.gid) } : {};
    changes.push({ kind: 'write', path: cur.path, content: Buffer.from(edit.content, 'latin1'), mode: manage || cur.fileMode === undefined ? 0o600 : cur.fileMode, ...own });
  }
  if (changes.length === 0) return { changes, reason: `${cur.path} already ${state === 'present' ? 'has' : 'lacks'} the key${args.key.trim().includes('\n') ? 's' : ''}`, result };
  const diff = textChanged ? [{ kind: 'text' as const, path: cur.path, before: fromBytes(cur.content ?? ''), after: fromBytes(edit.content) }] : [];
  return { changes, diff, reason: textChanged ? `edit ${cur.path}` : `set mode 0600 and owner of ${cur.path}`, result };
}

export const authorizedKey: Module<Args, Current, Change> = {
  meta: {
    name: 'authorized_key',
    collections: ['ansible.posix'],
    description: "Add or remove SSH public keys in a user's authorized_keys file.",
    platforms: ['linux'],
    checkMode: 'full',
    example: 'authorized_key:\n  user: hpcadmin\n  key: "{{ lookup(\'file\', \'files/admin.pub\') }}"\n  key_options: from="10.0.0.0/8"',
    notes: ['Keys are identified by their type and base64 body: giving a present key with other options or another comment rewrites its line in place. Keys from URLs are not fetched.'],
    returns: {
      user: 'The user.',
      key: 'The key(s) as given.',
      key_options: 'The options put before each key.',
      keyfile: 'The file edited.',
      path: 'The path argument.',
      manage_dir: 'Whether the directory was managed.',
      state: 'present or absent.',
      exclusive: 'The exclusive argument.',
    },
  },
  schema,
  async read(ctx, args) {
    const r = await ctx.run(`getent passwd ${shQuote(args.user)}`);
    const account = r.rc === 0 ? parsePasswdLine(r.stdout.split('\n')[0] ?? '') : undefined;
    if (!account) return { path: args.path ?? '', content: null, dirExists: false };
    const path = keyfileOf(args, account.home);
    const got = await ctx.readFile(path);
    const dir = await ctx.stat(posix.dirname(path));
    if (got?.stat.type === 'directory') throw new Error(`${path} is a directory`);
    return { account, path, content: got ? got.data.toString('latin1') : null, dirExists: dir.exists && dir.type === 'directory', fileMode: got?.stat.mode, fileOwner: got?.stat.uid };
  },
  plan: planAuthorizedKey,
  async apply(ctx, plan) {
    for (const c of plan.changes) {
      if (c.kind === 'mkdir') {
        const r = await ctx.run(`mkdir -p -m 700 -- ${shQuote(c.dir)} && chown ${c.uid}:${c.gid} -- ${shQuote(c.dir)}`);
        if (r.rc !== 0) return { failed: `cannot create ${c.dir}: ${r.stderr.trim()}` };
      } else await ctx.writeFile(c.path, c.content, { mode: c.mode, owner: c.owner, group: c.group });
    }
    return { result: plan.result };
  },
};
