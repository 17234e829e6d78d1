// setup: gathers the host's facts (what `gather_facts` runs) in one round trip per host.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { POSIX_GATHER_COMMAND, parsePosixFacts } from './lib/os-facts.js';
import { WINDOWS_GATHER_SCRIPT, parseWindowsFacts } from './lib/windows-facts.js';

const schema = Type.Object(
  {
    filter: Type.Optional(
      Type.Union([Type.String(), Type.Array(Type.String())], { description: "Only keep facts whose names match these globs (e.g. 'distribution*')." }),
    ),
    gather_subset: Type.Optional(
      Type.Union([Type.String(), Type.Array(Type.String())], { description: 'Accepted for compatibility; fleetplay always gathers its one small set.' }),
    ),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

interface Current {
  shell: 'posix' | 'powershell';
  stdout: string;
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/^ansible_/, '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export const setup: Module<Args, Current, never> = {
  meta: {
    name: 'setup',
    aliases: ['gather_facts'],
    description: 'Gather facts (OS family, distribution, version, kernel, architecture, hostname, ...) into ansible_facts.',
    platforms: ['linux', 'windows'],
    checkMode: 'full',
    example: "setup:\n  filter: 'distribution*'",
    returns: {
      ansible_facts: "The gathered facts (also merged into the host's ansible_facts).",
    },
  },
  schema,
  async read(ctx) {
    const script = ctx.shell === 'powershell' ? WINDOWS_GATHER_SCRIPT : POSIX_GATHER_COMMAND;
    const r = await ctx.run(script);
    if (r.rc !== 0 && !r.stdout.trim()) throw new Error(`fact gathering failed: ${r.stderr.trim() || `exit code ${r.rc}`}`);
    return { shell: ctx.shell, stdout: r.stdout };
  },
  plan(args, cur) {
    let facts: Record<string, unknown>;
    try {
      facts = cur.shell === 'powershell' ? parseWindowsFacts(cur.stdout) : parsePosixFacts(cur.stdout);
    } catch (e) {
      return { changes: [], failed: (e as Error).message };
    }
    if (args.filter !== undefined) {
      const globs = (Array.isArray(args.filter) ? args.filter : [args.filter]).map(globToRegExp);
      facts = Object.fromEntries(Object.entries(facts).filter(([k]) => globs.some((g) => g.test(k))));
    }
    return { changes: [], facts, result: { ansible_facts: facts }, reason: `${Object.keys(facts).length} facts` };
  },
  async apply() {
    return { changed: false };
  },
};
