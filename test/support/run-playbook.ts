// In-process runs for the reliability tests: the real loader, inventory, templater, modules and
// connection factory, with events collected for assertions.
import { dirname } from 'node:path';
import type { Reporter, RunEvent, TaskResult } from '../../src/engine/contract/events.js';
import { createConnectionFactory } from '../../src/engine/connection/factory.js';
import { loadInventory } from '../../src/engine/inventory/index.js';
import { loadPlaybook } from '../../src/engine/load/index.js';
import { runPlaybook, type RunOptions, type RunSummary } from '../../src/engine/run/index.js';
import { createTemplater } from '../../src/engine/template/index.js';
import { registry } from '../../src/modules/registry.js';

export class Events implements Reporter {
  readonly all: RunEvent[] = [];
  on(e: RunEvent): void {
    this.all.push(e);
  }
  async close(): Promise<void> {}

  /** The last result of the task named `task` on `host`. */
  result(task: string, host: string): TaskResult | undefined {
    let found: TaskResult | undefined;
    for (const e of this.all) if (e.type === 'host_result' && e.task.name === task && e.host === host) found = e.result;
    return found;
  }
}

export async function runPlaybookAt(playbook: string, inventoryPath: string, opts: Partial<RunOptions> = {}): Promise<{ summary: RunSummary; events: Events }> {
  const events = new Events();
  const summary = await runPlaybook(await loadPlaybook(playbook, { registry }), {
    inventory: await loadInventory([inventoryPath], { playbookDir: dirname(playbook) }),
    registry,
    templater: createTemplater(),
    connectionFactory: createConnectionFactory(),
    reporter: events,
    ...opts,
  });
  return { summary, events };
}
