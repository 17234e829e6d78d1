// raw: sends one command line to the host's shell as it is, with no module machinery around it (the
// way to bootstrap a host that lacks what other modules need). Always "changed" when it runs; in
// check mode it does not run, as Ansible's raw does not support check mode.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { shJoin } from '../engine/connection/quote.js';
import { splitLines } from './lib/command-run.js';

const schema = Type.Object(
  {
    cmd: Type.String({ description: 'The command line, sent to the shell unchanged (the free form).' }),
    executable: Type.Optional(Type.String({ description: 'Run it with this shell (`<executable> -c <cmd>`) instead of the login shell.' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export interface RawChange {
  line: string;
}

export const raw: Module<Args, null, RawChange> = {
  meta: {
    name: 'raw',
    description: 'Run a command line on the host as it is, without any module code (bootstrap hosts).',
    platforms: ['linux'],
    checkMode: 'none',
    verify: 'none',
    freeForm: 'cmd',
    freeFormKeys: ['executable'],
    example: 'raw: test -e /usr/bin/python3 || (apt-get update && apt-get install -y python3-minimal)',
    returns: {
      rc: 'Exit code.',
      stdout: 'Standard output, as the command wrote it (not stripped).',
      stderr: 'Standard error.',
      stdout_lines: 'stdout split into lines.',
      stderr_lines: 'stderr split into lines.',
    },
  },
  schema,
  read: async () => null,
  plan(args) {
    if (args.cmd.trim() === '') return { changes: [], failed: 'no command given' };
    const line = args.executable ? shJoin([args.executable, '-c', args.cmd]) : args.cmd;
    return { changes: [{ line }], reason: `run ${args.cmd}` };
  },
  async apply(ctx, plan) {
    const r = await ctx.run(plan.changes[0]!.line);
    const rc = r.signal ? -1 : r.rc;
    const result = { rc, stdout: r.stdout, stderr: r.stderr, stdout_lines: splitLines(r.stdout), stderr_lines: splitLines(r.stderr) };
    return rc === 0 ? { result } : { result, failed: 'non-zero return code', changed: true };
  },
};
