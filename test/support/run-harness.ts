// End-to-end harness: real loader, inventory, templater, modules and local connection, on fake
// hosts h1..hN that are all the controller, each writing under its own temp dir (`root` host var).
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostStats, Reporter, RunEvent, TaskResult } from '../../src/engine/contract/events.js';
import type { VarBlock } from '../../src/engine/contract/playbook.js';
import { createConnectionFactory } from '../../src/engine/connection/factory.js';
import { loadInventory } from '../../src/engine/inventory/index.js';
import { loadPlaybook } from '../../src/engine/load/index.js';
import { runPlaybook, type RunOptions, type RunSummary } from '../../src/engine/run/index.js';
import { createTemplater } from '../../src/engine/template/index.js';
import { registry } from '../../src/modules/registry.js';

export const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/run');

export class Collect implements Reporter {
  readonly events: RunEvent[] = [];
  constructor(private readonly onEvent?: (e: RunEvent) => void) {}
  on(e: RunEvent): void {
    this.events.push(e);
    this.onEvent?.(e);
  }
  async close(): Promise<void> {}

  /** host → result of the (last) task with this name. */
  results(taskName: string): Record<string, TaskResult> {
    const out: Record<string, TaskResult> = {};
    for (const e of this.events) if (e.type === 'host_result' && e.task.name === taskName) out[e.host] = e.result;
    return out;
  }

  /** Names of tasks started, in order (handlers included). */
  taskNames(): string[] {
    return this.events.flatMap((e) => (e.type === 'task_start' ? [e.task.name] : []));
  }

  /** (task name, host) pairs in the order results arrived, for tasks whose name matches. */
  ran(filter: (name: string) => boolean = () => true): Array<[string, string]> {
    return this.events.flatMap((e) => (e.type === 'host_result' && filter(e.task.name) ? [[e.task.name, e.host] as [string, string]] : []));
  }

  warnings(): string[] {
    return this.events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
  }
}

export interface Fleet {
  dir: string;
  inventoryPath: string;
  hostRoot(host: string): string;
  cleanup(): Promise<void>;
}

/** h1..hN with ansible_connection=local and root=<tmp>/<host>; `extra` adds inventory text. */
export async function makeFleet(n: number, extra = ''): Promise<Fleet> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetplay-run-'));
  const lines = ['[fleet]'];
  for (let i = 1; i <= n; i++) {
    const root = join(dir, `h${i}`);
    await mkdir(root, { recursive: true });
    lines.push(`h${i} ansible_connection=local root=${root}`);
  }
  const inventoryPath = join(dir, 'inventory.ini');
  await writeFile(inventoryPath, `${lines.join('\n')}\n${extra}`);
  return { dir, inventoryPath, hostRoot: (h) => join(dir, h), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface RunResult {
  summary: RunSummary;
  events: Collect;
  stats: Record<string, HostStats>;
}

/** Loads `playbook` (a fixture name or an absolute path) and runs it against `fleet`. */
export async function play(fleet: Fleet, playbook: string, opts: Partial<RunOptions> = {}, onEvent?: (e: RunEvent) => void): Promise<RunResult> {
  const path = playbook.startsWith('/') ? playbook : join(fixtures, playbook);
  const reg = opts.registry ?? registry;
  const pb = await loadPlaybook(path, { registry: reg });
  const inventory = await loadInventory([fleet.inventoryPath], { playbookDir: dirname(path) });
  const events = new Collect(onEvent);
  const summary = await runPlaybook(pb, {
    inventory,
    registry: reg,
    templater: createTemplater(),
    connectionFactory: createConnectionFactory(),
    reporter: events,
    forks: 5,
    ...opts,
  });
  return { summary, events, stats: summary.stats };
}

/** Writes a playbook into the fleet dir (for tests that need a one-off file). */
export async function writePlaybook(fleet: Fleet, name: string, text: string): Promise<string> {
  const p = join(fleet.dir, name);
  await writeFile(p, text);
  return p;
}

export function extraVars(vars: Record<string, unknown>): VarBlock {
  return { vars, locs: {} };
}
