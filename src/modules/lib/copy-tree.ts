// copy of a directory: read both trees, plan entry by entry (create missing directories, write files
// whose content differs, fix attributes), apply with one command for the directories, one atomic write
// per controller file (or one host-side script for remote_src), and one for attributes.
// Files under dest that the source does not have are left alone, as Ansible leaves them.
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import type { ApplyResult, DiffItem, HostContext, Plan } from '../../engine/contract/module.js';
import { installFileOp, uploadTempPath } from '../../engine/connection/posix-files.js';
import { shQuote } from '../../engine/connection/quote.js';
import { contentDiff } from './content.js';
import { type AttrArgs, type AttrWant, attrChanges, attrCommand, wantedAttrs } from './file-attrs.js';
import { type ModeArg, resolveMode } from './mode.js';
import { type HostEntry, type HostTree, type SrcEntry, listHostTrees, remoteSource, walkController } from './copy-tree-read.js';

export interface TreeArgs extends AttrArgs {
  src: string;
  dest: string;
  directory_mode?: ModeArg;
  backup?: boolean;
  force?: boolean;
}

export interface TreeCurrent {
  kind: 'tree';
  /** Where the source's root lands: dest itself (src ends in '/') or dest/<basename of src>. */
  root: string;
  /** dest, when the source directory itself goes inside it (no trailing slash on src). */
  container?: string;
  containerState?: HostTree['state'];
  /** The container's own attributes, when it exists. */
  containerEntry?: HostEntry;
  /** remote_src: the source directory on the host. */
  remoteRoot?: string;
  source: SrcEntry[];
  host: HostTree;
  /** Current and source content of small differing files, for --diff. */
  before: Record<string, Buffer>;
  after: Record<string, Buffer>;
}

export type TreeChange =
  | { kind: 'tree-dir'; path: string; want: AttrWant }
  | { kind: 'tree-file'; path: string; want: AttrWant; backup: boolean; data?: Buffer; from?: string }
  | { kind: 'tree-attrs'; path: string; want: AttrWant };

/** Up to this many differing files of up to DIFF_BYTES each are fetched to show their diff. */
const DIFF_FILES = 16;
const DIFF_BYTES = 64 * 1024;

const under = (root: string, rel: string) => (rel === '' ? root : root === '/' ? `/${rel}` : `${root}/${rel}`);

/** src is the controller path (resolved) or, for remote_src, the host path; `given` is src as written. */
export async function readTree(ctx: HostContext, given: string, src: string, dest: string, remote: boolean): Promise<TreeCurrent> {
  const destDir = dest.replace(/\/+$/, '') || '/';
  const keepsRoot = !given.endsWith('/');
  const root = keepsRoot ? under(destDir, basename(src.replace(/\/+$/, ''))) : destDir;
  const container = keepsRoot ? destDir : undefined;
  const srcRoot = src.replace(/\/+$/, '') || '/';
  const wanted = [...(remote ? [{ path: srcRoot, deep: true }] : []), { path: root, deep: true }, ...(container ? [{ path: container, deep: false }] : [])];
  const source = remote ? undefined : await walkController(src);
  const trees = await listHostTrees(ctx, wanted);
  const host = trees[remote ? 1 : 0]!;
  const cur: TreeCurrent = {
    kind: 'tree',
    root,
    ...(container ? { container, containerState: trees[trees.length - 1]!.state, containerEntry: trees[trees.length - 1]!.entries.get('') } : {}),
    ...(remote ? { remoteRoot: srcRoot } : {}),
    source: source ?? remoteSource(trees[0]!),
    host,
    before: {},
    after: {},
  };
  let fetched = 0;
  for (const e of cur.source) {
    if (e.dir || fetched >= DIFF_FILES || (e.size ?? 0) > DIFF_BYTES) continue;
    const h = host.entries.get(e.rel);
    if (h?.sha1 === e.sha1) continue;
    if (h?.type === 'file' && h.size <= DIFF_BYTES) {
      const got = await ctx.readFile(under(root, e.rel));
      if (got) cur.before[e.rel] = got.data;
    }
    if (remote) {
      const got = await ctx.readFile(under(srcRoot, e.rel));
      if (got) cur.after[e.rel] = got.data;
    }
    fetched++;
  }
  return cur;
}

