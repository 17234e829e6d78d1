// ping: proves the host is reachable and runs commands (not ICMP), answering `pong`.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';

const schema = Type.Object(
  { data: Type.Optional(Type.String({ description: "What to answer with (default 'pong'); 'crash' makes the task fail." })) },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export const ping: Module<Args, { ok: boolean; detail: string }, never> = {
  meta: {
    name: 'ping',
    description: 'Check that the host can be reached and runs commands; returns ping: pong.',
    platforms: ['linux', 'windows'],
    checkMode: 'full',
    example: 'ping:',
    returns: {
      ping: "'pong', or the data given.",
    },
  },
  schema,
  async read(ctx) {
    // `echo` works in sh and in PowerShell alike.
    const r = await ctx.run('echo pong');
    return { ok: r.rc === 0 && r.stdout.trim() === 'pong', detail: (r.stderr || r.stdout).trim() || `exit code ${r.rc}` };
  },
  plan(args, cur) {
    if (!cur.ok) return { changes: [], failed: `the host did not answer a trivial command: ${cur.detail}` };
    if (args.data === 'crash') return { changes: [], failed: 'boom' };
    return { changes: [], reason: 'pong', result: { ping: args.data ?? 'pong' } };
  },
  async apply() {
    return { changed: false };
  },
};
