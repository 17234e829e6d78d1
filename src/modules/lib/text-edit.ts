// The shared half of the modules that rewrite a text file in place (blockinfile, replace): read the
// file as a byte string, turn a computed new text plus mode/owner/group into one plan, and write it
// atomically (temp file + rename through ctx, optional timestamped backup).
import { posix } from 'node:path';
import Type from 'typebox';
import type { FileStat } from '../../engine/contract/connection.js';
import type { ApplyResult, DiffItem, HostContext, Plan } from '../../engine/contract/module.js';
import { shQuote } from '../../engine/connection/quote.js';
import { type AttrArgs, type AttrWant, applyAttrs, attrChanges, attrResult, wantedAttrs } from './file-attrs.js';
import { fromBytes } from './py-regex.js';

const optionalText = (description: string) => Type.Optional(Type.String({ description }));

/** The file a text-editing module (lineinfile, blockinfile, replace) edits, under Ansible's aliases. */
export const EDIT_PATH_ARGS = {
  path: optionalText('The file to edit (aliases: dest, destfile, name).'),
  dest: optionalText('Alias of path.'),
  destfile: optionalText('Alias of path.'),
  name: optionalText('Alias of path.'),
};

export const editPath = (a: { path?: string; dest?: string; destfile?: string; name?: string }): string => a.path ?? a.dest ?? a.destfile ?? a.name ?? '';

export interface TextCurrent {
  path: string;
  /** File content as a byte string (one latin1 char per byte); null when absent. */
  content: string | null;
  stat?: FileStat;
}

export type TextChange =
  | { kind: 'write'; path: string; content: string; want: AttrWant; mkdir: boolean; backup: boolean; validate?: string }
  | { kind: 'attrs'; path: string; want: AttrWant };

export async function readText(ctx: HostContext, path: string): Promise<TextCurrent> {
  const got = path ? await ctx.readFile(path) : null;
  if (!got) return { path, content: null };
  return { path, content: got.stat.type === 'directory' ? '' : got.data.toString('latin1'), stat: got.stat };
}

export interface TextEdit {
  /** The new content (byte string); equal to the old one when nothing changes. */
  content: string;
  msg: string;
  /** Why nothing changes, when the text is already right. */
  okReason: string;
  /** Fields added to the result record. */
  result?: Record<string, unknown>;
}

/** Ansible's refusals before a text file is edited: no path, a directory, a missing file (unless created). */
export function textFileProblem(path: string, cur: TextCurrent, mayCreate: boolean): string | undefined {
  if (!path) return 'path is required';
  if (cur.stat?.type === 'directory') return `Path ${cur.path} is a directory !`;
  if (cur.content === null && !mayCreate) return `Path ${cur.path} does not exist !`;
  return undefined;
}

/** One plan from the old and new text plus the wanted attributes. */
export function planTextEdit(cur: TextCurrent, args: AttrArgs & { backup?: boolean; validate?: string }, edit: TextEdit): Plan<TextChange> {
  if (args.validate !== undefined && !args.validate.includes('%s')) return { changes: [], failed: `validate must contain %s: ${args.validate}` };
  let want: AttrWant;
  try {
    want = wantedAttrs(args, cur.stat, false);
  } catch (e) {
    return { changes: [], failed: (e as Error).message };
  }
  const exists = cur.content !== null;
  const textChanged = edit.content !== (cur.content ?? '') || (!exists && edit.msg === 'File created');
  // A file that is about to be created gets its attributes with the write.
  const attrs = exists ? attrChanges(want, cur.stat) : [];
  const diff: DiffItem[] = [];
  const changes: TextChange[] = [];
  if (textChanged) {
    diff.push({ kind: 'text', path: cur.path, before: fromBytes(cur.content ?? ''), after: fromBytes(edit.content) });
    changes.push({ kind: 'write', path: cur.path, content: edit.content, want, mkdir: !exists, backup: args.backup === true && exists, ...(args.validate ? { validate: args.validate } : {}) });
  } else if (attrs.length > 0) changes.push({ kind: 'attrs', path: cur.path, want });
  if (attrs.length > 0) diff.push({ kind: 'fields', label: `${cur.path} (file attributes)`, fields: attrs });
  const msg = [textChanged ? edit.msg : '', attrs.length > 0 ? 'ownership, perms or SE linux context changed' : ''].filter(Boolean).join(' and ');
  const result: Record<string, unknown> = { msg, backup: '', ...edit.result };
  if (exists) Object.assign(result, attrResult(cur.stat, want));
  if (changes.length === 0) return { changes, reason: edit.okReason, result };
  const action = changes[0]!.kind === 'write' ? `edit ${cur.path} (${msg})` : `set ${attrs.map((f) => f.key).join('/')} of ${cur.path}`;
  return { changes, diff, reason: action, result };
}

export async function applyTextEdit(ctx: HostContext, plan: Plan<TextChange>): Promise<ApplyResult> {
  const change = plan.changes[0];
  if (!change) return { changed: false };
  if (change.kind === 'attrs') return applyAttrs(ctx, change.path, change.want, plan.result);
  if (change.mkdir) {
    // create: true also makes the missing directory, as Ansible does.
    const dir = posix.dirname(change.path);
    const r = await ctx.run(`[ -d ${shQuote(dir)} ] || mkdir -p -- ${shQuote(dir)}`);
    if (r.rc !== 0) return { failed: `Error creating ${dir} (${r.stderr.trim()})` };
  }
  const data = Buffer.from(change.content, 'latin1');
  if (change.validate) {
    const failed = await validateText(ctx, change.path, data, change.validate);
    if (failed) return { failed };
  }
  const w = await ctx.writeFile(change.path, data, {
    mode: change.want.mode,
    owner: change.want.owner,
    group: change.want.group,
    backup: change.backup,
  });
  return { result: { ...plan.result, backup: w.backupPath ?? '', ...(w.backupPath ? { backup_file: w.backupPath } : {}) } };
}

/**
 * Runs the validate command on a copy of the new text beside the target (so relative includes
 * resolve as they will), and removes the copy; the target is only replaced when it passes.
 */
async function validateText(ctx: HostContext, path: string, data: Buffer, validate: string): Promise<string | undefined> {
  const tmp = posix.join(posix.dirname(path), `.${posix.basename(path)}.${process.pid}.${Date.now()}.validate`);
  await ctx.writeFile(tmp, data, { mode: 0o600 });
  try {
    const r = await ctx.run(validate.replaceAll('%s', shQuote(tmp)));
    if (r.rc !== 0) return `failed to validate: rc:${r.rc} error:${r.stderr.trim()}`;
    return undefined;
  } finally {
    await ctx.run(`rm -f -- ${shQuote(tmp)}`);
  }
}
