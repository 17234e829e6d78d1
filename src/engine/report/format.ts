// Ansible-like lines for one event: banners, per-host results, the PLAY RECAP. Pure functions over
// the events, shared by the text reporter and the live reporter's summary.
import type { HostStats, TaskInfo, TaskResult } from '../contract/events.js';
import type { Paint } from './ansi.js';
import { renderDiff } from './diff.js';
import { pyJson } from './py-json.js';

export const NO_LOG_MESSAGE = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

export interface FormatOptions {
  verbosity: number;
  diff: boolean;
  color: boolean;
  paint: Paint;
}

// ansible-playbook pads banners with stars to 80 columns (at least three stars).
export function banner(title: string): string {
  return `${title} ${'*'.repeat(Math.max(3, 79 - title.length))}`;
}

export function taskTitle(task: TaskInfo): string {
  const name = task.name || task.module;
  const label = task.role ? `${task.role} : ${name}` : name;
  return `${task.isHandler ? 'RUNNING HANDLER' : 'TASK'} [${label}]`;
}

const DEBUG_MODULES = new Set(['debug', 'ansible.builtin.debug']);
// Ansible's assert always shows its result (the action sets _ansible_verbose_always), -v or not.
const ALWAYS_SHOWN = new Set(['assert', 'ansible.builtin.assert']);
// Keys that are noise in printed results: the status flags the line already says, and the
// line-split copies of stdout/stderr.
const HIDDEN_KEYS = new Set(['failed', 'skipped', 'stdout_lines', 'stderr_lines', 'invocation', 'warnings', 'ansible_facts']);

function verboseData(result: TaskResult): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(result.data ?? {})) if (!HIDDEN_KEYS.has(k)) out[k] = v;
  out.changed = result.status === 'changed' || result.data?.changed === true;
  if (result.msg !== undefined) out.msg = result.msg;
  if (result.reason !== undefined) out.reason = result.reason;
  return out;
}

// What a failure shows without -v: enough to act on, not the whole record.
function failureData(result: TaskResult): Record<string, unknown> {
  const d = result.data ?? {};
  const out: Record<string, unknown> = { changed: result.data?.changed === true };
  const msg = result.msg ?? d.msg;
  if (msg !== undefined) out.msg = msg;
  for (const k of ['rc', 'cmd']) if (d[k] !== undefined) out[k] = d[k];
  for (const k of ['stdout', 'stderr']) if (typeof d[k] === 'string' && d[k] !== '') out[k] = d[k];
  if (result.status === 'unreachable') out.unreachable = true;
  return out;
}

// debug prints its message alone, like Ansible (loop bookkeeping such as `item` is dropped).
function debugData(result: TaskResult): Record<string, unknown> {
  const data = result.data ?? {};
  const msg = data.msg ?? result.msg;
  if (msg !== undefined) return { msg };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (!HIDDEN_KEYS.has(k) && k !== 'changed') out[k] = v;
  return out;
}

/** Lines for one host's result of one task, diffs and warnings first, as ansible-playbook prints them. */
export function formatResult(task: TaskInfo, host: string, result: TaskResult, o: FormatOptions): string[] {
  const who = result.delegatedTo && result.delegatedTo !== host ? `${host} -> ${result.delegatedTo}` : host;
  const dumpIndent = o.verbosity > 2 ? 4 : undefined;
  if (result.noLog) return [...censoredLines(result, who, o), ...ignoring(result, o)];
  const lines: string[] = [];
  if (o.diff && result.diff?.length && !result.items?.length) lines.push(...renderDiff(result.diff, { color: o.color }));
  for (const w of result.warnings ?? []) lines.push(o.paint('warning', `[WARNING]: ${w}`));
  const isDebug = DEBUG_MODULES.has(task.module);

  if (result.items?.length) {
    let itemFailed = false;
    for (const item of result.items) {
      if (!item.noLog && o.diff && item.diff?.length) lines.push(...renderDiff(item.diff, { color: o.color }));
      const label = item.noLog ? 'None' : item.label;
      const colour = item.status === 'unreachable' ? 'unreachable' : item.status;
      if (item.status === 'failed' || item.status === 'unreachable') {
        itemFailed = true;
        const data = item.noLog ? { censored: NO_LOG_MESSAGE } : o.verbosity > 0 ? verboseData(item) : failureData(item);
        lines.push(o.paint(colour, `failed: [${who}] (item=${label}) => ${pyJson(data, dumpIndent)}`));
        continue;
      }
      const word = item.status === 'skipped' ? 'skipping' : item.status;
      let line = `${word}: [${who}] => (item=${label})`;
      if (!item.noLog && isDebug) line += ` => ${pyJson(debugData(item), 4)}`;
      else if (!item.noLog && o.verbosity > 0) line += ` => ${pyJson(verboseData(item), dumpIndent)}`;
      lines.push(o.paint(colour, line));
    }
    if ((result.status === 'failed' || result.status === 'unreachable') && !itemFailed) lines.push(statusLine(result, who, o));
    lines.push(...ignoring(result, o));
    return lines;
  }

  if (isDebug && result.status === 'ok') {
    lines.push(o.paint('ok', `ok: [${who}] => ${pyJson(debugData(result), 4)}`));
    return lines;
  }
  if (ALWAYS_SHOWN.has(task.module) && result.status === 'ok' && o.verbosity === 0) {
    lines.push(o.paint('ok', `ok: [${who}] => ${pyJson({ changed: false, msg: result.msg ?? result.data?.msg }, 4)}`));
    return lines;
  }
  lines.push(statusLine(result, who, o), ...ignoring(result, o));
  return lines;
}

