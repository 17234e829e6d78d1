// replace: every match of a Python regexp (multiline) in a text file replaced, optionally only in the
// section after/before other patterns, by Ansible's rules (replaceText). One read, one atomic write;
// check mode shows the text diff.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { pyRegex, pyReplacement } from '../engine/template/regex.js';
import { AttrProperties } from './lib/file-attrs.js';
import { fromBytes, toBytes } from './lib/py-regex.js';
import { type TextChange, type TextCurrent, applyTextEdit, planTextEdit, readText, textFileProblem, EDIT_PATH_ARGS, editPath } from './lib/text-edit.js';

const str = (description: string) => Type.Optional(Type.String({ description }));
const schema = Type.Object(
  {
    ...EDIT_PATH_ARGS,
    regexp: Type.String({ description: 'Python regular expression, matched with MULTILINE (^ and $ per line); every match is replaced.' }),
    replace: str("The replacement; \\1 and \\g<name> insert groups of the match. Default '' (remove the matches)."),
    after: str('Only replace in the text after the first match of this Python regexp (DOTALL).'),
    before: str('Only replace in the text before the last match of this Python regexp (DOTALL); with after, between the two.'),
    validate: str("A command run on the new text before it replaces the file; '%s' is the path of the copy it checks."),
    backup: Type.Optional(Type.Boolean({ description: 'Keep a timestamped copy of the old file when it changes.' })),
    ...AttrProperties,
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export interface ReplaceSpec {
  regexp: string;
  replace: string;
  after?: string;
  before?: string;
}

/**
 * Python's meaning of `.`, `^` and `$`, which JavaScript widens to \r and U+2028/9 (so a CRLF line
 * would match `...$` where Ansible does not): `.` excludes only \n, `^`/`$` sit only at \n or the
 * ends (multiline), or at the start / end-or-before-a-final-\n (otherwise).
 */
export function pythonAnchors(pattern: string, multiline: boolean): string {
  const lead = /^\(\?([aiLmsux]+)\)/.exec(pattern);
  const dotall = lead?.[1]!.includes('s') ?? false;
  const ml = multiline || (lead?.[1]!.includes('m') ?? false);
  let out = lead?.[0] ?? '';
  for (let i = out.length; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
    } else if (c === '[') {
      // Copy the class as is, except a leading ']' (after an optional '^'): a literal in Python,
      // JavaScript needs it escaped.
      let j = i + 1;
      if (pattern[j] === '^') j++;
      const head = pattern.slice(i, j);
      if (pattern[j] === ']') j++;
      const lit = j > i + head.length ? '\\]' : '';
      const from = j;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      out += head + lit + pattern.slice(from, j + 1);
      i = j;
    } else if (c === '.') out += dotall ? '[\\s\\S]' : '[^\\n]';
    else if (c === '^') out += ml ? '(?<![^\\n])' : '(?<![\\s\\S])';
    else if (c === '$') out += ml ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))';
    else out += c;
  }
  return out;
}

/** The section replace works on: [start, end) of the text, as Ansible's `subsection` group finds it. */
function section(text: string, spec: ReplaceSpec): [number, number] {
  const { after, before } = spec;
  if (after === undefined && before === undefined) return [0, text.length];
  const pattern =
    after !== undefined && before !== undefined
      ? `(?s)(?P<fpPre>${after})(?P<fpSub>.*?)${before}`
      : after !== undefined
        ? `(?s)(?P<fpPre>${after})(?P<fpSub>.*)`
        : `(?s)(?P<fpPre>)(?P<fpSub>.*)${before}`;
  const m = pyRegex(pythonAnchors(pattern, false)).exec(text);
  if (!m?.groups) return [0, text.length];
  const start = m.index + m.groups.fpPre!.length;
  return [start, start + m.groups.fpSub!.length];
}

/** The new text and how many matches were replaced (Python's re.subn on the section). */
export function replaceText(text: string, spec: ReplaceSpec): { content: string; count: number } {
  const [start, end] = section(text, spec);
  const part = text.slice(start, end);
  const re = pyRegex(pythonAnchors(spec.regexp, true), { global: true });
  const expand = pyReplacement(spec.replace);
  let count = 0;
  const replaced = part.replace(re, (...a: unknown[]) => {
    count++;
    return expand(...(a as [string, ...unknown[]]));
  });
  if (count === 0 || replaced === part) return { content: text, count: 0 };
  return { content: text.slice(0, start) + replaced + text.slice(end), count };
}

const pathOf = editPath;

export const replace: Module<Args, TextCurrent, TextChange> = {
  meta: {
    name: 'replace',
    description: 'Replace every match of a Python regular expression in a text file, optionally only after/before other patterns, as Ansible does.',
    platforms: ['linux'],
    checkMode: 'full',
    readAhead: true,
    collections: ['ansible.builtin'],
    example: "replace:\n  path: /etc/default/grub\n  regexp: '^(GRUB_CMDLINE_LINUX=\"[^\"]*)\"$'\n  replace: '\\1 intel_iommu=on\"'",
    returns: {
      msg: "'N replacements made', or '' when nothing matched.",
      backup: 'The backup file, or an empty string.',
      backup_file: 'The backup made, when backup: true and the file changed.',
    },
  },
  schema,
  read: (ctx, args) => readText(ctx, pathOf(args)),
  plan(args, cur) {
    const problem = textFileProblem(pathOf(args), cur, false);
    if (problem || cur.content === null) return { changes: [], failed: problem ?? `Path ${cur.path} does not exist !` };
    const text = fromBytes(cur.content);
    // The file is edited as UTF-8 text (Ansible's default encoding); other bytes would not survive.
    if (toBytes(text) !== cur.content) return { changes: [], failed: `${cur.path} is not valid UTF-8 text` };
    let r: { content: string; count: number };
    try {
      r = replaceText(text, { regexp: args.regexp, replace: args.replace ?? '', after: args.after, before: args.before });
    } catch (e) {
      return { changes: [], failed: (e as Error).message };
    }
    const msg = r.count > 0 ? `${r.count} replacements made` : '';
    return planTextEdit(cur, args, { content: toBytes(r.content), msg, okReason: `no match of the regexp in ${cur.path}` });
  },
  apply: applyTextEdit,
};
