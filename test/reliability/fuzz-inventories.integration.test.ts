// Property: any inventory text (INI or YAML) loads or is rejected with every problem located; on a
// loaded inventory, any host pattern selects hosts or is rejected with a message — never a crash.
import { writeFile } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/engine/contract/diagnostics.js';
import type { Inventory } from '../../src/engine/contract/inventory.js';
import { loadInventory } from '../../src/engine/inventory/index.js';
import { hostPattern, iniInventory, yamlInventory } from '../support/inventory-arbitraries.js';
import { expectResolvesOrLocated, Tally } from '../support/located.js';
import { runs } from '../support/budget.js';
import { workspace, type Workspace } from '../support/workspace.js';

export const INVENTORY_RUNS = { ini: runs(200), yaml: runs(150) };

let ws: Workspace;
beforeAll(async () => {
  ws = await workspace('fuzz-inv');
});
afterAll(() => ws.remove());

/** select() knows no file: its errors carry no place (the caller adds it), but must be InvalidInputError. */
function checkSelect(inv: Inventory, pattern: string, input: string): void {
  try {
    const hosts = inv.select(pattern);
    expect(new Set(hosts).size, `duplicates for '${pattern}'`).toBe(hosts.length);
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw new Error(`select('${pattern}') threw ${(err as Error).stack}\n--- inventory ---\n${input}`);
    expect(err.diagnostics[0]!.message).toContain(pattern.trim() === '' ? '' : 'pattern');
  }
}

async function fuzz(kind: 'ini' | 'yml', arb: fc.Arbitrary<string>, runs: number): Promise<Tally> {
  const tally = new Tally();
  let n = 0;
  await fc.assert(
    fc.asyncProperty(arb, fc.array(hostPattern, { minLength: 1, maxLength: 4 }), async (text, patterns) => {
      const file = ws.path(`inv-${n++}.${kind}`);
      await writeFile(file, text);
      let inv: Inventory | undefined;
      tally.add(
        await expectResolvesOrLocated(async () => {
          inv = await loadInventory([file]);
        }, text),
      );
      if (!inv) return;
      for (const h of inv.hosts.keys()) {
        inv.hostVars(h);
        inv.groupNames(h);
      }
      inv.groupsMap();
      for (const p of patterns) checkSelect(inv, p, text);
    }),
    { numRuns: runs },
  );
  return tally;
}

describe('fuzzed inventories', () => {
  it(`${INVENTORY_RUNS.ini} INI inventories with bad sections, ranges and vars`, async () => {
    const tally = await fuzz('ini', iniInventory, INVENTORY_RUNS.ini);
    console.log(tally.summary('INI inventories'));
    expect(tally.total).toBe(INVENTORY_RUNS.ini);
    expect(tally.rejected).toBeGreaterThan(INVENTORY_RUNS.ini / 3);
    expect(tally.accepted).toBeGreaterThan(0);
  }, 120_000);

  it(`${INVENTORY_RUNS.yaml} YAML inventories with wrong types and damaged text`, async () => {
    const tally = await fuzz('yml', yamlInventory, INVENTORY_RUNS.yaml);
    console.log(tally.summary('YAML inventories'));
    expect(tally.total).toBe(INVENTORY_RUNS.yaml);
    expect(tally.rejected).toBeGreaterThan(INVENTORY_RUNS.yaml / 3);
    expect(tally.accepted).toBeGreaterThan(0);
  }, 120_000);

  it('a pattern with an unbalanced bracket is refused instead of matching every host', async () => {
    const file = ws.path('two.ini');
    await writeFile(file, '[fleet]\nh1\nh2\n');
    const inv = await loadInventory([file]);
    for (const p of ['~[', 'fleet[0', 'h1:]']) expect(() => inv.select(p)).toThrow(/unbalanced/);
    expect(inv.select('fleet[0]')).toEqual(['h1']);
    expect(inv.select('~h[2]')).toEqual(['h2']);
  });
});