export function planTree(args: TreeArgs, cur: TreeCurrent, remote: boolean): Plan<TreeChange> {
  const notDir = (p: string) => ({ changes: [], failed: `dest ${p} exists and is not a directory` });
  if (cur.containerState === 'other') return notDir(cur.container!);
  if (cur.host.state === 'other') return notDir(cur.root);
  let dirWant: AttrWant;
  let fileWant: AttrWant;
  try {
    dirWant = args.directory_mode === undefined ? {} : { mode: resolveMode(args.directory_mode, undefined, true) };
    if (!remote) {
      if (args.owner !== undefined) dirWant.owner = String(args.owner);
      if (args.group !== undefined) dirWant.group = String(args.group);
    }
    fileWant = remote ? {} : wantedAttrs(args, undefined, false);
  } catch (e) {
    return { changes: [], failed: (e as Error).message };
  }
  const changes: TreeChange[] = [];
  const diff: DiffItem[] = [];
  const newDir = (path: string, want: AttrWant) => {
    changes.push({ kind: 'tree-dir', path, want });
    diff.push({ kind: 'fields', label: path, fields: [{ key: 'state', before: 'absent', after: 'directory' }] });
  };
  if (cur.containerState === 'missing') newDir(cur.container!, dirWant);
  let kept = 0;
  for (const e of cur.source) {
    const path = under(cur.root, e.rel);
    const h = cur.host.entries.get(e.rel);
    if (e.dir) {
      if (!h) newDir(path, remote && e.rel !== '' ? { mode: e.mode } : dirWant);
      else if (h.type !== 'directory') return notDir(path);
      continue;
    }
    if (h && h.type !== 'file') return { changes: [], failed: `dest ${path} exists and is not a regular file (${h.type})` };
    let want: AttrWant;
    try {
      want = remote ? { mode: e.mode } : wantedAttrs(args, h && hostStat(h), false);
    } catch (err) {
      return { changes: [], failed: (err as Error).message };
    }
    if (h && h.sha1 === e.sha1) {
      const fields = attrChanges(want, hostStat(h));
      if (fields.length === 0) continue;
      changes.push({ kind: 'tree-attrs', path, want });
      diff.push({ kind: 'fields', label: path, fields });
      continue;
    }
    if (h && args.force === false) {
      kept++;
      continue;
    }
    const from = cur.remoteRoot !== undefined ? under(cur.remoteRoot, e.rel) : undefined;
    changes.push({ kind: 'tree-file', path, want, backup: args.backup === true && h !== undefined, ...(from ? { from } : { data: e.data }) });
    diff.push(fileDiff(path, h && (cur.before[e.rel] ?? h.sha1), e.data ?? cur.after[e.rel] ?? e.sha1 ?? ''));
  }
  // remote_src: mode/owner/group are for dest itself (the copied entries keep their own modes).
  if (remote) {
    const top = cur.container ?? cur.root;
    const topHost = cur.container ? cur.containerEntry : cur.host.entries.get('');
    let want: AttrWant;
    try {
      want = wantedAttrs(args, topHost && hostStat(topHost), true);
    } catch (err) {
      return { changes: [], failed: (err as Error).message };
    }
    const fields = attrChanges(want, topHost && hostStat(topHost));
    if (fields.length > 0) {
      changes.push({ kind: 'tree-attrs', path: top, want });
      if (topHost) diff.push({ kind: 'fields', label: top, fields });
    }
  }
  const result = { dest: args.dest, src: args.src };
  const files = cur.source.filter((e) => !e.dir).length;
  if (changes.length === 0) {
    const why = kept > 0 ? ` (${kept} differing kept: force is false)` : '';
    return { changes, reason: `${cur.root} already holds the ${files} files of ${args.src}${why}`, result };
  }
  const n = (k: TreeChange['kind']) => changes.filter((c) => c.kind === k).length;
  return {
    changes,
    diff,
    reason: `under ${cur.root}: create ${n('tree-dir')} directories, write ${n('tree-file')} files, fix attributes of ${n('tree-attrs')}`,
    result,
  };
}