// no_log: the status only; with -v or on failure Ansible's "censored" note, never data, msg or diff.
function censoredLines(result: TaskResult, who: string, o: FormatOptions): string[] {
  const censored = pyJson({ censored: NO_LOG_MESSAGE, changed: result.status === 'changed' }, o.verbosity > 2 ? 4 : undefined);
  if (result.status === 'failed') return [o.paint('failed', `fatal: [${who}]: FAILED! => ${censored}`)];
  if (result.status === 'unreachable') return [o.paint('unreachable', `fatal: [${who}]: UNREACHABLE! => ${censored}`)];
  const word = result.status === 'skipped' ? 'skipping' : result.status;
  return [o.paint(result.status, o.verbosity > 0 ? `${word}: [${who}] => ${censored}` : `${word}: [${who}]`)];
}

function statusLine(result: TaskResult, who: string, o: FormatOptions): string {
  const indent = o.verbosity > 2 ? 4 : undefined;
  switch (result.status) {
    case 'failed':
      return o.paint('failed', `fatal: [${who}]: FAILED! => ${pyJson(o.verbosity > 0 ? verboseData(result) : failureData(result), indent)}`);
    case 'unreachable':
      return o.paint('unreachable', `fatal: [${who}]: UNREACHABLE! => ${pyJson(failureData(result), indent)}`);
    case 'skipped': {
      // The reason matters when it is not the plain `when:` one, e.g. "undetermined in check mode".
      const why = result.reason && (o.verbosity > 0 || result.checkMode) ? ` => ${pyJson({ changed: false, skip_reason: result.reason }, indent)}` : '';
      return o.paint('skipped', `skipping: [${who}]${why}`);
    }
    default: {
      // Check mode says what a real run would do, in the plan's own words ("would restart waagent").
      const would = result.checkMode && result.status === 'changed' && result.reason && o.verbosity === 0 ? ` (would ${result.reason})` : '';
      const line = `${result.status}: [${who}]${would}`;
      return o.paint(result.status, o.verbosity > 0 ? `${line} => ${pyJson(verboseData(result), indent)}` : line);
    }
  }
}

function ignoring(result: TaskResult, o: FormatOptions): string[] {
  return result.ignored && (result.status === 'failed' || result.status === 'unreachable') ? [o.paint('skipped', '...ignoring')] : [];
}

const STAT_KEYS: Array<keyof HostStats> = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'];

/** The recap rows, hosts sorted by name and aligned (at least Ansible's 26 columns for the name). */
export function recapLines(stats: Record<string, HostStats>, paint: Paint): string[] {
  // Like Ansible, a host no task ever counted for (ended by end_host, or its batch never ran after
  // the play aborted) has no recap line.
  const hosts = Object.keys(stats)
    .filter((h) => STAT_KEYS.some((k) => stats[h]![k] > 0))
    .sort();
  const width = Math.max(26, ...hosts.map((h) => h.length));
  return hosts.map((h) => {
    const s = stats[h]!;
    const colour = s.unreachable ? 'unreachable' : s.failed ? 'failed' : s.changed ? 'changed' : 'ok';
    const cells = STAT_KEYS.map((k) => {
      const cell = `${k}=${String(s[k]).padEnd(4)}`;
      const cellColour = k === 'ok' ? 'ok' : k === 'changed' ? 'changed' : k === 'skipped' ? 'skipped' : k === 'unreachable' ? 'unreachable' : k === 'failed' ? 'failed' : null;
      return s[k] > 0 && cellColour ? paint(cellColour, cell) : cell;
    });
    return `${paint(colour, h.padEnd(width))} : ${cells.join(' ')}`.trimEnd();
  });
}
