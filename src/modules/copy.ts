// copy: puts a controller file (src) or inline text (content) at dest; idempotent by content,
// mode and owner; atomic write; optional backup of the old file.
import { readFile, stat } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import { basename } from 'node:path';
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { contentToBuffer } from './lib/content.js';
import { type DestChange, type DestCurrent, DestProperties, applyDest, planDest, readDest } from './lib/dest-file.js';

const schema = Type.Object(
  {
    dest: Type.String({ description: "Path on the host; an existing directory (or a path ending in '/') receives src's basename." }),
    src: Type.Optional(Type.String({ description: "Controller file, looked up in the role's files/ then the playbook dir." })),
    content: Type.Optional(Type.Unknown({ description: 'Inline content to write instead of src (non-strings are written as JSON).' })),
    ...DestProperties,
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export const copy: Module<Args, DestCurrent, DestChange> = {
  meta: {
    name: 'copy',
    description: 'Copy a controller file or inline content to the host (atomic, idempotent, with diff).',
    platforms: ['linux'],
    checkMode: 'full',
    readAhead: true,
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
    },
  },
  schema,
  async read(ctx, args) {
    if (args.src !== undefined && args.content !== undefined) {
      return { dest: args.dest, desired: Buffer.alloc(0), error: 'parameters are mutually exclusive: content|src' };
    }
    if (args.src === undefined) {
      if (args.content === undefined) return { dest: args.dest, desired: Buffer.alloc(0), error: 'one of src or content is required' };
      return readDest(ctx, args.dest, contentToBuffer(args.content));
    }
    const local = ctx.controllerPath('files', args.src);
    const st = await stat(local, { bigint: true }).catch(() => undefined);
    if (!st) return { dest: args.dest, desired: Buffer.alloc(0), error: `could not find src ${args.src} (looked for ${local})` };
    if (st.isDirectory()) {
      return { dest: args.dest, desired: Buffer.alloc(0), error: `src ${args.src} is a directory: copying directories is not supported` };
    }
    return readDest(ctx, args.dest, await controllerFile(local, st), basename(args.src));
  },
  plan: planDest,
  apply: applyDest,
};

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
