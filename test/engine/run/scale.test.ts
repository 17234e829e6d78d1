import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFleet, play, type Fleet } from '../../support/run-harness.js';

let fleet: Fleet;
beforeAll(async () => {
  fleet = await makeFleet(0);
  await writeFile(fleet.inventoryPath, '[fleet]\nh[001:500] ansible_connection=local\n');
});
afterAll(async () => {
  await fleet.cleanup();
});

describe('scale', () => {
  it('runs 500 hosts × 10 tasks + a handler with little controller work', async () => {
    const t0 = performance.now();
    const r = await play(fleet, 'scale.yml', { forks: 50 });
    const ms = performance.now() - t0;
    expect(r.summary.failures).toEqual([]);
    expect(Object.keys(r.stats)).toHaveLength(500);
    expect(r.stats.h250).toEqual({ ok: 11, changed: 1, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 });
    expect(r.events.results('t4').h500!.data.msg).toBe(2);
    // Generous for a loaded 2-core CI machine; a quadratic hostvars or per-task var merge takes far longer.
    expect(ms).toBeLessThan(8000);
  }, 60_000);
});
