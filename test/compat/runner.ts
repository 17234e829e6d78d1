// Runs one compat case with ansible-playbook and with fleetplay, each in its own temp copy of the case,
// and reduces each run to what is compared: exit code, recap, debug values and named files.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BIN, recap } from '../support/cli.js';

export const ANSIBLE_PLAYBOOK = '/usr/bin/ansible-playbook';
export const CASES_DIR = new URL('./cases/', import.meta.url).pathname;
export const ASPECTS = ['exit', 'recap', 'debug', 'files'] as const;
export type Aspect = (typeof ASPECTS)[number];

export interface CaseSpec {
  name: string;
  dir: string;
  description?: string;
  args: string[];
  files: string[];
  /** No `-i`: the inventory comes from the case's ansible.cfg (or ANSIBLE_INVENTORY). */
  inventoryFromConfig: boolean;
  /** case.yml as written, for the keys only some suites know (the lab suite's `lab`, `host_files`). */
  spec: Record<string, unknown>;
}

export interface Outcome {
  exit: number | null;
  recap: Record<string, Record<string, number>>;
  debug: Record<string, unknown[]>;
  files: Record<string, { content: string; mode: string } | null>;
  output: string;
}

const DEFAULT_INVENTORY = 'localhost ansible_connection=local\n';

const CASE_KEYS = ['description', 'args', 'files', 'inventory_from_config'];

/** Every `<root>/<group>/<name>/` with a site.yml, sorted by name; `extraKeys`: what else case.yml may say. */
export async function loadCases(root = CASES_DIR, extraKeys: readonly string[] = []): Promise<CaseSpec[]> {
  const out: CaseSpec[] = [];
  for (const group of (await readdir(root)).sort()) {
    const gdir = join(root, group);
    if (!(await stat(gdir)).isDirectory()) continue;
    for (const name of (await readdir(gdir)).sort()) {
      const dir = join(gdir, name);
      if (!existsSync(join(dir, 'site.yml'))) continue;
      const specFile = join(dir, 'case.yml');
      const spec = existsSync(specFile) ? ((parse(await readFile(specFile, 'utf8')) as Record<string, unknown>) ?? {}) : {};
      const bad = Object.keys(spec).filter((k) => !CASE_KEYS.includes(k) && !extraKeys.includes(k));
      if (bad.length) throw new Error(`${group}/${name}/case.yml: unknown key(s) ${bad.join(', ')}`);
      out.push({
        name: `${group}/${name}`,
        dir,
        description: spec.description as string | undefined,
        args: ((spec.args as unknown[]) ?? []).map(String),
        files: ((spec.files as unknown[]) ?? []).map(String),
        inventoryFromConfig: spec.inventory_from_config === true,
        spec,
      });
    }
  }
  return out;
}

function run(cmd: string, args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** The multi-line JSON blocks `ok: [host] => {` … `}` (and `=> (item=…) => {`): what debug prints. */
export function debugValues(output: string): Record<string, unknown[]> {
  const values: Record<string, unknown[]> = {};
  const lines = output.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^ok: \[([^\]]+)\](?: => \(item=.*\))? => \{$/.exec(lines[i]!.trimEnd());
    if (!m) continue;
    const end = lines.findIndex((l, j) => j > i && l.trimEnd() === '}');
    if (end < 0) break;
    const text = lines.slice(i, end + 1).join('\n').slice(lines[i]!.lastIndexOf('{'));
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
    (values[m[1]!] ??= []).push(value);
    i = end;
  }
  return values;
}

async function fileState(root: string, rel: string): Promise<{ content: string; mode: string } | null> {
  const p = join(root, rel);
  try {
    const s = await stat(p);
    const content = s.isDirectory() ? '<directory>' : await readFile(p, 'utf8');
    return { content, mode: (s.mode & 0o7777).toString(8).padStart(4, '0') };
  } catch {
    return null;
  }
}

// Hosts run in parallel, so their output interleaves differently: compare per host, in host-name order.
function byHost<T>(r: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export type Side = 'ansible' | 'fleetplay';

/** What ansible-playbook runs with in a case's copy `dir`: plain output, no warnings, its state inside `dir`. */
export function ansibleEnv(dir: string): Record<string, string> {
  return {
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
    ANSIBLE_RETRY_FILES_ENABLED: '0',
    ANSIBLE_LOCALHOST_WARNING: '0',
    ANSIBLE_INVENTORY_UNPARSED_WARNING: '0',
    ANSIBLE_DEPRECATION_WARNINGS: '0',
    ANSIBLE_SYSTEM_WARNINGS: '0',
    ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    ANSIBLE_STDOUT_CALLBACK: 'default',
    ANSIBLE_LOCAL_TEMP: join(dir, '.ansible-tmp'),
    ANSIBLE_HOME: join(dir, '.ansible-home'),
    ANSIBLE_CONFIG: join(dir, 'ansible.cfg'),
  };
}

/** Runs one side's tool in `dir` with `args` (`extraEnv` on top of the side's own environment). */
export function runTool(side: Side, args: string[], dir: string, extraEnv: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return side === 'ansible'
    ? run(ANSIBLE_PLAYBOOK, args, dir, { ...ansibleEnv(dir), ...extraEnv })
    : run(process.execPath, [BIN, ...args], dir, { NO_COLOR: '1', FLEETPLAY_STATE_DIR: join(dir, '.fleetplay-state'), ...extraEnv });
}

/** Exit, recap and debug values of a run's output, per host in host-name order. */
export function outcomeOf(r: { code: number | null; out: string }): Pick<Outcome, 'exit' | 'recap' | 'debug' | 'output'> {
  return { exit: r.code, recap: byHost(recap(r.out)), debug: byHost(debugValues(r.out)), output: r.out };
}

export async function runSide(c: CaseSpec, side: Side): Promise<Outcome> {
  const dir = await mkdtemp(join(tmpdir(), `compat-${side}-`));
  try {
    await cp(c.dir, dir, { recursive: true });
    await rm(join(dir, 'case.yml'), { force: true });
    if (!c.inventoryFromConfig && !existsSync(join(dir, 'inventory'))) await writeFile(join(dir, 'inventory'), DEFAULT_INVENTORY);
    const args = [...(c.inventoryFromConfig ? [] : ['-i', 'inventory']), ...c.args, 'site.yml'];
    const r = await runTool(side, args, dir);
    const files: Outcome['files'] = {};
    for (const f of c.files) files[f] = await fileState(dir, f);
    return { ...outcomeOf(r), files };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The aspects in which two outcomes differ. */
export function differences(a: Outcome, b: Outcome): Aspect[] {
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  return ASPECTS.filter((k) => !same(a[k], b[k]));
}

/** Both sides of a case side by side, for a failure message. */
export function describeBoth(c: CaseSpec, a: Outcome, f: Outcome, diff: Aspect[]): string {
  const show = (o: Outcome) =>
    JSON.stringify({ exit: o.exit, recap: o.recap, debug: o.debug, files: o.files }, null, 2) + '\n--- output ---\n' + o.output;
  return `${c.name}: differs in ${diff.join(', ')}\n=== ansible-playbook ===\n${show(a)}\n=== fleetplay ===\n${show(f)}`;
}

/** Runs `fn` over `items` with at most `n` at a time. */
export async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}
