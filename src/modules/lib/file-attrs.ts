// Mode/owner/group shared by copy, template, file and lineinfile: the arguments, what the task asks
// for, how it differs from the host, and the one command that fixes it.
import Type from 'typebox';
import type { FileStat } from '../../engine/contract/connection.js';
import type { ApplyResult, DiffItem, HostContext } from '../../engine/contract/module.js';
import { shQuote } from '../../engine/connection/quote.js';
import { formatMode, type ModeArg, resolveMode } from './mode.js';

/** The mode/owner/group arguments, spread into each module's schema. */
export const AttrProperties = {
  mode: Type.Optional(
    Type.Union([Type.String(), Type.Integer()], {
      description: "Permissions: octal ('0644', or 0644 unquoted) or symbolic ('u=rw,g=r,o=r', 'a+rX').",
    }),
  ),
  owner: Type.Optional(Type.Union([Type.String(), Type.Integer()], { description: 'User name (or uid) to own the file.' })),
  group: Type.Optional(Type.Union([Type.String(), Type.Integer()], { description: 'Group name (or gid) of the file.' })),
};

export interface AttrArgs {
  mode?: ModeArg;
  owner?: string | number;
  group?: string | number;
}

/** Concrete attributes to enforce; undefined = leave as is. */
export interface AttrWant {
  mode?: number;
  owner?: string;
  group?: string;
}

export function wantedAttrs(args: AttrArgs, current: FileStat | undefined, isDir: boolean): AttrWant {
  const want: AttrWant = {};
  if (args.mode !== undefined) want.mode = resolveMode(args.mode, current?.exists ? current.mode : undefined, isDir);
  if (args.owner !== undefined && args.owner !== '') want.owner = String(args.owner);
  if (args.group !== undefined && args.group !== '') want.group = String(args.group);
  return want;
}

type Field = { key: string; before: unknown; after: unknown };

/** The attributes that differ; a numeric owner/group compares with the uid/gid. */
export function attrChanges(want: AttrWant, st: FileStat | undefined): Field[] {
  const out: Field[] = [];
  if (want.mode !== undefined && st?.mode !== want.mode) {
    out.push({ key: 'mode', before: st?.mode === undefined ? undefined : formatMode(st.mode), after: formatMode(want.mode) });
  }
  if (want.owner !== undefined && !sameId(want.owner, st?.owner, st?.uid)) {
    out.push({ key: 'owner', before: st?.owner, after: want.owner });
  }
  if (want.group !== undefined && !sameId(want.group, st?.group, st?.gid)) {
    out.push({ key: 'group', before: st?.group, after: want.group });
  }
  return out;
}

function sameId(want: string, name: string | undefined, id: number | undefined): boolean {
  if (/^\d+$/.test(want)) return id !== undefined && Number(want) === id;
  return name === want;
}

export function attrDiff(path: string, fields: Field[]): DiffItem[] {
  return fields.length > 0 ? [{ kind: 'fields', label: path, fields }] : [];
}

/**
 * chown before chmod (chown clears set-id bits). `noDeref` acts on a symlink itself; `recurse`
 * walks a tree (symlinks inside are not followed).
 */
export function attrCommand(
  path: string,
  want: AttrWant,
  opts: { recurse?: boolean; noDeref?: boolean; /** an already-quoted shell word, e.g. "$d" */ word?: string } = {},
): string {
  const parts: string[] = [];
  const target = opts.word ?? shQuote(path);
  const r = opts.recurse ? ' -R' : '';
  if (want.owner !== undefined || want.group !== undefined) {
    const who = `${want.owner ?? ''}${want.group !== undefined ? `:${want.group}` : ''}`;
    parts.push(`chown${r}${opts.noDeref ? ' -h' : ''} -- ${shQuote(who)} ${target}`);
  }
  if (want.mode !== undefined && !opts.noDeref) parts.push(`chmod${r} -- ${formatMode(want.mode)} ${target}`);
  return parts.join(' && ');
}

/** Applies a plan whose only change is the attributes of an existing file. */
export async function applyAttrs(ctx: HostContext, path: string, want: AttrWant, result: ApplyResult['result']): Promise<ApplyResult> {
  const r = await ctx.run(attrCommand(path, want));
  if (r.rc !== 0) return { failed: `cannot set attributes of ${path}: ${r.stderr.trim()}` };
  return { result };
}

/** Ansible-style result fields describing a path's final attributes. */
export function attrResult(st: FileStat | undefined, want: AttrWant): Record<string, unknown> {
  const mode = want.mode ?? st?.mode;
  const res: Record<string, unknown> = {};
  if (mode !== undefined) res.mode = formatMode(mode);
  const owner = want.owner ?? st?.owner;
  const group = want.group ?? st?.group;
  if (owner !== undefined) res.owner = owner;
  if (group !== undefined) res.group = group;
  if (st?.uid !== undefined && want.owner === undefined) res.uid = st.uid;
  if (st?.gid !== undefined && want.group === undefined) res.gid = st.gid;
  return res;
}
