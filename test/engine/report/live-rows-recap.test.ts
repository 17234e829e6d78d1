// The live rows count what the recap counts: for real runs of playbooks with loops, ignored and
// rescued failures, skips, run_once, handlers and includes, the rows' counters summed over tasks
// equal the recap's counters summed over hosts.
import { afterEach, describe, expect, it } from 'vitest';
import type { HostStats } from '../../../src/engine/contract/events.js';
import { emptyStats } from '../../../src/engine/contract/stats.js';
import { painter } from '../../../src/engine/report/ansi.js';
import { Row } from '../../../src/engine/report/live-rows.js';
import { makeFleet, play, type Fleet } from '../../support/run-harness.js';

let fleet: Fleet | undefined;
afterEach(async () => {
  await fleet?.cleanup();
  fleet = undefined;
});

const KEYS: Array<keyof HostStats> = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'];

function rowTotals(text: string[]): HostStats {
  const total = emptyStats();
  for (const line of text) {
    for (const k of KEYS) total[k] += Number(new RegExp(`\\b${k} (\\d+)`).exec(line)?.[1] ?? 0);
  }
  return total;
}

describe('live rows and the recap', () => {
  for (const playbook of ['blocks.yml', 'loops.yml', 'once.yml', 'handlers.yml', 'serial.yml', 'max-fail.yml', 'site.yml']) {
    it(`agree on ${playbook}`, async () => {
      fleet = await makeFleet(3);
      const rows = new Map<string, Row>();
      const paint = painter(false);
      const r = await play(fleet, playbook, {}, (e) => {
        if (e.type === 'task_start') {
          if (!rows.has(e.task.id)) rows.set(e.task.id, new Row('row', 0, paint));
          rows.get(e.task.id)!.expect(e.hosts);
        }
        if (e.type === 'host_result') rows.get(e.task.id)!.count(e.host, e.result);
      });
      const recap = emptyStats();
      for (const s of Object.values(r.stats)) for (const k of KEYS) recap[k] += s[k];
      expect(recap.ok + recap.failed + recap.skipped).toBeGreaterThan(0);
      expect(rowTotals([...rows.values()].map((row) => row.text()))).toEqual(recap);
    });
  }
});
