// stat: reports a path's properties in Ansible's `stat` dictionary; reads only, never changes.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm, parseStatFact, statFactCommand } from './lib/stat-fact.js';

const schema = Type.Object(
  {
    path: Type.String({ description: 'The path to inspect.' }),
    follow: Type.Optional(Type.Boolean({ description: 'Follow a symlink and report its target (default false).' })),
    get_checksum: Type.Optional(Type.Boolean({ description: 'Include the checksum of a regular file (default true).' })),
    checksum_algorithm: Type.Optional(
      Type.Union(CHECKSUM_ALGORITHMS.map((a) => Type.Literal(a)), { description: 'Checksum algorithm (default sha1, as Ansible).' }),
    ),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export const stat: Module<Args, Record<string, unknown>, never> = {
  meta: {
    name: 'stat',
    description: "Report a path's properties (exists, mode, owner, size, checksum, ...) for later tasks.",
    platforms: ['linux'],
    checkMode: 'full',
    readAhead: true,
    example: 'stat:\n  path: /etc/waagent.conf\nregister: waagent_conf',
    returns: {
      stat: 'exists, path, mode, isdir, isreg, islnk, size, uid, gid, pw_name, gr_name, mtime, checksum (when asked), lnk_source, ...',
    },
  },
  schema,
  async read(ctx, args) {
    const checksum: ChecksumAlgorithm | false = args.get_checksum === false ? false : (args.checksum_algorithm ?? 'sha1');
    const r = await ctx.run(statFactCommand(args.path, { follow: args.follow === true, checksum }));
    if (r.rc !== 0) throw new Error(`cannot stat ${args.path}: ${r.stderr.trim() || `exit code ${r.rc}`}`);
    return parseStatFact(r.stdout, args.path);
  },
  plan(args, current) {
    const reason = current.exists ? `${args.path} exists` : `${args.path} does not exist`;
    return { changes: [], reason, result: { stat: current } };
  },
  async apply() {
    return { changed: false };
  },
};
