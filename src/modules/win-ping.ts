// win_ping: proves a Windows host is reachable over WinRM and runs PowerShell, answering `pong`
// (Ansible's ansible.windows.win_ping). Read-only, so check mode runs it too.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { psQuote } from '../engine/connection/quote.js';

const schema = Type.Object(
  { data: Type.Optional(Type.String({ description: "What to answer with (default 'pong'); 'crash' makes the task fail, as in Ansible." })) },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

interface Current {
  ok: boolean;
  detail: string;
}

export const winPing: Module<Args, Current, never> = {
  meta: {
    name: 'win_ping',
    aliases: ['ansible.windows.win_ping'],
    description: 'Check that a Windows host can be reached over WinRM and runs PowerShell; returns ping: pong.',
    platforms: ['windows'],
    checkMode: 'full',
    example: 'win_ping:',
    returns: {
      ping: "'pong', or the data given.",
    },
  },
  schema,
  async read(ctx, args) {
    if (ctx.shell !== 'powershell') {
      return { ok: false, detail: 'win_ping needs a Windows host (ansible_connection: winrm); use ping for Linux hosts' };
    }
    // The answer makes a round trip through PowerShell quoting and UTF-8 output.
    const data = args.data ?? 'pong';
    const r = await ctx.run(`Write-Output ${psQuote(data)}`);
    const out = r.stdout.replace(/\r?\n$/, '');
    if (r.rc === 0 && out === data) return { ok: true, detail: out };
    return { ok: false, detail: r.stderr.trim() || `unexpected answer '${out.slice(0, 200)}' (exit code ${r.rc})` };
  },
  plan(args, cur) {
    if (!cur.ok) return { changes: [], failed: `the host did not answer a trivial PowerShell command: ${cur.detail}` };
    if (args.data === 'crash') return { changes: [], failed: 'boom' };
    return { changes: [], reason: 'pong', result: { ping: args.data ?? 'pong' } };
  },
  async apply() {
    return { changed: false };
  },
};
