// cron: one named job (or environment variable) in a user's crontab or in a file under /etc/cron.d,
// written as Ansible writes it (a `#Ansible: <name>` marker above the job line), so crontabs that
// Ansible wrote are managed in place. User crontabs go through the host's `crontab` (which installs
// them itself); cron.d files are written atomically (temp file + rename), mode 0644.
import { posix } from 'node:path';
import Type, { type Static } from 'typebox';
import type { Module, Plan } from '../engine/contract/module.js';
import { shJoin, shQuote } from '../engine/connection/quote.js';
import { crontabLines, jobLine, listCrontab, renderCrontab, setEnv, setJob } from './lib/crontab.js';

const field = (what: string) => Type.Optional(Type.Union([Type.String(), Type.Integer()], { description: `${what} (default *).` }));
const SPECIAL = ['annually', 'daily', 'hourly', 'monthly', 'reboot', 'weekly', 'yearly'] as const;
const schema = Type.Object(
  {
    name: Type.Optional(Type.String({ description: 'The job\'s name (its `#Ansible:` marker) or, with env, the variable\'s name.' })),
    job: Type.Optional(Type.String({ description: 'The command to run or, with env, the value (alias: value).' })),
    value: Type.Optional(Type.String({ description: 'Alias of job.' })),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { description: 'present (default) or absent.' })),
    user: Type.Optional(Type.String({ description: 'Whose crontab (default: the connecting user); in a cron_file, the user the job runs as (default root).' })),
    cron_file: Type.Optional(Type.String({ description: 'A file under /etc/cron.d (a relative name) or an absolute path, instead of a user crontab.' })),
    minute: field('Minute (0-59, */5, ...)'),
    hour: field('Hour (0-23)'),
    day: field('Day of the month (1-31)'),
    month: field('Month (1-12)'),
    weekday: field('Day of the week (0-6, Sunday = 0)'),
    special_time: Type.Optional(Type.Enum([...SPECIAL], { description: 'Instead of the time fields: reboot, hourly, daily, weekly, monthly, yearly, annually.' })),
    disabled: Type.Optional(Type.Boolean({ description: 'Keep the job but commented out (default false).' })),
    env: Type.Optional(Type.Boolean({ description: 'Manage an environment variable line NAME=value instead of a job.' })),
    insertafter: Type.Optional(Type.String({ description: 'With env: put a new variable after this variable.' })),
    insertbefore: Type.Optional(Type.String({ description: 'With env: put a new variable before this variable.' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

interface Current {
  /** The cron.d file, or null for a user crontab. */
  file: string | null;
  text: string | null;
  /** The user crontab could not be read: no crontab command, or another error. */
  error?: string;
}

type Change =
  | { kind: 'file'; path: string; content: string }
  | { kind: 'remove'; path: string }
  | { kind: 'crontab'; user?: string; content: string };

export const cronFilePath = (f: string) => (f.startsWith('/') ? f : posix.join('/etc/cron.d', f));

export function planCron(args: Args, cur: Current): Plan<Change> {
  if (cur.error) return { changes: [], failed: cur.error };
  const state = args.state ?? 'present';
  const job = args.job ?? args.value;
  const name = args.name;
  const hasTime = [args.minute, args.hour, args.day, args.month, args.weekday].some((v) => v !== undefined);
  if (args.special_time && hasTime) return { changes: [], failed: 'You must specify time and date fields or special time.' };
  if (job?.includes('\n')) return { changes: [], failed: 'job must be a single line' };
  if (args.insertafter !== undefined && args.insertbefore !== undefined) return { changes: [], failed: 'parameters are mutually exclusive: insertafter|insertbefore' };
  const lines = crontabLines(cur.text ?? '');
  const removeWholeFile = cur.file !== null && state === 'absent' && !name;
  if (!name && !removeWholeFile) return { changes: [], failed: 'name is required (it is the job\'s #Ansible: marker)' };
  if (state === 'present' && job === undefined) return { changes: [], failed: args.env ? 'You must specify value (job) to create an environment variable.' : 'You must specify job to create a cron job.' };
  let next: string[];
  if (removeWholeFile) next = [];
  else if (args.env) {
    const anchor = args.insertafter ?? args.insertbefore;
    if (state === 'present' && anchor !== undefined && !lines.some((l) => l.startsWith(`${anchor}=`)) && !lines.some((l) => l.startsWith(`${name}=`))) {
      return { changes: [], failed: `Variable named '${anchor}' not found.` };
    }
    next = setEnv(lines, name!, state === 'present' ? job! : null, args);
  } else {
    const s = (v: string | number | undefined) => (v === undefined ? undefined : String(v));
    const line = jobLine({ minute: s(args.minute), hour: s(args.hour), day: s(args.day), month: s(args.month), weekday: s(args.weekday), special_time: args.special_time, job: job ?? '', disabled: args.disabled, user: cur.file !== null ? (args.user ?? 'root') : undefined });
    next = setJob(lines, name!, state === 'present' ? line : null);
  }
  const before = renderCrontab(lines);
  const after = renderCrontab(next);
  const where = cur.file ?? `the crontab of ${args.user ?? 'the connecting user'}`;
  const result = { ...listCrontab(next), ...(cur.file ? { cron_file: cur.file } : {}) };
  const empty = next.every((l) => l.trim() === '' || l.startsWith('#'));
  // A cron.d file left without jobs or variables goes, as in Ansible's "remove a cron file" usage.
  const dropFile = cur.file !== null && cur.text !== null && state === 'absent' && (removeWholeFile || empty);
  if (!dropFile && after === (cur.text === null ? '' : before)) {
    return { changes: [], reason: `${where} already ${state === 'present' ? 'has' : 'lacks'} ${name ?? 'the file'}`, result };
  }
  const diff = [{ kind: 'text' as const, path: cur.file ?? `crontab (${args.user ?? 'connecting user'})`, before: cur.text === null ? '' : before, after: dropFile ? '' : after }];
  let change: Change;
  if (cur.file !== null) change = dropFile ? { kind: 'remove', path: cur.file } : { kind: 'file', path: cur.file, content: after };
  else change = { kind: 'crontab', ...(args.user ? { user: args.user } : {}), content: after };
  const what = change.kind === 'remove' ? `remove ${cur.file}` : `${state === 'present' ? 'set' : 'remove'} ${name} in ${where}`;
  return { changes: [change], diff, reason: what, result };
}

export const cron: Module<Args, Current, Change> = {
  meta: {
    name: 'cron',
    description: 'Manage a named cron job or environment variable in a user crontab or an /etc/cron.d file.',
    platforms: ['linux'],
    checkMode: 'full',
    example: 'cron:\n  name: ib counters\n  minute: "*/5"\n  job: /usr/local/bin/ib-counters >> /var/log/ib-counters.log 2>&1\n  cron_file: ib-counters\n  user: root',
    notes: [
      'Jobs are found by their `#Ansible: <name>` marker line, exactly as Ansible writes them. User crontabs need the host\'s `crontab` command (the cron package); without it the task fails saying so. A cron.d file left with no jobs by state absent is removed, as is the whole file for state absent without a name.',
    ],
    returns: { jobs: 'The names of the jobs in the crontab after the task.', envs: 'The names of its environment variables.', cron_file: 'The cron.d file, when one is used.' },
  },
  schema,
  async read(ctx, args) {
    if (args.cron_file !== undefined) {
      const path = cronFilePath(args.cron_file);
      const got = await ctx.readFile(path);
      if (got?.stat.type === 'directory') return { file: path, text: null, error: `${path} is a directory` };
      return { file: path, text: got ? got.data.toString('utf8') : null };
    }
    const u = args.user ? ` -u ${shQuote(args.user)}` : '';
    const r = await ctx.run(`command -v crontab >/dev/null 2>&1 || { echo 'no crontab command' >&2; exit 127; }; crontab${u} -l`);
    if (r.rc === 127) return { file: null, text: null, error: 'the host has no crontab command (install the cron package, or use cron_file)' };
    if (r.rc !== 0) {
      if (/no crontab for/i.test(r.stderr)) return { file: null, text: null };
      return { file: null, text: null, error: `cannot read the crontab: ${r.stderr.trim() || `exit code ${r.rc}`}` };
    }
    return { file: null, text: r.stdout };
  },
  plan: planCron,
  async apply(ctx, plan) {
    const c = plan.changes[0]!;
    if (c.kind === 'file') {
      await ctx.writeFile(c.path, c.content, { mode: 0o644 });
    } else if (c.kind === 'remove') {
      const r = await ctx.run(`rm -f -- ${shQuote(c.path)}`);
      if (r.rc !== 0) return { failed: `cannot remove ${c.path}: ${r.stderr.trim()}` };
    } else {
      const r = await ctx.run(shJoin(['crontab', ...(c.user ? ['-u', c.user] : []), '-']), { stdin: c.content });
      if (r.rc !== 0) return { failed: `crontab failed to install the new crontab: ${(r.stderr || r.stdout).trim()}` };
    }
    return { result: plan.result };
  },
};
