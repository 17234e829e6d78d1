// script: copies a controller-side script to a private temp directory on the host, runs it with the
// words after its path as arguments, and removes it again. creates/removes make it idempotent and
// decide even in check mode; otherwise check mode does not run it (Ansible's partial support).
import { existsSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { shQuote } from '../engine/connection/quote.js';
import { type GuardState, readGuards, splitLines } from './lib/command-run.js';

const schema = Type.Object(
  {
    cmd: Type.Optional(Type.String({ description: 'The script path on the controller, then its arguments (the free form).' })),
    creates: Type.Optional(Type.String({ description: 'A path or glob on the host; when it exists, the script does not run.' })),
    removes: Type.Optional(Type.String({ description: 'A path or glob on the host; when it does NOT exist, the script does not run.' })),
    chdir: Type.Optional(Type.String({ description: 'Change into this directory on the host before running.' })),
    executable: Type.Optional(Type.String({ description: 'Run the script with this interpreter, e.g. /usr/bin/python3 (default: its #! line).' })),
    decrypt: Type.Optional(Type.Boolean({ description: 'Accepted for compatibility: fleetplay reads the script as it is (vaulted scripts are not decrypted).' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

interface Current extends GuardState {
  /** The script's path on the controller, resolved against files/ and the playbook dir. */
  local: string;
  exists: boolean;
}

export interface ScriptChange {
  local: string;
  name: string;
  /** The words after the script's path, passed to the host's shell as written. */
  params: string;
  executable?: string;
  cwd?: string;
  display: string;
}

/** The script path (first word, possibly quoted) and the rest of the command line. */
export function splitScriptCmd(cmd: string): { path: string; params: string } {
  const m = /^\s*(?:"([^"]*)"|'([^']*)'|(\S+))\s*([\s\S]*)$/.exec(cmd);
  if (!m) return { path: '', params: '' };
  return { path: m[1] ?? m[2] ?? m[3] ?? '', params: m[4]!.trim() };
}

export const script: Module<Args, Current, ScriptChange> = {
  meta: {
    name: 'script',
    description: 'Copy a local script to the host, run it there with arguments, and remove it.',
    platforms: ['linux'],
    checkMode: 'none',
    verify: 'none',
    freeForm: 'cmd',
    freeFormKeys: ['creates', 'removes', 'chdir', 'executable'],
    example: 'script: files/collect-ib.sh --out /var/tmp/ib.txt\nargs:\n  creates: /var/tmp/ib.txt',
    notes: ['The script is uploaded to a new mode-0700 directory under the remote temp dir and removed after it ran, whether it succeeded or not.'],
    returns: {
      rc: 'Exit code.',
      stdout: 'Standard output.',
      stderr: 'Standard error.',
      stdout_lines: 'stdout split into lines.',
      stderr_lines: 'stderr split into lines.',
    },
  },
  schema,
  async read(ctx, args) {
    const { path } = splitScriptCmd(args.cmd ?? '');
    const local = path ? ctx.controllerPath('files', path) : '';
    const exists = local !== '' && existsSync(local) && statSync(local).isFile();
    return { ...(await readGuards(ctx, args)), local, exists };
  },
  plan(args, cur) {
    const { path, params } = splitScriptCmd(args.cmd ?? '');
    if (!path) return { changes: [], failed: 'script requires a path to a local script (cmd or the free form)' };
    if (cur.skip) return { changes: [], reason: cur.skip.reason, result: { rc: 0, stdout: cur.skip.reason, stdout_lines: [cur.skip.reason], stderr: '', stderr_lines: [], msg: cur.skip.msg } };
    if (!cur.exists) return { changes: [], failed: `Could not find or access '${path}' (looked for ${cur.local})` };
    const change: ScriptChange = { local: cur.local, name: posix.basename(path), params, display: args.cmd!.trim() };
    if (args.executable) change.executable = args.executable;
    if (args.chdir) change.cwd = args.chdir;
    return { changes: [change], reason: `run script ${change.display}` };
  },
  async apply(ctx, plan) {
    const c = plan.changes[0]!;
    const mk = await ctx.run('umask 077; mktemp -d "${TMPDIR:-/tmp}/fleetplay-script.XXXXXXXX"');
    if (mk.rc !== 0) return { failed: `cannot make a temp directory on the host: ${mk.stderr.trim()}` };
    const dir = mk.stdout.trim();
    try {
      const remote = posix.join(dir, c.name);
      await ctx.putFile(c.local, remote, { mode: 0o700 });
      const line = `${c.executable ? `${c.executable} ` : ''}${shQuote(remote)}${c.params ? ` ${c.params}` : ''}`;
      const r = await ctx.run(line, { cwd: c.cwd });
      const rc = r.signal ? -1 : r.rc;
      const result = { rc, stdout: r.stdout, stderr: r.stderr, stdout_lines: splitLines(r.stdout), stderr_lines: splitLines(r.stderr) };
      return rc === 0 ? { result } : { result, failed: 'non-zero return code', changed: true };
    } finally {
      await ctx.run(`rm -rf -- ${shQuote(dir)}`);
    }
  },
};
