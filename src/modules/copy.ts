// copy: puts a controller file or directory (src), a file or directory on the host (remote_src) or
// inline text (content) at dest; idempotent by content, mode and owner; atomic writes; optional
// backup of the old file. Directories are lib/copy-tree.ts.
import { readFile, stat } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import { basename } from 'node:path';
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { contentToBuffer } from './lib/content.js';
import { shQuote } from '../engine/connection/quote.js';
import { type DestChange, type DestCurrent, DestProperties, applyDest, planDest, readDest } from './lib/dest-file.js';
import { type TreeChange, type TreeCurrent, applyTree, planTree, readTree } from './lib/copy-tree.js';

const schema = Type.Object(
  {
    dest: Type.String({ description: "Path on the host; an existing directory (or a path ending in '/') receives src's basename." }),
    src: Type.Optional(
      Type.String({
        description:
          "Controller file or directory, looked up in the role's files/ then the playbook dir (a host path with remote_src). A directory is copied recursively: with a trailing '/' its contents go into dest, without one the directory itself.",
      }),
    ),
    remote_src: Type.Optional(Type.Boolean({ description: 'src is a file or directory on the host, copied there (a directory keeps its modes).' })),
    directory_mode: Type.Optional(
      Type.Union([Type.String(), Type.Integer()], { description: 'Mode of the directories a recursive copy creates (existing ones are left as they are).' }),
    ),
    content: Type.Optional(Type.Unknown({ description: 'Inline content to write instead of src (non-strings are written as JSON).' })),
    ...DestProperties,
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

type Current = DestCurrent | TreeCurrent;
const isTree = (c: Current): c is TreeCurrent => 'kind' in c && c.kind === 'tree';

export const copy: Module<Args, Current, DestChange | TreeChange> = {
  meta: {
    name: 'copy',
    description: 'Copy a controller file or directory, a file or directory on the host, or inline content (atomic, idempotent, with diff).',
    platforms: ['linux'],
    checkMode: 'full',
    readAhead: true,
    notes: [
      "A directory copy creates what is missing and rewrites the files whose content differs; files under dest that src does not have are left alone. From the controller, files get `mode` (default 0644 for new files) and new directories `directory_mode` (else the host's umask). With remote_src the copied entries keep their modes and `mode`/`owner`/`group` apply to dest itself, as in Ansible.",
      'remote_src for a single file reads the file through the connection and writes it atomically like `content`.',
    ],
    example: 'copy:\n  dest: /etc/motd\n  content: "Managed by fleetplay\\n"\n  mode: "0644"',
    returns: {
      dest: 'The file written (a directory dest resolved to dest/basename).',
      checksum: 'sha1 of the content.',
      size: 'Size in bytes.',
      mode: 'Final permissions (octal string).',
      owner: 'Final owner.',
      group: 'Final group.',
      state: '`file`.',
      backup_file: 'The backup made, when backup: true and the file changed.',
      backup_files: 'Directory copies: the backups made of the files replaced, when backup: true.',
      src: 'Directory copies: the src copied.',
    },
  },
  schema,
  async read(ctx, args) {
    if (args.src !== undefined && args.content !== undefined) {
      return { dest: args.dest, desired: Buffer.alloc(0), error: 'parameters are mutually exclusive: content|src' };
    }
    if (args.src === undefined) {
      if (args.content === undefined) return { dest: args.dest, desired: Buffer.alloc(0), error: 'one of src or content is required' };
      if (args.remote_src) return { dest: args.dest, desired: Buffer.alloc(0), error: 'remote_src needs src' };
      return readDest(ctx, args.dest, contentToBuffer(args.content));
    }
    if (args.remote_src) return readRemote(ctx, { ...args, src: args.src });
    const local = ctx.controllerPath('files', args.src);
    const st = await stat(local, { bigint: true }).catch(() => undefined);
    if (!st) return { dest: args.dest, desired: Buffer.alloc(0), error: `could not find src ${args.src} (looked for ${local})` };
    if (st.isDirectory()) return readTree(ctx, args.src, local, args.dest, false);
    return readDest(ctx, args.dest, await controllerFile(local, st), basename(args.src));
  },
  plan: (args, cur) => (isTree(cur) ? planTree({ ...args, src: args.src! }, cur, args.remote_src === true) : planDest(args, cur)),
  apply: (ctx, plan) =>
    plan.changes.some((c) => c.kind.startsWith('tree-')) ? applyTree(ctx, plan as never) : applyDest(ctx, plan as never),
};

/** remote_src: a host directory is compared tree to tree; a host file is read and written like content. */
async function readRemote(ctx: Parameters<typeof copy.read>[0], args: Args & { src: string }): Promise<Current> {
  const s = shQuote(args.src);
  const probe = await ctx.run(`if [ -d ${s} ]; then echo dir; elif [ -f ${s} ]; then echo file; elif [ -e ${s} ]; then echo other; fi`);
  const kind = probe.stdout.trim();
  const none = { dest: args.dest, desired: Buffer.alloc(0) };
  if (kind === 'dir') return readTree(ctx, args.src, args.src, args.dest, true);
  if (kind !== 'file') return { ...none, error: kind === 'other' ? `src ${args.src} is not a regular file or directory` : `Source ${args.src} not found` };
  const got = await ctx.readFile(args.src);
  if (!got) return { ...none, error: `Source ${args.src} not found` };
  return readDest(ctx, args.dest, got.data, basename(args.src));
}

// A task's read runs more than once per host (read-ahead works out its first command before the
// real read) and once per host, hosts in parallel: without this, src would be read from disk each
// time. The content of each file is kept (as the read in flight, so parallel hosts share it) while
// the file is unchanged — same inode, size, mtime and ctime in nanoseconds: any write changes them —
// up to a bound, so a large src is not held in memory.
const KEEP_FILE = 8 * 1024 * 1024;
const KEEP_TOTAL = 64 * 1024 * 1024;
const kept = new Map<string, { id: string; data: Promise<Buffer>; bytes: number }>();
let keptBytes = 0;

function drop(path: string): void {
  const had = kept.get(path);
  if (!had) return;
  kept.delete(path);
  keptBytes -= had.bytes;
}

function controllerFile(path: string, st: BigIntStats): Promise<Buffer> {
  const id = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  const had = kept.get(path);
  if (had?.id === id) return had.data;
  drop(path);
  const bytes = Number(st.size);
  if (bytes > KEEP_FILE) return readFile(path);
  for (const k of kept.keys()) {
    if (keptBytes + bytes <= KEEP_TOTAL) break;
    drop(k);
  }
  const entry = { id, data: readFile(path), bytes };
  kept.set(path, entry);
  keptBytes += bytes;
  entry.data.catch(() => kept.get(path) === entry && drop(path));
  return entry.data;
}