function hostStat(h: { mode: number; uid: number; gid: number; owner: string; group: string }) {
  return { exists: true, mode: h.mode, uid: h.uid, gid: h.gid, owner: h.owner, group: h.group };
}

/** before: the current bytes, or only their sha1 when not fetched; undefined = absent. */
function fileDiff(path: string, before: Buffer | string | undefined, after: Buffer | string): DiffItem {
  if ((before === undefined || Buffer.isBuffer(before)) && Buffer.isBuffer(after)) return contentDiff(path, before, after);
  const show = (v: Buffer | string | undefined) => (v === undefined ? '(absent)' : typeof v === 'string' ? `(sha1 ${v})` : contentSummary(v));
  return { kind: 'fields', label: path, fields: [{ key: 'content', before: show(before), after: show(after) }] };
}

function contentSummary(b: Buffer): string {
  const d = contentDiff('', undefined, b);
  return d.kind === 'fields' ? String(d.fields[0]!.after) : `(${b.length} bytes)`;
}

export async function applyTree(ctx: HostContext, plan: Plan<TreeChange>): Promise<ApplyResult> {
  const dirs = plan.changes.filter((c) => c.kind === 'tree-dir');
  if (dirs.length > 0) {
    // In order, parents first; a directory gets its mode only when one was asked for (else umask).
    const script = dirs.map((d) => [`mkdir -p -- ${shQuote(d.path)}`, attrCommand(d.path, d.want)].filter(Boolean).join(' && '));
    const r = await ctx.run(script.join(' &&\n'));
    if (r.rc !== 0) return { failed: `cannot create directories: ${r.stderr.trim()}` };
  }
  const backups: string[] = [];
  const remote: string[] = [];
  for (const c of plan.changes) {
    if (c.kind !== 'tree-file') continue;
    const opts = { mode: c.want.mode, owner: c.want.owner, group: c.want.group, backup: c.backup };
    if (c.from === undefined) {
      const w = await ctx.writeFile(c.path, c.data ?? Buffer.alloc(0), opts);
      if (w.backupPath) backups.push(w.backupPath);
      continue;
    }
    // Copied on the host next to its destination, then installed like any atomic write.
    const tmp = uploadTempPath(c.path, randomBytes(6).toString('hex'));
    remote.push(`( trap 'rm -f -- ${shQuote(tmp)}' EXIT\ncp -- ${shQuote(c.from)} ${shQuote(tmp)} || exit 1\n${installFileOp(tmp, c.path, opts).command}\n) || exit 1`);
  }
  if (remote.length > 0) {
    const r = await ctx.run(remote.join('\n'));
    if (r.rc !== 0) return { failed: `cannot copy on the host: ${r.stderr.trim()}` };
    for (const l of r.stdout.split('\n')) if (l.startsWith('@fleetplay:backup ')) backups.push(l.slice('@fleetplay:backup '.length));
  }
  const attrs = plan.changes.filter((c) => c.kind === 'tree-attrs').map((c) => attrCommand(c.path, c.want));
  if (attrs.length > 0) {
    const r = await ctx.run(attrs.join(' &&\n'));
    if (r.rc !== 0) return { failed: `cannot set attributes: ${r.stderr.trim()}` };
  }
  return { result: { ...plan.result, ...(backups.length > 0 ? { backup_files: backups } : {}) } };
}
