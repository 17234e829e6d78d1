// pam_limits: one `<domain> <type> <item> <value>` line of /etc/security/limits.conf (or a file in
// limits.d). Ansible's rules: the line that matches domain, type and item gets the new value (comments
// and other lines are kept as they are), a missing one is appended; use_max/use_min keep the larger or
// smaller of the two values. One read, one atomic write through the shared text edit.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { AttrProperties } from './lib/file-attrs.js';
import { type TextChange, type TextCurrent, applyTextEdit, planTextEdit, readText } from './lib/text-edit.js';

const ITEMS = [
  'core', 'data', 'fsize', 'memlock', 'nofile', 'rss', 'stack', 'cpu', 'nproc', 'as', 'maxlogins', 'maxsyslogins',
  'priority', 'locks', 'sigpending', 'msgqueue', 'nice', 'rtprio', 'chroot',
] as const;

const schema = Type.Object(
  {
    domain: Type.String({ description: "Who the limit applies to: a user, '@group', '*', a uid range." }),
    limit_type: Type.Union([Type.Literal('hard'), Type.Literal('soft'), Type.Literal('-')], { description: "hard, soft or '-' (both)." }),
    limit_item: Type.Enum([...ITEMS], { description: 'The resource, e.g. memlock or nofile.' }),
    value: Type.Union([Type.String(), Type.Integer()], { description: "A number, or 'unlimited' / 'infinity' / -1." }),
    dest: Type.Optional(Type.String({ description: 'The limits file (default /etc/security/limits.conf).' })),
    use_max: Type.Optional(Type.Boolean({ description: 'Keep the existing value when it is larger.' })),
    use_min: Type.Optional(Type.Boolean({ description: 'Keep the existing value when it is smaller.' })),
    comment: Type.Optional(Type.String({ description: 'A comment put after the line it writes.' })),
    create: Type.Optional(Type.Boolean({ description: 'Create dest when missing (default true).' })),
    backup: Type.Optional(Type.Boolean({ description: 'Keep a timestamped copy of the old file when it changes.' })),
    ...AttrProperties,
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export const DEFAULT_LIMITS = '/etc/security/limits.conf';
const UNLIMITED = new Set(['unlimited', 'infinity', '-1']);

/** Ansible's value check: an integer (negative only for priority/nice) or one of the unlimited words. */
export function valueProblem(item: string, value: string): string | undefined {
  if (UNLIMITED.has(value)) return undefined;
  if (/^-?\d+$/.test(value) && (!value.startsWith('-') || item === 'priority' || item === 'nice')) return undefined;
  return `Argument 'value' can be one of 'unlimited', 'infinity', '-1' or positive number. Refer to manual pages for more details.`;
}

/** The value use_max/use_min leave in place: unlimited beats (max) or loses to (min) any number. */
function pick(args: Args, actual: string, wanted: string): string {
  if (!args.use_max && !args.use_min) return wanted;
  const inf = (v: string) => UNLIMITED.has(v);
  if (args.use_max) {
    if (inf(actual)) return actual;
    if (inf(wanted)) return wanted;
    return Number(actual) > Number(wanted) ? actual : wanted;
  }
  if (inf(actual)) return wanted;
  if (inf(wanted)) return actual;
  return Number(actual) < Number(wanted) ? actual : wanted;
}

export interface LimitsEdit {
  content: string;
  /** The limit line as it is after the edit (Ansible's msg). */
  line: string;
}

/** Pure: the new text of a limits file with one limit set. */
export function editLimits(text: string, args: Args): LimitsEdit {
  const value = String(args.value);
  const lines = text === '' ? [] : text.split(/(?<=\n)/);
  const out: string[] = [];
  let found = false;
  let message = '';
  const comment = args.comment ? `\t#${args.comment}` : '';
  const render = (v: string) => `${args.domain}\t${args.limit_type}\t${args.limit_item}\t${v}${comment}\n`;
  for (const raw of lines) {
    const body = raw.replace(/\n$/, '');
    const stripped = body.trim();
    if (stripped === '' || stripped.startsWith('#')) {
      out.push(raw);
      continue;
    }
    const fields = stripped.split('#', 1)[0]!.trim().split(/\s+/);
    if (fields.length !== 4) {
      out.push(raw);
      continue;
    }
    const [d, t, i, actual] = fields as [string, string, string, string];
    if (d !== args.domain || t !== args.limit_type || i !== args.limit_item) {
      out.push(raw);
      continue;
    }
    found = true;
    const next = pick(args, actual, value);
    if (next === actual) {
      message = body;
      out.push(raw);
    } else {
      message = render(next).replace(/\n$/, '');
      out.push(render(next));
    }
  }
  if (!found) {
    // A last line without its newline would otherwise run into the appended limit.
    if (out.length > 0 && !out[out.length - 1]!.endsWith('\n')) out[out.length - 1] += '\n';
    message = render(value).replace(/\n$/, '');
    out.push(render(value));
  }
  return { content: out.join(''), line: message };
}

const destOf = (a: Args) => a.dest ?? DEFAULT_LIMITS;

export const pamLimits: Module<Args, TextCurrent, TextChange> = {
  meta: {
    name: 'pam_limits',
    collections: ['community.general'],
    description: 'Set a PAM resource limit (memlock, nofile, ...) for a user or group in limits.conf or limits.d.',
    platforms: ['linux'],
    checkMode: 'full',
    example: "pam_limits:\n  domain: '*'\n  limit_type: '-'\n  limit_item: memlock\n  value: unlimited\n  dest: /etc/security/limits.d/90-memlock.conf",
    returns: { msg: 'The limit line as the file now has it.' },
  },
  schema,
  read: (ctx, args) => readText(ctx, destOf(args)),
  plan(args, cur) {
    if (args.use_max && args.use_min) return { changes: [], failed: 'parameters are mutually exclusive: use_max|use_min' };
    const problem = valueProblem(args.limit_item, String(args.value));
    if (problem) return { changes: [], failed: problem };
    if (cur.stat?.type === 'directory') return { changes: [], failed: `${cur.path} is a directory` };
    if (cur.content === null && args.create === false) return { changes: [], failed: `${cur.path} does not exist.` };
    const edit = editLimits(cur.content ?? '', args);
    const msg = edit.line;
    const plan = planTextEdit(cur, args, { content: edit.content, msg, okReason: `${cur.path} already has ${msg.replace(/\s+/g, ' ')}` });
    return { ...plan, result: { ...plan.result, msg } };
  },
  apply: applyTextEdit,
};
