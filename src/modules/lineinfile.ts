// lineinfile: makes sure one line is (or is not) in a text file, with Ansible's exact rules (see
// lib/line-edit.ts). One read, one atomic write; check mode shows the text diff.
import Type, { type Static } from 'typebox';
import type { FileStat } from '../engine/contract/connection.js';
import type { DiffItem, Module } from '../engine/contract/module.js';
import { AttrProperties, type AttrWant, attrChanges, attrResult, wantedAttrs } from './lib/file-attrs.js';
import { applyTextEdit, type TextChange, EDIT_PATH_ARGS, editPath } from './lib/text-edit.js';
import { type LineSpec, editLines } from './lib/line-edit.js';
import { fromBytes } from './lib/py-regex.js';

const str = (description: string) => Type.Optional(Type.String({ description }));
const schema = Type.Object(
  {
    ...EDIT_PATH_ARGS,
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { description: 'present (default) or absent.' })),
    regexp: str('Python regular expression: the LAST matching line is replaced (present) or every matching line removed (absent).'),
    regex: str('Alias of regexp.'),
    search_string: str('Literal text instead of regexp.'),
    line: str('The line to put in the file (present) or remove (absent, when no regexp/search_string).'),
    value: str('Alias of line.'),
    insertafter: str("Without a regexp match: insert after the LAST line matching this regexp, or 'EOF' (default) / 'BOF'."),
    insertbefore: str("Without a regexp match: insert before the LAST line matching this regexp, or 'BOF'."),
    firstmatch: Type.Optional(Type.Boolean({ description: 'Use the FIRST match of regexp/insertafter/insertbefore instead of the last.' })),
    backrefs: Type.Optional(Type.Boolean({ description: "Expand \\1 / \\g<name> in line from the regexp match; never inserts when nothing matches." })),
    create: Type.Optional(Type.Boolean({ description: 'Create the file (and its directory) when missing.' })),
    backup: Type.Optional(Type.Boolean({ description: 'Keep a timestamped copy of the old file when it changes.' })),
    ...AttrProperties,
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

interface Current {
  path: string;
  /** File content as a byte string; null when absent. */
  content: string | null;
  stat?: FileStat;
}

type Change = TextChange;

const pathOf = editPath;

/** Argument rules Ansible enforces before touching the file. */
function argProblem(a: Args): string | undefined {
  if (!pathOf(a)) return 'path is required';
  const pairs: Array<[keyof Args, keyof Args]> = [
    ['insertbefore', 'insertafter'],
    ['regexp', 'search_string'],
    ['regex', 'search_string'],
    ['backrefs', 'search_string'],
  ];
  for (const [x, y] of pairs) {
    if (a[x] !== undefined && a[y] !== undefined && a[x] !== false) return `parameters are mutually exclusive: ${x}|${y}`;
  }
  return undefined;
}

export function lineSpec(a: Args): LineSpec {
  return {
    state: a.state ?? 'present',
    regexp: a.regexp ?? a.regex,
    searchString: a.search_string,
    line: a.line ?? a.value,
    insertafter: a.insertafter,
    insertbefore: a.insertbefore,
    backrefs: a.backrefs,
    firstmatch: a.firstmatch,
    create: a.create,
    path: pathOf(a),
  };
}

export const lineinfile: Module<Args, Current, Change> = {
  meta: {
    name: 'lineinfile',
    description: 'Ensure a line is present in (or absent from) a text file, with Ansible-identical matching rules.',
    platforms: ['linux'],
    checkMode: 'full',
    readAhead: true,
    example: "lineinfile:\n  path: /etc/waagent.conf\n  regexp: '^#?\\s*OS\\.EnableRDMA='\n  line: OS.EnableRDMA=y",
    returns: {
      msg: "What was done ('line added', 'line replaced', '2 line(s) removed', ...).",
      found: 'state: absent — how many lines matched.',
      backup: 'The backup file, or an empty string.',
      backup_file: 'The backup made, when backup: true and the file changed.',
    },
  },
  schema,
  async read(ctx, args) {
    const path = pathOf(args);
    const got = path ? await ctx.readFile(path) : null;
    if (!got) return { path, content: null };
    return { path, content: got.stat.type === 'directory' ? '' : got.data.toString('latin1'), stat: got.stat };
  },
  plan(args, cur) {
    const problem = argProblem(args);
    if (problem) return { changes: [], failed: problem };
    if (cur.stat?.type === 'directory') return { changes: [], failed: `Path ${cur.path} is a directory !` };
    const spec = lineSpec(args);
    const warnings: string[] = [];
    if (spec.regexp === '' || spec.searchString === '') {
      warnings.push(
        `The ${spec.regexp === '' ? 'regular expression' : 'search string'} is an empty string, which will match every line in the file.`,
      );
    }
    const edit = editLines(cur.content, spec);
    if (edit.failed) return { changes: [], failed: edit.failed, warnings };
    let want: AttrWant;
    try {
      want = wantedAttrs(args, cur.stat, false);
    } catch (e) {
      return { changes: [], failed: (e as Error).message };
    }
    const exists = cur.content !== null;
    const attrs = exists ? attrChanges(want, cur.stat) : [];
    const diff: DiffItem[] = [];
    const changes: Change[] = [];
    if (edit.changed) {
      diff.push({ kind: 'text', path: cur.path, before: fromBytes(cur.content ?? ''), after: fromBytes(edit.content) });
      changes.push({ kind: 'write', path: cur.path, content: edit.content, want, mkdir: !exists, backup: args.backup === true && exists });
    } else if (attrs.length > 0) changes.push({ kind: 'attrs', path: cur.path, want });
    if (attrs.length > 0) diff.push({ kind: 'fields', label: `${cur.path} (file attributes)`, fields: attrs });

    const msg = [edit.msg, attrs.length > 0 ? 'ownership, perms or SE linux context changed' : ''].filter(Boolean).join(' and ');
    const result: Record<string, unknown> = { msg, backup: '', ...(edit.found !== undefined ? { found: edit.found } : {}) };
    if (exists) Object.assign(result, attrResult(cur.stat, want));
    if (changes.length === 0) {
      const reason =
        edit.msg === 'file not present'
          ? `${cur.path} does not exist`
          : spec.state === 'absent'
            ? `no matching line in ${cur.path}`
            : `${cur.path} already contains the line`;
      return { changes, reason, result, warnings };
    }
    const action = changes[0]!.kind === 'write' ? `edit ${cur.path} (${msg})` : `set ${attrs.map((f) => f.key).join('/')} of ${cur.path}`;
    return { changes, diff, reason: action, result, warnings };
  },
  // The same write as blockinfile and replace: validate on a copy, then temp file + rename.
  apply: (ctx, plan) => applyTextEdit(ctx, plan),
};
