// Putting known content at a destination — the part copy and template share: read what is there
// (one round trip), plan content + attribute changes with diffs, write atomically or fix attributes.
import Type from 'typebox';
import type { FileStat } from '../../engine/contract/connection.js';
import type { ApplyResult, DiffItem, HostContext, Plan } from '../../engine/contract/module.js';
import { shQuote } from '../../engine/connection/quote.js';
import { contentDiff, sha1 } from './content.js';
import { type AttrArgs, AttrProperties, type AttrWant, applyAttrs, attrChanges, attrResult, wantedAttrs } from './file-attrs.js';
import { parseStatFact, statFactCommand } from './stat-fact.js';

/** The arguments copy and template share after their source: mode/owner/group, backup, force. */
export const DestProperties = {
  ...AttrProperties,
  backup: Type.Optional(Type.Boolean({ description: 'Keep a timestamped copy of the old file when it changes.' })),
  force: Type.Optional(Type.Boolean({ description: 'Replace a file whose content differs (default true); false = only create.' })),
};

export interface DestArgs extends AttrArgs {
  dest: string;
  backup?: boolean;
  force?: boolean;
}

export interface DestCurrent {
  /** Final path (a directory dest resolved to dest/basename). */
  dest: string;
  desired: Buffer;
  stat?: FileStat;
  /** Current content, when it was fetched (small files); else only its checksum. */
  data?: Buffer;
  checksum?: string;
  /** dest ended in '/': its directory may have to be created. */
  makeDir?: string;
  error?: string;
}

export type DestChange =
  | { kind: 'content'; path: string; data: Buffer; want: AttrWant; backup: boolean; /** create this directory first */ makeDir?: string }
  | { kind: 'attrs'; path: string; want: AttrWant };

/** Larger content is compared by checksum on the host instead of being fetched. */
const FETCH_LIMIT = 256 * 1024;

export async function readDest(ctx: HostContext, dest: string, desired: Buffer, srcName?: string): Promise<DestCurrent> {
  if (dest.endsWith('/')) {
    if (!srcName) return { dest, desired, error: `can not use content with a dir as dest (${dest})` };
    const path = dest + srcName;
    return { ...(await readOne(ctx, path, desired)), makeDir: dest.replace(/\/+$/, '') || '/' };
  }
  const first = await readOne(ctx, dest, desired);
  if (first.stat?.type !== 'directory') return first;
  if (!srcName) return { dest, desired, error: `can not use content with a dir as dest (${dest})` };
  return readOne(ctx, `${dest.replace(/\/+$/, '')}/${srcName}`, desired);
}

async function readOne(ctx: HostContext, path: string, desired: Buffer): Promise<DestCurrent> {
  if (desired.length <= FETCH_LIMIT) {
    const got = await ctx.readFile(path);
    if (!got) return { dest: path, desired };
    return { dest: path, desired, stat: got.stat, data: got.data, checksum: got.stat.type === 'directory' ? undefined : sha1(got.data) };
  }
  const r = await ctx.run(statFactCommand(path, { follow: true, checksum: 'sha1' }));
  if (r.rc !== 0) throw new Error(`cannot stat ${path}: ${r.stderr.trim()}`);
  const st = parseStatFact(r.stdout, path);
  if (st.exists !== true) return { dest: path, desired };
  const stat: FileStat = {
    exists: true,
    type: st.isdir ? 'directory' : st.isreg ? 'file' : 'other',
    mode: parseInt(String(st.mode), 8),
    uid: st.uid as number,
    gid: st.gid as number,
    owner: st.pw_name as string,
    group: st.gr_name as string,
    size: st.size as number,
  };
  return { dest: path, desired, stat, checksum: st.checksum as string | undefined };
}

export function planDest(args: DestArgs, cur: DestCurrent): Plan<DestChange> {
  if (cur.error) return { changes: [], failed: cur.error };
  if (cur.stat && cur.stat.type !== 'file') {
    return { changes: [], failed: `dest ${cur.dest} exists and is not a regular file (${cur.stat.type})` };
  }
  let want: AttrWant;
  try {
    want = wantedAttrs(args, cur.stat, false);
  } catch (e) {
    return { changes: [], failed: (e as Error).message };
  }
  const checksum = sha1(cur.desired);
  const result: Record<string, unknown> = { dest: cur.dest, checksum, size: cur.desired.length };
  if (cur.stat && args.force === false) {
    return { changes: [], reason: `${cur.dest} exists and force is false`, result: { ...result, checksum: cur.checksum } };
  }
  const fields = attrChanges(want, cur.stat);
  const contentSame = cur.stat !== undefined && cur.checksum === checksum;
  const diff: DiffItem[] = [];
  if (!contentSame) diff.push(contentDiff(cur.dest, cur.stat ? cur.data ?? Buffer.alloc(0) : undefined, cur.desired));
  if (cur.stat && fields.length > 0) diff.push({ kind: 'fields', label: cur.dest, fields });
  const final = { ...result, ...attrResult(cur.stat, want), state: 'file' };
  if (contentSame && fields.length === 0) {
    return { changes: [], reason: `${cur.dest} already has this content${describeAttrs(want)}`, result: final };
  }
  const changes: DestChange[] = contentSame
    ? [{ kind: 'attrs', path: cur.dest, want }]
    : [
        {
          kind: 'content',
          path: cur.dest,
          data: cur.desired,
          want,
          backup: args.backup === true && cur.stat !== undefined,
          ...(cur.makeDir && !cur.stat ? { makeDir: cur.makeDir } : {}),
        },
      ];
  const what = contentSame ? `set ${fields.map((f) => f.key).join('/')} of ${cur.dest}` : cur.stat ? `replace the content of ${cur.dest}` : `create ${cur.dest}`;
  return { changes, diff, reason: what, result: final };
}

function describeAttrs(want: AttrWant): string {
  const keys = Object.keys(want);
  return keys.length > 0 ? ` and ${keys.join('/')}` : '';
}

export async function applyDest(ctx: HostContext, plan: Plan<DestChange>): Promise<ApplyResult> {
  const change = plan.changes[0];
  if (!change) return { changed: false };
  if (change.kind === 'attrs') return applyAttrs(ctx, change.path, change.want, plan.result);
  if (change.makeDir) {
    const r = await ctx.run(`mkdir -p -- ${shQuote(change.makeDir)}`);
    if (r.rc !== 0) return { failed: `cannot create ${change.makeDir}: ${r.stderr.trim()}` };
  }
  const w = await ctx.writeFile(change.path, change.data, {
    mode: change.want.mode,
    owner: change.want.owner,
    group: change.want.group,
    backup: change.backup,
  });
  const result: Record<string, unknown> = { ...plan.result };
  if (w.backupPath) result.backup_file = w.backupPath;
  return { result };
}
