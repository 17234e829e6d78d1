// win_file: makes a Windows path be a directory (with its parents), a touched file, or absent, or
// checks that a file exists (ansible.windows.win_file). Removal is recursive, as Ansible's is.
import Type, { type Static } from 'typebox';
import type { FileStat } from '../engine/contract/connection.js';
import type { Module } from '../engine/contract/module.js';
import { pathOf } from './win-stat.js';
import { q, requireWindows, runAction } from './lib/win-script.js';

const schema = Type.Object(
  {
    path: Type.Optional(Type.String({ description: 'The path to manage (aliases: dest, name).' })),
    dest: Type.Optional(Type.String({ description: 'Alias of path.' })),
    name: Type.Optional(Type.String({ description: 'Alias of path.' })),
    state: Type.Optional(
      Type.Union([Type.Literal('file'), Type.Literal('directory'), Type.Literal('absent'), Type.Literal('touch')], {
        description: "file (must already exist), directory (created with its parents), absent (removed with everything below it), touch (created empty, or its last write time set to now). Default: the path's current kind, else file.",
      }),
    ),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

interface Current {
  path: string;
  stat: FileStat;
}

type Change = { path: string; op: 'mkdir' | 'remove' | 'create' | 'touch' };

const kind = (st: FileStat): string => (!st.exists ? 'absent' : st.type === 'directory' ? 'directory' : 'file');

export function winFileScript(c: Change): string {
  const p = q(c.path);
  switch (c.op) {
    case 'mkdir':
      return `$ErrorActionPreference = 'Stop'\nNew-Item -Path ${p} -ItemType Directory -Force | Out-Null`;
    case 'remove':
      return `$ErrorActionPreference = 'Stop'\nRemove-Item -LiteralPath ${p} -Recurse -Force`;
    case 'create':
      return `$ErrorActionPreference = 'Stop'\nNew-Item -Path ${p} -ItemType File | Out-Null`;
    case 'touch':
      return [
        "$ErrorActionPreference = 'Stop'",
        `if (Test-Path -LiteralPath ${p} -PathType Container) { [System.IO.Directory]::SetLastWriteTimeUtc(${p}, [DateTime]::UtcNow) }`,
        `else { [System.IO.File]::SetLastWriteTimeUtc(${p}, [DateTime]::UtcNow) }`,
      ].join('\n');
  }
}

export const winFile: Module<Args, Current, Change> = {
  meta: {
    name: 'win_file',
    aliases: ['ansible.windows.win_file'],
    description: 'Make a Windows path a directory, a touched file, or absent (recursively), or check that a file exists.',
    platforms: ['windows'],
    checkMode: 'full',
    example: 'win_file:\n  path: C:\\fleetplay\\drivers\n  state: directory',
    returns: { path: 'The path managed.', state: 'What the path is after the task: file, directory or absent.' },
  },
  schema,
  async read(ctx, args) {
    requireWindows(ctx, 'win_file');
    const path = pathOf(args);
    if (!path) throw new Error('win_file needs path');
    return { path, stat: await ctx.stat(path) };
  },
  plan(args, cur) {
    const { path, stat } = cur;
    const now = kind(stat);
    const state = args.state ?? (now === 'absent' ? 'file' : (now as 'file' | 'directory'));
    const done = (reason: string, after = now) => ({ changes: [], reason, result: { path, state: after } });
    const change = (op: Change['op'], reason: string, after: string) => ({
      changes: [{ path, op }],
      reason,
      result: { path, state: after },
      diff: [{ kind: 'fields' as const, label: path, fields: [{ key: 'state', before: now, after }] }],
    });
    switch (state) {
      case 'absent':
        return now === 'absent' ? done(`${path} is already absent`) : change('remove', `remove ${path}${now === 'directory' ? ' and everything below it' : ''}`, 'absent');
      case 'directory':
        if (now === 'file') return { changes: [], failed: `path ${path} exists but is not a directory` };
        return now === 'directory' ? done(`${path} is already a directory`) : change('mkdir', `create directory ${path}`, 'directory');
      case 'file':
        if (now === 'absent') return { changes: [], failed: `path ${path} will not be created` };
        if (now === 'directory') return { changes: [], failed: `path ${path} exists but is a directory` };
        return done(`${path} exists`);
      case 'touch':
        return now === 'absent' ? change('create', `create empty file ${path}`, 'file') : change('touch', `set the last write time of ${path} to now`, now);
    }
  },
  async apply(ctx, plan) {
    const c = plan.changes[0]!;
    const r = await runAction(ctx, winFileScript(c));
    if (r.error) return { failed: `win_file ${c.path}: ${r.error}` };
    return {};
  },
  verify(args, after) {
    // touch always acts (a new time); what must hold afterwards is that the path exists.
    const want = args.state ?? 'file';
    const now = kind(after.stat);
    if (want === 'touch') return now === 'absent' ? [`${after.path} does not exist`] : [];
    return now === want || (want === 'file' && now === 'file') ? [] : [`${after.path} is ${now}, not ${want}`];
  },
};
