// sysctl (ansible.posix.sysctl): one kernel parameter in a sysctl file and, with reload (default) or
// sysctl_set, in the running kernel. Ansible's rules: the first `key=value` line of the key is
// rewritten and later ones dropped (absent drops them all), a missing one is appended, and values are
// compared word by word (yes/no mean 1/0). A key the kernel does not have fails before anything is
// written (unless ignoreerrors), so a typo never lands in the file.
import Type, { type Static } from 'typebox';
import type { DiffItem, Module, Plan } from '../engine/contract/module.js';
import { shQuote } from '../engine/connection/quote.js';
import { type TextChange, type TextCurrent, applyTextEdit, planTextEdit, readText } from './lib/text-edit.js';

const schema = Type.Object(
  {
    name: Type.Optional(Type.String({ description: 'The dotted key, e.g. vm.swappiness (alias: key).' })),
    key: Type.Optional(Type.String({ description: 'Alias of name.' })),
    value: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Boolean()], { description: 'The value (alias: val); yes/no mean 1/0.' })),
    val: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Boolean()], { description: 'Alias of value.' })),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { description: 'present (default) or absent from the file.' })),
    sysctl_file: Type.Optional(Type.String({ description: 'The file to keep it in (default /etc/sysctl.conf).' })),
    reload: Type.Optional(Type.Boolean({ description: 'Load the file with `sysctl -p` when something changed (default true).' })),
    sysctl_set: Type.Optional(Type.Boolean({ description: 'Also set the running value with `sysctl -w` when it differs (default false).' })),
    ignoreerrors: Type.Optional(Type.Boolean({ description: 'Ignore errors about unknown keys (default false).' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export const DEFAULT_SYSCTL_FILE = '/etc/sysctl.conf';
/** Ansible finds sysctl in sbin even when the login PATH has none (a non-root user on Debian). */
export const SBIN_PATH = 'PATH="$PATH:/usr/sbin:/sbin"; export PATH';

interface Current {
  file: TextCurrent;
  /** The running value as `sysctl -n` prints it; null when the kernel has no such key. */
  live: string | null;
  liveError?: string;
}

type Change = TextChange | { kind: 'set'; key: string; value: string } | { kind: 'reload'; file: string; ignoreerrors: boolean };

const TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f']);

/** Ansible's value normalisation: booleans and their words become 1/0, strings are trimmed. */
export function normalValue(v: string | number | boolean | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  const s = String(v).trim();
  if (TRUE.has(s.toLowerCase())) return '1';
  if (FALSE.has(s.toLowerCase())) return '0';
  return s;
}

export const sameValue = (a: string, b: string) => a.split(/\s+/).filter(Boolean).join(' ') === b.split(/\s+/).filter(Boolean).join(' ');

/** The key of a `key = value` line; undefined for comments and blank lines. */
function lineKey(line: string): string | undefined {
  const t = line.trim();
  if (t === '' || t.startsWith('#') || t.startsWith(';')) return undefined;
  return t.split('=', 1)[0]!.trim().replaceAll('/', '.');
}

export interface SysctlFileEdit {
  content: string;
  /** The key's value in the file before the edit (its first line); null when it has none. */
  before: string | null;
}

/** Pure: the sysctl file with the key set (or removed). */
export function editSysctlFile(text: string, key: string, value: string, state: 'present' | 'absent'): SysctlFileEdit {
  const lines = text === '' ? [] : text.split(/(?<=\n)/);
  const out: string[] = [];
  let before: string | null = null;
  let done = false;
  for (const line of lines) {
    if (lineKey(line) !== key) {
      out.push(line);
      continue;
    }
    if (before === null) before = line.slice(line.indexOf('=') + 1).trim();
    if (state === 'present' && !done) out.push(`${key}=${value}\n`);
    done = true;
  }
  if (state === 'present' && !done) {
    if (out.length > 0 && !out[out.length - 1]!.endsWith('\n')) out[out.length - 1] += '\n';
    out.push(`${key}=${value}\n`);
  }
  return { content: out.join(''), before };
}

const keyOf = (a: Args) => (a.name ?? a.key ?? '').trim().replaceAll('/', '.');

export function planSysctl(args: Args, cur: Current): Plan<Change> {
  const key = keyOf(args);
  const state = args.state ?? 'present';
  const raw = args.value ?? args.val;
  if (!key) return { changes: [], failed: 'name is required' };
  if (state === 'present' && (raw === undefined || normalValue(raw) === '')) return { changes: [], failed: 'value cannot be None' };
  if (/[\s=]/.test(key)) return { changes: [], failed: `'${key}' is not a sysctl key` };
  const value = normalValue(raw);
  const reload = args.reload !== false;
  if (cur.live === null && state === 'present' && !args.ignoreerrors) {
    return { changes: [], failed: `the kernel has no sysctl key ${key}: ${cur.liveError ?? 'unknown key'}` };
  }
  const fileEdit = editSysctlFile(cur.file.content ?? '', key, value, state);
  // As Ansible: the file is rewritten only when the key's value differs, not for spacing or duplicates.
  const fileWrite = state === 'present' ? fileEdit.before === null || !sameValue(fileEdit.before, value) : fileEdit.before !== null;
  const liveWrong = state === 'present' && cur.live !== null && !sameValue(cur.live, value);
  const changes: Change[] = [];
  const diff: DiffItem[] = [];
  if (args.sysctl_set && liveWrong) changes.push({ kind: 'set', key, value });
  if (fileWrite) {
    const text = planTextEdit(cur.file, {}, { content: fileEdit.content, msg: `${key} ${state === 'present' ? `set to ${value}` : 'removed'}`, okReason: '' });
    if (text.failed) return { changes: [], failed: text.failed };
    changes.push(...text.changes);
    diff.push(...(text.diff ?? []));
  }
  // Ansible reloads when the file changed, and also when the file is right but the kernel is not.
  if (reload && (fileWrite || (state === 'present' && liveWrong))) changes.push({ kind: 'reload', file: cur.file.path, ignoreerrors: args.ignoreerrors === true });
  if (liveWrong && changes.some((c) => c.kind === 'set' || c.kind === 'reload')) {
    diff.push({ kind: 'fields', label: 'sysctl (running kernel)', fields: [{ key, before: cur.live, after: value }] });
  }
  const result = { name: key, value: state === 'present' ? value : null, state, sysctl_file: cur.file.path };
  if (changes.length === 0) {
    const where = state === 'absent' ? `${key} is not in ${cur.file.path}` : `${key} is ${value} in ${cur.file.path}${reload || args.sysctl_set ? ' and in the kernel' : ''}`;
    return { changes, reason: where, result };
  }
  const what = changes.map((c) => (c.kind === 'set' ? `sysctl -w ${key}` : c.kind === 'reload' ? `sysctl -p ${c.file}` : `edit ${c.path}`));
  return { changes, diff, reason: what.join(', '), result };
}

export const sysctl: Module<Args, Current, Change> = {
  meta: {
    name: 'sysctl',
    collections: ['ansible.posix'],
    description: 'Set a kernel parameter in a sysctl file and in the running kernel.',
    platforms: ['linux'],
    checkMode: 'full',
    example: 'sysctl:\n  name: vm.zone_reclaim_mode\n  value: 1\n  sysctl_file: /etc/sysctl.d/90-hpc.conf',
    returns: { name: 'The key.', value: 'The value it has now (null when removed).', state: 'present or absent.', sysctl_file: 'The file.' },
  },
  schema,
  async read(ctx, args) {
    const key = keyOf(args);
    const file = await readText(ctx, args.sysctl_file ?? DEFAULT_SYSCTL_FILE);
    if (!key || /[\s=]/.test(key)) return { file, live: null };
    const r = await ctx.run(`${SBIN_PATH}\nsysctl -n ${shQuote(key)}`);
    if (r.rc !== 0 || r.stderr.trim() !== '') return { file, live: null, liveError: r.stderr.trim() || `exit code ${r.rc}` };
    return { file, live: r.stdout.replace(/\n$/, '') };
  },
  plan: (args, cur) => planSysctl(args, cur),
  async apply(ctx, plan) {
    for (const c of plan.changes) {
      if (c.kind === 'set') {
        const r = await ctx.run(`${SBIN_PATH}\nsysctl -w ${shQuote(`${c.key}=${c.value}`)}`);
        if (r.rc !== 0 || r.stderr.trim() !== '') return { failed: `setting ${c.key} failed: ${(r.stdout + r.stderr).trim()}` };
      } else if (c.kind === 'reload') {
        const r = await ctx.run(`${SBIN_PATH}\nsysctl ${c.ignoreerrors ? '-e ' : ''}-p ${shQuote(c.file)}`);
        if (r.rc !== 0 || r.stderr.trim() !== '') return { failed: `Failed to reload sysctl: ${(r.stdout + r.stderr).trim()}` };
      } else {
        const w = await applyTextEdit(ctx, { changes: [c] });
        if (w.failed) return w;
      }
    }
    return { result: plan.result };
  },
};
