// slurp: a remote file's content, base64-encoded, for later tasks (`b64decode`). Read-only: it never
// changes anything, so check mode returns the same result as a real run.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';

const schema = Type.Object(
  {
    src: Type.Optional(Type.String({ description: 'The file to read (alias: path).' })),
    path: Type.Optional(Type.String({ description: 'Alias of src.' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

type Current = { src: string; kind: 'missing' } | { src: string; kind: 'directory' } | { src: string; kind: 'file'; data: Buffer };

export const slurp: Module<Args, Current, never> = {
  meta: {
    name: 'slurp',
    description: "Read a file from the host and return its content base64-encoded, as Ansible's slurp does.",
    platforms: ['linux'],
    checkMode: 'full',
    readAhead: true,
    collections: ['ansible.builtin'],
    example: "slurp:\n  src: /etc/machine-id\nregister: machine_id\n# later: \"{{ machine_id.content | b64decode }}\"",
    returns: {
      content: 'The file content, base64-encoded.',
      encoding: "Always 'base64'.",
      source: 'The file that was read.',
    },
  },
  schema,
  async read(ctx, args) {
    const src = args.src ?? args.path ?? '';
    if (!src) return { src, kind: 'missing' };
    const got = await ctx.readFile(src);
    if (!got) return { src, kind: 'missing' };
    if (got.stat.type === 'directory') return { src, kind: 'directory' };
    return { src, kind: 'file', data: got.data };
  },
  plan(args, cur) {
    if (!cur.src) return { changes: [], failed: 'src is required' };
    if (cur.kind === 'missing') return { changes: [], failed: `file not found: ${cur.src}` };
    if (cur.kind === 'directory') return { changes: [], failed: `source is a directory and must be a file: ${cur.src}` };
    return {
      changes: [],
      reason: `read ${cur.data.length} bytes of ${cur.src}`,
      result: { content: cur.data.toString('base64'), encoding: 'base64', source: cur.src },
    };
  },
  async apply() {
    return { changed: false };
  },
};
