import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { extraVars, makeFleet, play, type Fleet } from '../../support/run-harness.js';

let fleet: Fleet | undefined;
afterEach(async () => {
  await fleet?.cleanup();
  fleet = undefined;
});
const exists = (p: string) => access(p).then(() => true, () => false);

describe('serial, failure policies, run_once, delegate_to, no_log, free', () => {
  it('runs serial batches one after the other, cycling the last size', async () => {
    fleet = await makeFleet(5);
    const log = join(fleet.dir, 'log');
    const r = await play(fleet, 'serial.yml', { extraVars: extraVars({ log }) });
    expect(r.summary.exitCode).toBe(0);
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    const batchOf = (line: string) => ({ h1: 0, h2: 1, h3: 1, h4: 2, h5: 2 })[line.split(' ')[0] as 'h1'];
    // batches never interleave, and within a batch every host does "one" before anyone does "two"
    expect(lines.map(batchOf)).toEqual([0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect(lines.slice(2, 4).every((l) => l.includes(' one '))).toBe(true);
    expect(lines).toContain('h1 one h1');
    expect(lines.filter((l) => l.startsWith('h4 one'))).toEqual(['h4 one h4,h5']);
  });

  it('stops the play and the playbook when a batch fails beyond max_fail_percentage', async () => {
    fleet = await makeFleet(5);
    const r = await play(fleet, 'max-fail.yml');
    const f = fleet;
    const after = await Promise.all(['h1', 'h2', 'h3', 'h4', 'h5'].map((h) => exists(join(f.hostRoot(h), 'after'))));
    expect(after).toEqual([true, true, false, false, false]);
    expect(r.events.warnings().some((w) => /max_fail_percentage 49% exceeded: 1 of 2 hosts/.test(w))).toBe(true);
    // h5's batch never started and the next play never ran: nothing counted for it.
    expect(r.stats.h5 ?? { ok: 0, changed: 0 }).toMatchObject({ ok: 0, changed: 0 });
    const next = await Promise.all(['h1', 'h2', 'h3', 'h4', 'h5'].map((h) => exists(join(f.hostRoot(h), 'next'))));
    // As in Ansible, a play ended by max_fail_percentage ends the playbook: the next play never starts.
    expect(next).toEqual([false, false, false, false, false]);
    expect(r.events.warnings().some((w) => /max_fail_percentage of play .* was exceeded, which ends the run/.test(w))).toBe(true);
    expect(r.summary.exitCode).toBe(2);
  });

  it('any_errors_fatal ends the play for every host after the failing task', async () => {
    fleet = await makeFleet(3);
    const r = await play(fleet, 'fatal.yml');
    const f = fleet;
    for (const h of ['h1', 'h2', 'h3']) {
      expect(await exists(join(f.hostRoot(h), 'first'))).toBe(true);
      expect(await exists(join(f.hostRoot(h), 'second'))).toBe(false);
    }
    expect(r.events.taskNames()).not.toContain('second');
    expect(r.summary.exitCode).toBe(2);
    expect(r.stats.h1).toMatchObject({ failed: 0 });
  });

  it('run_once runs on the first host and shares its result; delegate_to and no_log', async () => {
    fleet = await makeFleet(3);
    const log = join(fleet.dir, 'log');
    const r = await play(fleet, 'once.yml', { extraVars: extraVars({ log }) });
    expect(r.summary.exitCode).toBe(0);
    expect(await readFile(log, 'utf8')).toBe('ran on h1\n');
    expect(Object.keys(r.events.results('once'))).toEqual(['h1']);
    for (const h of ['h1', 'h2', 'h3']) {
      expect(await readFile(join(fleet.hostRoot(h), 'once'), 'utf8')).toBe('stdout=done\n');
      expect(await readFile(join(fleet.hostRoot(h), 'delegated'), 'utf8')).toBe(`for ${h}\n`);
      expect(await readFile(join(fleet.hostRoot(h), 'hidden'), 'utf8')).toBe('len=23\n');
    }
    expect(r.events.results('delegated').h2!.delegatedTo).toBe('localhost');
    const secret = r.events.results('secret').h1!;
    expect(secret.noLog).toBe(true);
    expect(JSON.stringify(r.events.events)).not.toContain('hunter2');
    expect(r.stats.h1).toMatchObject({ ok: 5 });
    expect(r.stats.h2).toMatchObject({ ok: 4 });
  });

  it('free strategy lets a fast host finish while a slow one is still busy', async () => {
    fleet = await makeFleet(2);
    const r = await play(fleet, 'free.yml');
    expect(r.summary.exitCode).toBe(0);
    const order = r.events.ran().map(([t, h]) => `${h}:${t}`);
    expect(order.indexOf('h2:next')).toBeLessThan(order.indexOf('h1:slow on h1'));
    expect(order.indexOf('h1:slow on h1')).toBeLessThan(order.indexOf('h1:next'));
  });
});
