// fetch: copies a file from the host to the controller, by default to <dest>/<host>/<src path> (flat:
// straight to dest). Idempotent by checksum (sha1, as Ansible reports it); the controller copy is
// written to a temp file beside it and renamed into place. Check mode writes nothing.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { posix } from 'node:path';
import Type, { type Static } from 'typebox';
import type { Module, Plan } from '../engine/contract/module.js';

const schema = Type.Object(
  {
    src: Type.String({ description: 'The file on the host (a file, not a directory).' }),
    dest: Type.String({ description: 'The controller directory (or, with flat, the file; a trailing / means a directory).' }),
    flat: Type.Optional(Type.Boolean({ description: 'Put the file at dest itself instead of <dest>/<host>/<src> (default false).' })),
    fail_on_missing: Type.Optional(Type.Boolean({ description: 'Fail when src is missing (default true); otherwise the task is ok with a message.' })),
    validate_checksum: Type.Optional(Type.Boolean({ description: 'Check the copy against the host file\'s checksum after fetching (default true).' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

interface Current {
  dest: string;
  state: 'file' | 'missing' | 'directory';
  data?: Buffer;
  /** sha1 of the controller copy; null when it has none. */
  local: string | null;
}

interface Change {
  dest: string;
  data: Buffer;
  checksum: string;
}

const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('hex');
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

/** Where the copy goes on the controller, as Ansible places it. */
export function fetchDest(args: Args, host: string, cwd = process.cwd()): string {
  if (args.flat) return resolve(cwd, args.dest.endsWith('/') ? join(args.dest, posix.basename(args.src)) : args.dest);
  return resolve(cwd, args.dest, host, posix.normalize(args.src).replace(/^\/+/, ''));
}

export function planFetch(args: Args, cur: Current): Plan<Change> {
  if (cur.state === 'directory') return { changes: [], failed: 'remote file is a directory, fetch cannot work on directories' };
  if (cur.state === 'missing') {
    const msg = `the remote file does not exist, not transferring, ignored`;
    if (args.fail_on_missing === false) return { changes: [], reason: msg, result: { msg, file: args.src } };
    return { changes: [], failed: `the remote file does not exist: ${args.src}` };
  }
  const checksum = sha1(cur.data!);
  const result = { dest: cur.dest, file: args.src, checksum, remote_checksum: checksum, md5sum: md5(cur.data!), remote_md5sum: null };
  if (cur.local === checksum) return { changes: [], reason: `${cur.dest} already matches ${args.src}`, result };
  return { changes: [{ dest: cur.dest, data: cur.data!, checksum }], reason: `fetch ${args.src} to ${cur.dest}`, result };
}

export const fetch: Module<Args, Current, Change> = {
  meta: {
    name: 'fetch',
    description: 'Copy a file from the host to the controller (per host under dest, or flat).',
    platforms: ['linux'],
    checkMode: 'full',
    example: 'fetch:\n  src: /var/log/ib-health.log\n  dest: reports/\n# -> reports/<host>/var/log/ib-health.log',
    returns: {
      dest: 'The controller path of the copy.',
      file: 'The host file.',
      checksum: 'sha1 of the copy.',
      remote_checksum: 'sha1 of the host file.',
      md5sum: 'md5 of the copy.',
      msg: 'Why nothing was fetched (fail_on_missing: false).',
    },
  },
  schema,
  async read(ctx, args) {
    const dest = fetchDest(args, ctx.host);
    const local = existsSync(dest) ? sha1(readFileSync(dest)) : null;
    const got = await ctx.readFile(args.src);
    if (!got) return { dest, state: 'missing', local };
    if (got.stat.type === 'directory') return { dest, state: 'directory', local };
    return { dest, state: 'file', data: got.data, local };
  },
  plan: planFetch,
  async apply(_ctx, plan) {
    const c = plan.changes[0]!;
    if (sha1(c.data) !== c.checksum) return { failed: `checksum mismatch for ${c.dest}` };
    await mkdir(dirname(c.dest), { recursive: true });
    const tmp = `${c.dest}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, c.data);
    await rename(tmp, c.dest);
    return { result: plan.result };
  },
};
