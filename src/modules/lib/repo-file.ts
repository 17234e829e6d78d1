// A whole small configuration file a module owns (an apt .sources file, a .repo file): read its
// text, plan it towards the wanted text (or its removal) with a text diff, write it atomically
// (the connection's temp file + rename) or remove it.
import type { ApplyResult, HostContext, Plan } from '../../engine/contract/module.js';
import { shQuote } from '../../engine/connection/quote.js';

export interface FileText {
  path: string;
  /** undefined: no such file. */
  text?: string;
}

export type FileChange = { kind: 'write'; path: string; text: string; mode: number } | { kind: 'remove'; path: string };

export async function readText(ctx: HostContext, path: string): Promise<FileText> {
  const got = await ctx.readFile(path);
  return { path, text: got ? got.data.toString('utf8') : undefined };
}

/** `want` undefined = the file must not exist. */
export function planText(cur: FileText, want: string | undefined, mode: number, what: string, result: Record<string, unknown>): Plan<FileChange> {
  if (want === undefined) {
    if (cur.text === undefined) return { changes: [], reason: `${what}: ${cur.path} is absent`, result };
    return { changes: [{ kind: 'remove', path: cur.path }], diff: [{ kind: 'text', path: cur.path, before: cur.text, after: '' }], reason: `remove ${cur.path}`, result };
  }
  if (cur.text === want) return { changes: [], reason: `${what}: ${cur.path} is as wanted`, result };
  return {
    changes: [{ kind: 'write', path: cur.path, text: want, mode }],
    diff: [{ kind: 'text', path: cur.path, before: cur.text ?? '', after: want }],
    reason: `${cur.text === undefined ? 'create' : 'update'} ${cur.path}`,
    result,
  };
}

export async function applyText(ctx: HostContext, plan: Plan<FileChange>): Promise<ApplyResult> {
  for (const c of plan.changes) {
    if (c.kind === 'write') {
      const dir = c.path.slice(0, c.path.lastIndexOf('/')) || '/';
      const mk = await ctx.run(`mkdir -p ${shQuote(dir)}`);
      if (mk.rc !== 0) return { failed: `cannot create ${dir}: ${mk.stderr.trim()}` };
      await ctx.writeFile(c.path, c.text, { mode: c.mode });
    } else {
      const r = await ctx.run(`rm -f -- ${shQuote(c.path)}`);
      if (r.rc !== 0) return { failed: `cannot remove ${c.path}: ${r.stderr.trim()}` };
    }
  }
  return { result: plan.result };
}
