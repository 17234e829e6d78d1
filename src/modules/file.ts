// file: makes a path be a file, a directory (optionally recursively owned/moded), a symlink,
// touched, or absent — Ansible's file module with its states and messages.
import { posix } from 'node:path';
import Type, { type Static } from 'typebox';
import type { FileStat } from '../engine/contract/connection.js';
import type { DiffItem, HostContext, Module, Plan } from '../engine/contract/module.js';
import { shQuote } from '../engine/connection/quote.js';
import { AttrProperties, type AttrWant, attrChanges, attrCommand, attrResult, wantedAttrs } from './lib/file-attrs.js';
import { type TreeEntry, readTree, treeDiffers } from './lib/file-tree.js';

const schema = Type.Object(
  {
    path: Type.Optional(Type.String({ description: 'The path to manage (aliases: dest, name).' })),
    dest: Type.Optional(Type.String({ description: 'Alias of path.' })),
    name: Type.Optional(Type.String({ description: 'Alias of path.' })),
    state: Type.Optional(
      Type.Union([Type.Literal('file'), Type.Literal('directory'), Type.Literal('link'), Type.Literal('hard'), Type.Literal('touch'), Type.Literal('absent')], {
        description: "file (must exist), directory (created with parents), link (symlink to src), hard (hard link to src), touch, absent. Default: the path's current kind, else file.",
      }),
    ),
    src: Type.Optional(Type.String({ description: 'Target of the symlink (state: link) or the file to hard-link (state: hard, an absolute path).' })),
    ...AttrProperties,
    recurse: Type.Optional(Type.Boolean({ description: 'state: directory — apply mode/owner/group to everything below too.' })),
    force: Type.Optional(Type.Boolean({ description: 'state: link — replace an existing file with the link.' })),
    follow: Type.Optional(Type.Boolean({ description: 'Act on the target when path is a symlink (default true).' })),
    modification_time: Type.Optional(Type.Union([Type.Literal('now'), Type.Literal('preserve')], { description: "state: touch — 'now' (default) or 'preserve'." })),
    access_time: Type.Optional(Type.Union([Type.Literal('now'), Type.Literal('preserve')], { description: "state: touch — 'now' (default) or 'preserve'." })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;
type State = NonNullable<Args['state']>;

interface Current {
  path: string;
  stat: FileStat;
  /** For a followed symlink: the target's stat (attributes apply there). */
  target?: FileStat;
  tree?: TreeEntry[];
  /** state: hard — device:inode and link count of path and src (null: absent), and src's stat. */
  hard?: { path: Inode | null; src: Inode | null; srcStat: FileStat };
}

interface Inode {
  id: string;
  nlink: number;
}

// Each change names its path and the values it sets, so apply needs nothing but the plan.
type Change = { path: string } & (
  | { op: 'remove' }
  | { op: 'mkdir'; want: AttrWant }
  | { op: 'touch'; create: boolean; times: 'both' | 'mtime' | 'atime' | 'none' }
  | { op: 'link'; src: string; replace: boolean }
  | { op: 'hard'; src: string }
  | { op: 'attrs'; want: AttrWant; noDeref?: boolean }
  | { op: 'recurse'; want: AttrWant; mode?: string }
);

const pathOf = (a: Args) => a.path ?? a.dest ?? a.name ?? '';

function effectiveState(args: Args, st: FileStat): State {
  if (args.state) return args.state;
  if (st.exists) return st.type === 'directory' ? 'directory' : st.type === 'link' ? 'link' : 'file';
  return args.recurse ? 'directory' : 'file';
}

const kindOf = (st: FileStat) => (!st.exists ? 'absent' : st.type === 'link' ? 'link' : st.type === 'directory' ? 'directory' : st.type === 'file' ? 'file' : 'other');

async function read(ctx: HostContext, args: Args): Promise<Current> {
  const path = pathOf(args);
  const stat = await ctx.stat(path);
  const cur: Current = { path, stat };
  const state = effectiveState(args, stat);
  if (stat.type === 'link' && state !== 'link' && state !== 'absent' && args.follow !== false && stat.linkTarget) {
    cur.target = await ctx.stat(posix.resolve(posix.dirname(path), stat.linkTarget));
  }
  if (state === 'directory' && args.recurse && stat.type === 'directory' && (args.mode !== undefined || args.owner !== undefined || args.group !== undefined)) {
    cur.tree = await readTree(ctx, path);
  }
  if (state === 'hard' && args.src !== undefined) {
    const r = await ctx.run([path, args.src].map((p) => `stat -c '%d:%i %h' -- ${shQuote(p)} 2>/dev/null || echo none`).join('; '));
    const [p, s] = r.stdout.trim().split('\n').map(parseInode);
    cur.hard = { path: p ?? null, src: s ?? null, srcStat: await ctx.stat(args.src) };
  }
  return cur;
}

function parseInode(line: string): Inode | null {
  const m = /^(\d+:\d+) (\d+)$/.exec(line.trim());
  return m ? { id: m[1]!, nlink: Number(m[2]) } : null;
}

// Ansible's ensure_hardlink: an existing different file is replaced only with force; a symlink
// already pointing at src counts as done (as Ansible counts it).
function planHard(args: Args, cur: Current): Plan<Change> {
  const path = cur.path;
  const src = args.src;
  if (src === undefined) return { changes: [], failed: 'src and dest are required for creating hardlinks' };
  if (!src.startsWith('/')) return { changes: [], failed: 'absolute paths are required' };
  const hard = cur.hard!;
  if (!hard.src && !args.force) return { changes: [], failed: `src file does not exist, use "force=yes" if you really want to create the link: ${src}` };
  const before = kindOf(cur.stat);
  if (cur.stat.type === 'directory') return { changes: [], failed: 'Cannot link, directory exists at destination' };
  const changes: Change[] = [];
  const fields: Array<{ key: string; before: unknown; after: unknown }> = [];
  const same = hard.path !== null && hard.src !== null && hard.path.id === hard.src.id;
  if (cur.stat.type === 'link') {
    if (cur.stat.linkTarget !== src) changes.push({ op: 'hard', path, src });
  } else if (cur.stat.exists && !same) {
    if (!args.force) return { changes: [], failed: (hard.path?.nlink ?? 1) > 1 ? 'Cannot link, different hard link exists at destination' : `Cannot link, ${before} exists at destination` };
    changes.push({ op: 'hard', path, src });
  } else if (!cur.stat.exists) changes.push({ op: 'hard', path, src });
  if (changes.length > 0) fields.push({ key: 'state', before, after: 'hard' });
  let want: AttrWant;
  try {
    want = wantedAttrs(args, hard.srcStat.exists ? hard.srcStat : undefined, false);
  } catch (e) {
    return { changes: [], failed: (e as Error).message };
  }
  // The link is src's inode: its attributes are src's, so they are compared there.
  const attrs = attrChanges(want, hard.srcStat.exists ? hard.srcStat : undefined);
  if (attrs.length > 0) {
    fields.push(...attrs);
    changes.push({ op: 'attrs', path: changes.length > 0 ? path : src, want });
  }
  return done(path, changes, fields, { path, state: 'hard', src, ...attrResult(hard.srcStat.exists ? hard.srcStat : undefined, want) });
}

function plan(args: Args, cur: Current): Plan<Change> {
  const path = cur.path;
  if (!path) return { changes: [], failed: 'path is required' };
  const state = effectiveState(args, cur.stat);
  if (state === 'hard') return planHard(args, cur);
  const before = kindOf(cur.stat);
  const on = cur.target ?? cur.stat;
  let want: AttrWant;
  try {
    want = wantedAttrs(args, on.exists ? on : undefined, state === 'directory');
  } catch (e) {
    return { changes: [], failed: (e as Error).message };
  }
  const changes: Change[] = [];
  const fields: Array<{ key: string; before: unknown; after: unknown }> = [];
  const stateField = (after: string) => before !== after && fields.push({ key: 'state', before, after });

  if (state === 'absent') {
    if (!cur.stat.exists) return { changes: [], reason: `${path} is already absent`, result: { path, state: 'absent' } };
    stateField('absent');
    return done(path, [{ op: 'remove', path }], fields, { path, state: 'absent' });
  }
  if (state === 'file') {
    if (!on.exists) return { changes: [], failed: `file (${path}) is absent, cannot continue` };
    if (on.type !== 'file') return { changes: [], failed: `file (${path}) is ${kindOf(on)}, cannot continue` };
  }
  if (state === 'directory') {
    if (on.exists && on.type !== 'directory') return { changes: [], failed: `${path} already exists as a ${kindOf(on)}` };
    if (!on.exists) {
      stateField('directory');
      changes.push({ op: 'mkdir', path, want });
    }
  }
  if (state === 'touch') {
    const times = touchTimes(args);
    if (!on.exists) {
      stateField('file');
      changes.push({ op: 'touch', path, create: true, times: 'both' });
    } else if (times !== 'none') {
      fields.push({ key: 'times', before: 'unchanged', after: times === 'both' ? 'now' : `${times} now` });
      changes.push({ op: 'touch', path, create: false, times });
    }
  }
  if (state === 'link') {
    if (args.src === undefined) return { changes: [], failed: 'src is required for creating symlinks (state: link)' };
    if (cur.stat.exists && cur.stat.type !== 'link') {
      if (cur.stat.type === 'directory') return { changes: [], failed: `refusing to convert from directory to symlink for ${path}` };
      if (!args.force) return { changes: [], failed: `refusing to convert from ${kindOf(cur.stat)} to symlink for ${path}` };
    }
    if (!cur.stat.exists || cur.stat.type !== 'link' || cur.stat.linkTarget !== args.src) {
      stateField('link');
      if (cur.stat.type === 'link') fields.push({ key: 'src', before: cur.stat.linkTarget, after: args.src });
      changes.push({ op: 'link', path, src: args.src, replace: cur.stat.exists });
    }
    // Symlink permissions mean nothing on Linux: only ownership applies to the link itself.
    const owners = attrChanges({ owner: want.owner, group: want.group }, changes.length ? undefined : cur.stat);
    if (owners.length > 0) {
      if (changes.length === 0) fields.push(...owners);
      changes.push({ op: 'attrs', path, want: { owner: want.owner, group: want.group }, noDeref: true });
    }
    return done(path, changes, fields, { path, state: 'link', src: args.src, ...attrResult(cur.stat, { owner: want.owner, group: want.group }) });
  }

  // A directory made here already got its attributes from mkdir's chain.
  const attrs = state === 'directory' && !on.exists ? [] : attrChanges(want, on.exists ? on : undefined);
  if (attrs.length > 0) {
    if (on.exists) fields.push(...attrs);
    changes.push({ op: 'attrs', path, want });
  }
  if (state === 'directory' && args.recurse && cur.tree && treeDiffers(cur.tree, args)) {
    fields.push({ key: 'recurse', before: 'some entries differ', after: describeWant(want) });
    changes.push({
      op: 'recurse',
      path,
      want: { owner: want.owner, group: want.group },
      ...(args.mode !== undefined ? { mode: typeof args.mode === 'number' ? args.mode.toString(8) : args.mode } : {}),
    });
  }
  const finalState = state === 'touch' ? (on.type === 'directory' ? 'directory' : 'file') : state;
  return done(path, changes, fields, { path, state: finalState, ...attrResult(on.exists ? on : undefined, want) });
}

function touchTimes(args: Args): 'both' | 'mtime' | 'atime' | 'none' {
  const m = args.modification_time !== 'preserve';
  const a = args.access_time !== 'preserve';
  return m && a ? 'both' : m ? 'mtime' : a ? 'atime' : 'none';
}

function describeWant(want: AttrWant): string {
  return Object.entries(want).map(([k, v]) => `${k}=${k === 'mode' ? (v as number).toString(8) : v}`).join(' ');
}

// Plan reasons are actions ("create directory /x"): check mode shows them as "would ...".
function describeChange(c: Change): string {
  switch (c.op) {
    case 'remove':
      return `remove ${c.path}`;
    case 'mkdir':
      return `create directory ${c.path}`;
    case 'touch':
      return c.create ? `create ${c.path}` : `touch ${c.path}`;
    case 'link':
      return `${c.replace ? 'replace' : 'create'} ${c.path} as a link to ${c.src}`;
    case 'hard':
      return `make ${c.path} a hard link to ${c.src}`;
    case 'attrs':
      return `set ${Object.keys(c.want).join('/')} of ${c.path}`;
    case 'recurse':
      return `set ${[...Object.keys(c.want), ...(c.mode ? ['mode'] : [])].join('/')} of everything below ${c.path}`;
  }
}

function done(path: string, changes: Change[], fields: Array<{ key: string; before: unknown; after: unknown }>, result: Record<string, unknown>): Plan<Change> {
  if (changes.length === 0) return { changes, reason: `${path} is already as requested`, result };
  const diff: DiffItem[] = fields.length > 0 ? [{ kind: 'fields', label: path, fields }] : [];
  return { changes, diff, reason: changes.map(describeChange).join(', then '), result };
}

/** Creates each missing parent separately so mode/owner apply to every directory it makes (as Ansible does). */
function mkdirChain(path: string, want: AttrWant): string {
  const abs = posix.normalize(path);
  const parts = abs.split('/').filter(Boolean);
  const prefixes = parts.map((_, i) => (abs.startsWith('/') ? '/' : '') + parts.slice(0, i + 1).join('/'));
  const fix = attrCommand(path, want, { word: '"$d"' });
  return [
    `for d in ${prefixes.map(shQuote).join(' ')}; do`,
    `  if [ ! -d "$d" ]; then mkdir -- "$d" || exit 1${fix ? `; ${fix} || exit 1` : ''}; fi`,
    'done',
  ].join('\n');
}

function changeCommand(c: Change): string {
  const path = c.path;
  const p = shQuote(path);
  switch (c.op) {
    case 'remove':
      return `rm -rf -- ${p}`;
    case 'mkdir':
      return mkdirChain(path, c.want);
    case 'touch': {
      const flag = c.times === 'mtime' ? ' -m' : c.times === 'atime' ? ' -a' : '';
      return c.create ? `touch -- ${p}` : `touch${flag} -- ${p}`;
    }
    case 'link':
      return `ln -sfn -- ${shQuote(c.src)} ${p}`;
    case 'hard': {
      // Linked beside the path and renamed over it, so the path never goes missing.
      const tmp = shQuote(`${posix.dirname(path)}/.${posix.basename(path)}.fleetplay-link`);
      return `ln -f -- ${shQuote(c.src)} ${tmp} && mv -f -- ${tmp} ${p}`;
    }
    case 'attrs':
      return attrCommand(path, c.want, { noDeref: c.noDeref });
    case 'recurse': {
      const fixes: string[] = [];
      if (c.want.owner !== undefined || c.want.group !== undefined) fixes.push(attrCommand(path, { owner: c.want.owner, group: c.want.group }, { recurse: true }));
      if (c.mode !== undefined) fixes.push(`chmod -R -- ${shQuote(c.mode)} ${p}`);
      return fixes.join(' && ');
    }
  }
}

export const file: Module<Args, Current, Change> = {
  meta: {
    name: 'file',
    description: 'Manage a path: file attributes, directories, symlinks, touch, or removal.',
    platforms: ['linux'],
    checkMode: 'full',
    readAhead: true,
    example: 'file:\n  path: /var/lib/fleet/ofed\n  state: directory\n  mode: "0755"',
    returns: {
      path: 'The path managed.',
      state: 'Its final state (file, directory, link, absent).',
      mode: 'Final permissions.',
      owner: 'Final owner.',
      group: 'Final group.',
      src: 'Link target (state: link, hard).',
    },
  },
  schema,
  read,
  plan,
  // touch always acts on the times; afterwards "converged" means the rest of the plan holds.
  verify(args, after) {
    const settled = args.state === 'touch' ? { ...args, modification_time: 'preserve' as const, access_time: 'preserve' as const } : args;
    const again = plan(settled, after);
    return again.failed ? [again.failed] : again.changes.length ? [again.reason ?? 'changes left'] : [];
  },
  async apply(ctx, p) {
    // mkdir/touch/link first, then attributes on what now exists: all in one round trip.
    const script = p.changes.map(changeCommand).filter(Boolean);
    const r = await ctx.run(script.map((s) => `{ ${s}\n} || exit 1`).join('\n'));
    if (r.rc !== 0) return { failed: `${p.changes[0]!.path}: ${r.stderr.trim() || `exit code ${r.rc}`}` };
    return { result: p.result };
  },
};
