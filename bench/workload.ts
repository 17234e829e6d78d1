// The reference workload as data: the raw-SSH floors and the expected end state are derived from
// workload.yml itself (paths, regexps, lines, modes, contents), so they follow the file instead of a
// copy of it. Anything the floors do not know how to express fails loudly here, before any run.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

export type Step =
  | { kind: 'command'; name: string; cmd: string }
  | { kind: 'shell'; name: string; cmd: string }
  | { kind: 'lineinfile'; name: string; path: string; regexp: string; line: string; notify?: string }
  | { kind: 'stat'; name: string; path: string }
  | { kind: 'copy'; name: string; dest: string; mode: string; content: string }
  | { kind: 'directory'; name: string; path: string; mode: string }
  | { kind: 'template'; name: string; dest: string; mode: string; source: string };

export interface Workload {
  /** The playbook every tool runs, unchanged. */
  playbook: string;
  /** The one inventory group the play targets. */
  group: string;
  steps: Step[];
  /** Handler name → its shell command. */
  handlers: Map<string, string>;
}

type Raw = Record<string, unknown>;

const MODULE_PREFIX = 'ansible.builtin.';

function fail(where: string, what: string): never {
  throw new Error(`bench: workload ${where}: ${what} (the raw-SSH floors only know the reference workload's shapes)`);
}

function str(args: Raw, key: string, where: string): string {
  const v = args[key];
  if (typeof v !== 'string') fail(where, `'${key}' must be a string`);
  return v;
}

/** Splits a task into its module name and arguments (the module is the one key with our prefix). */
function moduleOf(task: Raw, where: string): [string, Raw] {
  const keys = Object.keys(task).filter((k) => k.startsWith(MODULE_PREFIX));
  if (keys.length !== 1) fail(where, `expected exactly one ${MODULE_PREFIX}* module key, found ${keys.length}`);
  const args = task[keys[0]!];
  const name = keys[0]!.slice(MODULE_PREFIX.length);
  if (typeof args === 'string') return [name, { _raw: args }];
  if (!args || typeof args !== 'object') fail(where, `module '${name}' has no arguments`);
  return [name, args as Raw];
}

function toStep(task: Raw, index: number): Step {
  const name = typeof task.name === 'string' ? task.name : `task ${index + 1}`;
  const where = `task ${index + 1} (${name})`;
  const [module, args] = moduleOf(task, where);
  const notify = typeof task.notify === 'string' ? task.notify : undefined;
  if (task.notify !== undefined && notify === undefined) fail(where, 'notify must name one handler');
  if ((module === 'command' || module === 'shell') && task.changed_when !== false) fail(where, `${module} must have changed_when: false`);
  if (notify && module !== 'lineinfile') fail(where, 'only lineinfile tasks may notify');
  switch (module) {
    case 'command':
    case 'shell':
      return { kind: module, name, cmd: str(args, '_raw', where) };
    case 'lineinfile':
      return { kind: 'lineinfile', name, path: str(args, 'path', where), regexp: str(args, 'regexp', where), line: str(args, 'line', where), ...(notify ? { notify } : {}) };
    case 'stat':
      return { kind: 'stat', name, path: str(args, 'path', where) };
    case 'copy':
      return { kind: 'copy', name, dest: str(args, 'dest', where), mode: str(args, 'mode', where), content: str(args, 'content', where) };
    case 'file':
      if (args.state !== 'directory') fail(where, "file must have state: directory");
      return { kind: 'directory', name, path: str(args, 'path', where), mode: str(args, 'mode', where) };
    case 'template':
      return { kind: 'template', name, dest: str(args, 'dest', where), mode: str(args, 'mode', where), source: str(args, 'src', where) };
    default:
      return fail(where, `module '${module}' is not one the floors implement`);
  }
}

/** Reads workload.yml (and the templates it names) into steps. */
export function parseWorkload(text: string, playbook: string): Workload {
  const doc = parse(text, { version: '1.1' }) as unknown;
  if (!Array.isArray(doc) || doc.length !== 1) fail('file', 'expected one play');
  const play = doc[0] as Raw;
  if (typeof play.hosts !== 'string' || !/^[A-Za-z_][\w-]*$/.test(play.hosts)) fail('play', "'hosts' must name one group");
  if (play.gather_facts !== false) fail('play', 'gather_facts must be false');
  const tasks = play.tasks;
  if (!Array.isArray(tasks)) fail('play', 'no tasks');
  const steps = tasks.map((t, i) => toStep(t as Raw, i));
  const handlers = new Map<string, string>();
  for (const [i, h] of ((play.handlers ?? []) as Raw[]).entries()) {
    const where = `handler ${i + 1}`;
    const [module, args] = moduleOf(h, where);
    if (module !== 'shell' || typeof h.name !== 'string') fail(where, 'handlers must be named shell tasks');
    handlers.set(h.name, str(args, '_raw', where));
  }
  const notified = new Set<string>();
  for (const s of steps) {
    if (s.kind !== 'lineinfile' || !s.notify) continue;
    if (!handlers.has(s.notify)) fail(s.name, `notifies unknown handler '${s.notify}'`);
    notified.add(s.notify);
  }
  if (notified.size > 1) fail('handlers', 'the floors run one notified handler, found several');
  return { playbook, group: play.hosts, steps, handlers };
}

export interface LoadedWorkload extends Workload {
  /** Template source (as the task names it) → its text. */
  templates: Map<string, string>;
}

export async function loadWorkload(playbook: string): Promise<LoadedWorkload> {
  const text = await readFile(playbook, 'utf8').catch((e: Error) => {
    throw new Error(`bench: cannot read the workload ${playbook}: ${e.message} (pass --workload DIR)`);
  });
  const w = parseWorkload(text, playbook);
  const templates = new Map<string, string>();
  for (const s of w.steps) if (s.kind === 'template') templates.set(s.source, await readFile(join(dirname(playbook), s.source), 'utf8'));
  return { ...w, templates };
}

/** `"0644"` → `644`, as stat(1) `%a` prints it. */
export function statMode(mode: string): string {
  if (!/^0?[0-7]{3,4}$/.test(mode)) throw new Error(`bench: mode '${mode}' is not an octal mode`);
  return mode.replace(/^0+(?=\d{3})/, '');
}

export interface StateScope {
  /** The system file the workload edits in place (its directory is checked for stray temp files). */
  etcFile: string;
  /** Directories whose whole contents the workload owns. */
  dirs: string[];
}

/** What the correctness check looks at on every host. */
export function stateScope(w: Workload): StateScope {
  const edited = [...new Set(w.steps.filter((s) => s.kind === 'lineinfile').map((s) => (s as { path: string }).path))];
  if (edited.length !== 1) throw new Error(`bench: expected the workload to edit one system file, found ${edited.length}`);
  const parent = (p: string) => p.replace(/\/[^/]+\/?$/, '');
  const created = w.steps.flatMap((s) => (s.kind === 'copy' || s.kind === 'template' ? [s.dest] : s.kind === 'directory' ? [s.path] : []));
  const dirs = new Set(created.map(parent));
  for (const cmd of w.handlers.values()) {
    const m = /\s>>?\s*(\/\S+)\s*$/.exec(cmd);
    if (m) dirs.add(parent(m[1]!));
  }
  return { etcFile: edited[0]!, dirs: [...dirs].sort() };
}
