// blockinfile: keeps a block of lines between two marker lines in a text file, placed and replaced by
// Ansible's rules (editBlock). One read, one atomic write; check mode shows the text diff.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { AttrProperties } from './lib/file-attrs.js';
import { compilePyRegex, toBytes } from './lib/py-regex.js';
import { type TextChange, type TextCurrent, applyTextEdit, planTextEdit, readText, textFileProblem, EDIT_PATH_ARGS, editPath } from './lib/text-edit.js';

const str = (description: string) => Type.Optional(Type.String({ description }));
const bool = (description: string) => Type.Optional(Type.Boolean({ description }));
const schema = Type.Object(
  {
    ...EDIT_PATH_ARGS,
    block: str('The text between the markers; missing or empty removes the block, as state: absent does.'),
    content: str('Alias of block.'),
    marker: str("The marker line template; {mark} becomes marker_begin / marker_end. Default '# {mark} ANSIBLE MANAGED BLOCK'."),
    marker_begin: str("What {mark} becomes in the first marker line (default 'BEGIN')."),
    marker_end: str("What {mark} becomes in the last marker line (default 'END')."),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { description: 'present (default) or absent.' })),
    insertafter: str("Without existing markers: put the block after the LAST line matching this regexp, or 'EOF' (default); no match means EOF."),
    insertbefore: str("Without existing markers: put the block before the LAST line matching this regexp, or 'BOF'; no match means EOF."),
    prepend_newline: bool('Put a blank line before the block unless it is at the start of the file or follows a blank line.'),
    append_newline: bool('Put a blank line after the block unless it ends the file or a blank line follows.'),
    create: bool('Create the file (and its directory) when missing.'),
    backup: bool('Keep a timestamped copy of the old file when it changes.'),
    validate: str("A command run on the new text before it replaces the file; '%s' is the path of the copy it checks."),
    ...AttrProperties,
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export interface BlockSpec {
  block: string;
  present: boolean;
  marker: string;
  markerBegin: string;
  markerEnd: string;
  insertafter?: string;
  insertbefore?: string;
  prependNewline?: boolean;
  appendNewline?: boolean;
}

/** Python's bytes.splitlines(keepends=True): \n, \r\n and \r end a line. */
const splitKeep = (s: string): string[] => s.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
const strip = (l: string) => l.replace(/\r?\n$/, '');
const lastIndex = (xs: string[], ok: (x: string) => boolean): number => {
  for (let i = xs.length - 1; i >= 0; i--) if (ok(xs[i]!)) return i;
  return -1;
};

/**
 * The new text for `content` (a byte string; null = the file is missing), by Ansible's algorithm:
 * an existing block (both markers) is replaced where it stands; otherwise the block goes before/after
 * the last line matching insertbefore/insertafter, at BOF/EOF, or at EOF when the regexp matches nothing.
 */
export function editBlock(content: string | null, spec: BlockSpec): { content: string; msg: string } {
  const lines = splitKeep(content ?? '');
  const begin = spec.marker.replaceAll('{mark}', spec.markerBegin);
  const end = spec.marker.replaceAll('{mark}', spec.markerEnd);
  const present = spec.present && spec.block !== '';
  const blockLines = present ? [begin, ...splitKeep(spec.block).map((l) => l.replace(/\r?\n$|\r$/, '')), end].map((l) => `${l}\n`) : [];
  let n0 = lastIndex(lines, (l) => strip(l) === begin);
  const n1 = lastIndex(lines, (l) => strip(l) === end);
  if (n0 < 0 || n1 < 0) {
    const where = spec.insertbefore ?? spec.insertafter ?? 'EOF';
    if (spec.insertbefore === 'BOF') n0 = 0;
    else if (where === 'EOF') n0 = lines.length;
    else {
      const re = compilePyRegex(where);
      // Python's `$` also matches before a line's final \n; JavaScript's needs the \n gone.
      n0 = lastIndex(lines, (l) => re.test(l.endsWith('\n') ? l.slice(0, -1) : l));
      if (n0 < 0) n0 = lines.length;
      else if (spec.insertbefore === undefined) n0 += 1;
    }
  } else if (n0 < n1) lines.splice(n0, n1 - n0 + 1);
  else {
    lines.splice(n1, n0 - n1 + 1);
    n0 = n1;
  }
  // The line before the block must end with a newline.
  if (n0 > 0 && !lines[n0 - 1]!.endsWith('\n')) lines[n0 - 1] += '\n';
  if (spec.prependNewline && present && n0 !== 0 && lines[n0 - 1] !== '\n') lines.splice(n0++, 0, '\n');
  lines.splice(n0, 0, ...blockLines);
  const after = n0 + blockLines.length;
  if (spec.appendNewline && present && after < lines.length && lines[after] !== '\n') lines.splice(after, 0, '\n');
  const next = lines.join('');
  if (content === next) return { content: next, msg: '' };
  if (content === null) return { content: next, msg: 'File created' };
  return { content: next, msg: blockLines.length === 0 ? 'Block removed' : 'Block inserted' };
}

const pathOf = editPath;

export function blockSpec(a: Args): BlockSpec {
  return {
    block: toBytes(a.block ?? a.content ?? ''),
    present: (a.state ?? 'present') === 'present',
    marker: toBytes(a.marker ?? '# {mark} ANSIBLE MANAGED BLOCK'),
    markerBegin: toBytes(a.marker_begin ?? 'BEGIN'),
    markerEnd: toBytes(a.marker_end ?? 'END'),
    insertafter: a.insertafter,
    insertbefore: a.insertbefore,
    prependNewline: a.prepend_newline,
    appendNewline: a.append_newline,
  };
}

export const blockinfile: Module<Args, TextCurrent, TextChange> = {
  meta: {
    name: 'blockinfile',
    description: 'Insert, update or remove a block of lines surrounded by marker lines in a text file, as Ansible does.',
    platforms: ['linux'],
    checkMode: 'full',
    readAhead: true,
    collections: ['ansible.builtin'],
    example:
      "blockinfile:\n  path: /etc/security/limits.d/90-hpc.conf\n  create: true\n  marker: '# {mark} HPC LIMITS'\n  block: |\n    * soft memlock unlimited\n    * hard memlock unlimited",
    returns: {
      msg: "What was done: 'Block inserted', 'Block removed', 'File created', or '' when nothing changed.",
      backup: 'The backup file, or an empty string.',
      backup_file: 'The backup made, when backup: true and the file changed.',
    },
  },
  schema,
  read: (ctx, args) => readText(ctx, pathOf(args)),
  plan(args, cur) {
    if (!pathOf(args)) return { changes: [], failed: 'path is required' };
    if (args.insertafter !== undefined && args.insertbefore !== undefined) {
      return { changes: [], failed: 'parameters are mutually exclusive: insertafter|insertbefore' };
    }
    const problem = textFileProblem(pathOf(args), cur, args.create === true);
    if (problem) return { changes: [], failed: problem };
    let edit: { content: string; msg: string };
    try {
      edit = editBlock(cur.content, blockSpec(args));
    } catch (e) {
      return { changes: [], failed: (e as Error).message };
    }
    const okReason = blockSpec(args).block === '' || args.state === 'absent' ? `no block in ${cur.path}` : `${cur.path} already has the block`;
    return planTextEdit(cur, args, { ...edit, okReason });
  },
  apply: applyTextEdit,
};
