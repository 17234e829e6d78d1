// win_copy: puts a controller file, or given content, at a path on a Windows host
// (ansible.windows.win_copy); idempotent by sha1 checksum, written atomically, optional backup.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { contentToBuffer } from './lib/content.js';
import { applyWinDest, planWinDest, readWinDest, WinDestProperties, type WinDestChange, type WinDestCurrent } from './lib/win-dest.js';
import { requireWindows } from './lib/win-script.js';

const schema = Type.Object(
  {
    src: Type.Optional(Type.String({ description: "A controller file, looked up in the role's files/ then the playbook dir (one of src, content)." })),
    content: Type.Optional(Type.Unknown({ description: 'The content to write instead of src (non-strings are written as JSON).' })),
    dest: Type.String({ description: 'Path on the host; an existing directory, or a path ending in \\, receives the file under its own name.' }),
    ...WinDestProperties,
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export const winCopy: Module<Args, WinDestCurrent, WinDestChange> = {
  meta: {
    name: 'win_copy',
    aliases: ['ansible.windows.win_copy'],
    description: 'Copy a controller file (or given content) to a Windows host: atomic, idempotent by checksum, with backup and diff.',
    platforms: ['windows'],
    checkMode: 'full',
    example: 'win_copy:\n  src: MLNX_WinOF2-24_10_50010_All_x64.exe\n  dest: C:\\Windows\\Temp\\',
    notes: ['Copying a directory tree (src ending in a separator, remote_src) is not supported: copy its files one by one.'],
    returns: {
      dest: 'The file written (a directory dest resolved to the file inside it).',
      checksum: 'sha1 of the content.',
      size: 'Size in bytes.',
      original_basename: 'The basename of src.',
      backup_file: 'The backup made, when backup: true and the file changed.',
    },
  },
  schema,
  async read(ctx, args) {
    requireWindows(ctx, 'win_copy');
    if ((args.src === undefined) === (args.content === undefined)) {
      return { dest: args.dest, desired: Buffer.alloc(0), kind: 'absent', error: 'win_copy needs exactly one of src and content' };
    }
    let data: Buffer;
    let name = 'content';
    if (args.src !== undefined) {
      const local = ctx.controllerPath('files', args.src);
      try {
        data = await readFile(local);
      } catch (e) {
        const why = (e as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a directory (copy its files one by one)' : `looked for ${local}`;
        return { dest: args.dest, desired: Buffer.alloc(0), kind: 'absent', error: `could not find or read src ${args.src} (${why})` };
      }
      name = basename(args.src);
    } else data = contentToBuffer(args.content);
    return readWinDest(ctx, args.dest, data, name, 'win_copy');
  },
  plan(args, cur) {
    const p = planWinDest(args, cur);
    if (args.src !== undefined && p.result) p.result.original_basename = basename(args.src);
    return p;
  },
  apply: (ctx, plan) => applyWinDest(ctx, plan, 'win_copy'),
};
