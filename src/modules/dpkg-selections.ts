// dpkg_selections: a package's dpkg selection (install, hold, deinstall, purge) — `hold` is how
// Ubuntu images pin the kernel and the OFED packages against upgrades.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { shQuote } from '../engine/connection/quote.js';

const schema = Type.Object(
  {
    name: Type.String({ description: 'Package name.' }),
    selection: Type.Union([Type.Literal('install'), Type.Literal('hold'), Type.Literal('deinstall'), Type.Literal('purge')], { description: 'The selection to set.' }),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

interface Current {
  /** The current selection; 'not present' when dpkg knows no such package. */
  selection: string;
}
interface Change {
  name: string;
  selection: Args['selection'];
}

/** `dpkg --get-selections NAME` → its selection (pure). */
export function parseSelection(stdout: string, name: string): string {
  for (const line of stdout.split('\n')) {
    const [pkg, sel] = line.trim().split(/\s+/);
    if (pkg && sel && pkg.replace(/:[a-z0-9]+$/, '') === name) return sel;
  }
  return 'not present';
}

export const dpkgSelections: Module<Args, Current, Change> = {
  meta: {
    name: 'dpkg_selections',
    description: "Set a Debian package's dpkg selection (hold keeps apt from upgrading or removing it).",
    platforms: ['linux'],
    checkMode: 'full',
    example: 'dpkg_selections:\n  name: linux-image-azure\n  selection: hold',
    returns: { before: 'The selection before the task.', after: 'The selection after it.' },
  },
  schema,
  async read(ctx, args) {
    if (!/^[a-z0-9][a-z0-9+.:-]*$/.test(args.name)) throw new Error(`'${args.name}' is not a Debian package name`);
    const r = await ctx.run(`LC_ALL=C dpkg --get-selections ${shQuote(args.name)} 2>/dev/null`);
    return { selection: parseSelection(r.stdout, args.name) };
  },
  plan(args, cur) {
    const result = { before: cur.selection, after: args.selection };
    if (cur.selection === 'not present' && args.selection === 'hold') {
      // dpkg keeps a hold on a package it does not know only once it is installed.
      return { changes: [], failed: `Failed to find package '${args.name}' to perform selection '${args.selection}'.` };
    }
    if (cur.selection === args.selection) return { changes: [], reason: `${args.name} is already on ${args.selection}`, result: { ...result, after: cur.selection } };
    return {
      changes: [{ name: args.name, selection: args.selection }],
      diff: [{ kind: 'fields', label: `dpkg selection of ${args.name}`, fields: [{ key: args.name, before: cur.selection, after: args.selection }] }],
      reason: `${args.name}: ${cur.selection} → ${args.selection}`,
      result,
    };
  },
  async apply(ctx, plan) {
    const c = plan.changes[0]!;
    const r = await ctx.run(`printf '%s %s\\n' ${shQuote(c.name)} ${shQuote(c.selection)} | dpkg --set-selections`);
    if (r.rc !== 0) return { failed: `dpkg --set-selections: ${r.stderr.trim() || `exit ${r.rc}`}` };
    return { result: plan.result };
  },
};
