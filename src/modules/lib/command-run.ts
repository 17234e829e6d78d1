// What command and shell share: their common arguments, the creates/removes probe (a fact,
// read-only), the plan, and running the command with Ansible's result record (rc, stdout,
// stdout_lines, start/end/delta, ...).
import { constants } from 'node:os';
import Type, { type Static } from 'typebox';
import type { ApplyResult, HostContext, Plan } from '../../engine/contract/module.js';
import { quoteGlob } from './shlex.js';

/** The arguments command and shell share after their command line. */
export const RunProperties = {
  creates: Type.Optional(Type.String({ description: 'A path or glob; when it exists, the command does not run.' })),
  removes: Type.Optional(Type.String({ description: 'A path or glob; when it does NOT exist, the command does not run.' })),
  chdir: Type.Optional(Type.String({ description: 'Change into this directory before running.' })),
  stdin: Type.Optional(Type.String({ description: 'Text fed to the command on standard input.' })),
  stdin_add_newline: Type.Optional(Type.Boolean({ description: 'Append a newline to stdin (default true).' })),
  strip_empty_ends: Type.Optional(Type.Boolean({ description: 'Strip trailing newlines from stdout/stderr (default true).' })),
};

const RunSchema = Type.Object(RunProperties);
export type RunArgs = Static<typeof RunSchema>;

export interface GuardState {
  /** Set when creates/removes decided the command must not run. */
  skip?: { reason: string; msg: string };
}

/** One round trip answering both guards; relative patterns are relative to chdir, as in Ansible. */
export async function readGuards(ctx: HostContext, args: RunArgs): Promise<GuardState> {
  if (args.creates === undefined && args.removes === undefined) return {};
  const probe = (pattern: string, tag: string) =>
    `set -- ${quoteGlob(pattern)}; if [ -e "$1" ] || [ -L "$1" ]; then echo ${tag}=1; else echo ${tag}=0; fi`;
  const lines: string[] = [];
  if (args.creates !== undefined) lines.push(probe(args.creates, 'creates'));
  if (args.removes !== undefined) lines.push(probe(args.removes, 'removes'));
  const r = await ctx.run(lines.join('\n'), { cwd: args.chdir });
  if (r.rc !== 0) throw new Error(`cannot check creates/removes: ${r.stderr.trim() || `exit code ${r.rc}`}`);
  if (args.creates !== undefined && /^creates=1$/m.test(r.stdout)) {
    return {
      skip: {
        reason: `skipped, since ${args.creates} exists`,
        msg: `Did not run command since '${args.creates}' exists`,
      },
    };
  }
  if (args.removes !== undefined && /^removes=0$/m.test(r.stdout)) {
    return {
      skip: {
        reason: `skipped, since ${args.removes} does not exist`,
        msg: `Did not run command since '${args.removes}' does not exist`,
      },
    };
  }
  return {};
}

/** Everything needed to run the command: the host command line and how to feed and trim it. */
export interface RunChange {
  /** The command line as the host's shell gets it. */
  line: string;
  /** What the result's `cmd` shows: the argv list for command, the string for shell. */
  display: string | string[];
  cwd?: string;
  stdin?: string;
  strip: boolean;
}

export function planCommand(line: string, display: string | string[], args: RunArgs, guards: GuardState): Plan<RunChange> {
  if (guards.skip) {
    return {
      changes: [],
      reason: guards.skip.reason,
      result: {
        cmd: display,
        rc: 0,
        stdout: guards.skip.reason,
        stdout_lines: [guards.skip.reason],
        stderr: '',
        stderr_lines: [],
        msg: guards.skip.msg,
      },
    };
  }
  const change: RunChange = { line, display, strip: args.strip_empty_ends !== false };
  if (args.chdir !== undefined) change.cwd = args.chdir;
  const stdin = stdinText(args);
  if (stdin !== undefined) change.stdin = stdin;
  return { changes: [change], reason: `run ${Array.isArray(display) ? display.join(' ') : display}` };
}

function stdinText(args: RunArgs): string | undefined {
  if (args.stdin === undefined) return undefined;
  return args.stdin_add_newline === false ? args.stdin : `${args.stdin}\n`;
}

/** Runs the planned command line and builds Ansible's result record from its output. */
export async function runCommand(ctx: HostContext, plan: Plan<RunChange>): Promise<ApplyResult> {
  const c = plan.changes[0]!;
  const start = new Date();
  const t0 = performance.now();
  const r = await ctx.run(c.line, { cwd: c.cwd, stdin: c.stdin });
  const micros = Math.round((performance.now() - t0) * 1000);
  const end = new Date(start.getTime() + Math.round(micros / 1000));
  const stdout = c.strip ? r.stdout.replace(/[\r\n]+$/, '') : r.stdout;
  const stderr = c.strip ? r.stderr.replace(/[\r\n]+$/, '') : r.stderr;
  const rc = r.signal ? -(signalNumber(r.signal) ?? 1) : r.rc;
  const result: Record<string, unknown> = {
    cmd: c.display,
    rc,
    stdout,
    stderr,
    stdout_lines: splitLines(stdout),
    stderr_lines: splitLines(stderr),
    start: pyDateTime(start),
    end: pyDateTime(end),
    delta: pyDelta(micros),
    msg: rc === 0 ? '' : 'non-zero return code',
  };
  return rc === 0 ? { result } : { result, failed: 'non-zero return code', changed: true };
}

/** Python's str.splitlines for the usual line ends. */
export function splitLines(s: string): string[] {
  if (s === '') return [];
  const lines = s.split(/\r\n|\n|\r/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function signalNumber(name: string): number | undefined {
  return (constants.signals as Record<string, number>)[name];
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** `2024-05-01 12:34:56.789000`, as Python's str(datetime.now()). */
export function pyDateTime(d: Date): string {
  const date = `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}`;
  const time = `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
  return `${date} ${time}.${String(d.getMilliseconds() * 1000).padStart(6, '0')}`;
}

/** `0:00:01.002300`, as Python's str(timedelta). */
export function pyDelta(micros: number): string {
  const totalSec = Math.floor(micros / 1e6);
  const h = Math.floor(totalSec / 3600);
  const m = Math.floor((totalSec % 3600) / 60);
  const s = totalSec % 60;
  return `${h}:${p2(m)}:${p2(s)}.${String(micros % 1e6).padStart(6, '0')}`;
}
