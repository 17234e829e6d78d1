// Property: whatever a playbook file holds, loading it either succeeds or reports every problem at
// its file:line:col (InvalidInputError, exit 3) — never a JavaScript exception. Accepted playbooks go
// one step further, through --list-hosts/--list-tasks, which template play patterns and task names.
import { writeFile } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listHosts, listTasks } from '../../src/cli/listing.js';
import type { Inventory } from '../../src/engine/contract/inventory.js';
import { loadInventory } from '../../src/engine/inventory/index.js';
import { loadPlaybooks } from '../../src/engine/load/index.js';
import { createTemplater } from '../../src/engine/template/index.js';
import { registry } from '../../src/modules/registry.js';
import { expectResolvesOrLocated, Tally } from '../support/located.js';
import { malformedPlaybook } from '../support/playbook-arbitraries.js';
import { runs } from '../support/budget.js';
import { workspace, type Workspace } from '../support/workspace.js';

export const PLAYBOOK_RUNS = runs(450);

let ws: Workspace;
let inventory: Inventory;
beforeAll(async () => {
  ws = await workspace('fuzz-pb', 'fuzz-base');
  await writeFile(ws.path('hosts.ini'), '[fleet]\nh1\nh2\n[gpu]\nh2\n');
  inventory = await loadInventory([ws.path('hosts.ini')]);
});
afterAll(() => ws.remove());

// Which layer a diagnostic came from, to show that generated inputs get past the YAML parser.
function layer(message: string): string {
  if (/unknown module|conflicting action|no action/i.test(message)) return 'module';
  if (/argument|must be one of|required/i.test(message)) return 'args';
  if (/template|expression|undefined variable|expected '\}\}'|unexpected token/i.test(message)) return 'template';
  if (/unknown key|keyword|must be a|got a|not allowed/i.test(message)) return 'keyword';
  if (/not found/i.test(message)) return 'file';
  return 'yaml';
}

describe('fuzzed playbooks', () => {
  it(`${PLAYBOOK_RUNS} malformed playbooks: accepted or rejected with located diagnostics`, async () => {
    const tally = new Tally();
    const templater = createTemplater();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(malformedPlaybook, async (text) => {
        const file = ws.path(`pb-${n++}.yml`);
        await writeFile(file, text);
        let loaded: Awaited<ReturnType<typeof loadPlaybooks>> | undefined;
        const outcome = await expectResolvesOrLocated(async () => {
          loaded = await loadPlaybooks([file], { registry, onWarning: () => {} });
        }, text);
        tally.add(outcome, layer);
        if (!loaded) return;
        const ctx = { inventory, templater, extraVars: { vars: {}, locs: {} }, tags: [], skipTags: [] };
        for (const pb of loaded) {
          await expectResolvesOrLocated(() => listHosts(pb, ctx), text);
          await expectResolvesOrLocated(() => listTasks(pb, ctx), text);
        }
      }),
      { numRuns: PLAYBOOK_RUNS },
    );
    console.log(tally.summary('playbooks'));
    expect(tally.total).toBe(PLAYBOOK_RUNS);
    // The generator must bite: most inputs are wrong, and the wrong ones reach every layer.
    expect(tally.rejected).toBeGreaterThan(PLAYBOOK_RUNS / 2);
    // (Template syntax is checked when a task runs, not at load: few load-time 'template' diagnostics.)
    for (const k of ['module', 'args', 'keyword', 'yaml']) expect(tally.kinds.get(k) ?? 0, `no '${k}' diagnostics`).toBeGreaterThan(0);
  }, 120_000);
});
