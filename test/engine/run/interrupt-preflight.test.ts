import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Type from 'typebox';
import { afterEach, describe, expect, it } from 'vitest';
import type { Module, Plan } from '../../../src/engine/contract/module.js';
import { createRegistry } from '../../../src/modules/registry.js';
import { modules } from '../../../src/modules/all.js';
import { makeFleet, play, type Fleet } from '../../support/run-harness.js';

let fleet: Fleet | undefined;
afterEach(async () => {
  await fleet?.cleanup();
  fleet = undefined;
});
const exists = (p: string) => access(p).then(() => true, () => false);

describe('interrupt', () => {
  it('lets running module calls finish, starts nothing new, reports where hosts were and pending handlers', async () => {
    fleet = await makeFleet(2);
    const ac = new AbortController();
    // Ctrl-C while 'slow' runs (its commands take a second).
    const r = await play(fleet, 'interrupt.yml', { signal: ac.signal }, (e) => {
      if (e.type === 'task_start' && e.task.name === 'slow') setTimeout(() => ac.abort(), 100);
    });
    expect(r.summary.exitCode).toBe(99);
    expect(r.summary.interrupted).toBe(true);
    expect(r.summary.interruptedAt).toEqual({ h1: 'slow', h2: 'slow' });
    for (const h of ['h1', 'h2']) {
      expect(await readFile(join(fleet.hostRoot(h), 'slow'), 'utf8')).toBe('finished\n');
      expect(await exists(join(fleet.hostRoot(h), 'b'))).toBe(false);
      expect(await exists(join(fleet.hostRoot(h), 'log'))).toBe(false);
    }
    expect(r.summary.pendingHandlers).toEqual({ h1: ['restart'], h2: ['restart'] });
    expect(r.events.events.at(-1)).toMatchObject({ type: 'recap', interrupted: true });
    expect(r.events.warnings()).toContain("interrupted: no new task was started; hosts were at: h1 at 'slow', h2 at 'slow'");
    expect(r.events.taskNames()).not.toContain('never started');
  });
});

/** A real module with a cluster preflight: all hosts must report the same "model". */
function probeModule(reads: string[]): Module {
  return {
    meta: { name: 'fleet_probe', description: 'test module with a preflight', platforms: ['linux'], checkMode: 'full' },
    schema: Type.Object({ path: Type.String(), value: Type.String() }, { additionalProperties: false }),
    async read(ctx, args: { path: string }) {
      reads.push(ctx.host);
      const model = await ctx.readFile(join(args.path, 'model'));
      const current = await ctx.readFile(join(args.path, 'setting'));
      return { model: model?.data.toString().trim(), setting: current?.data.toString() };
    },
    plan(args: { path: string; value: string }, cur: { setting?: string }) {
      return cur.setting === args.value ? { changes: [] } : { changes: [{ file: join(args.path, 'setting'), value: args.value }] };
    },
    async apply(ctx, plan: Plan<{ file: string; value: string }>) {
      for (const c of plan.changes) await ctx.writeFile(c.file, c.value);
      return {};
    },
    preflight(targets: Array<{ host: string; current: { model?: string } }>) {
      const models = new Set(targets.map((t) => t.current.model));
      const table = targets.map((t) => `${t.host}: ${t.current.model}`).join('\n');
      return models.size > 1 ? { errors: [`GPU models differ:\n${table}`], warnings: [] } : { errors: [], warnings: [`checked ${targets.length} hosts`] };
    },
  };
}

describe('cluster preflight', () => {
  it('reads every host once, then applies when the preflight passes', async () => {
    fleet = await makeFleet(3);
    for (const h of ['h1', 'h2', 'h3']) await writeFile(join(fleet.hostRoot(h), 'model'), 'A100\n');
    const reads: string[] = [];
    const r = await play(fleet, 'preflight.yml', { registry: createRegistry([...modules, probeModule(reads)]) });
    expect(r.summary.exitCode).toBe(0);
    expect(reads.sort()).toEqual(['h1', 'h2', 'h3']);
    for (const h of ['h1', 'h2', 'h3']) expect(await readFile(join(fleet.hostRoot(h), 'setting'), 'utf8')).toBe('4');
    expect(r.events.warnings()).toContain('checked 3 hosts');
  });

  it('fails the task on every host with nothing applied when the preflight finds an error', async () => {
    fleet = await makeFleet(3);
    for (const h of ['h1', 'h2', 'h3']) await writeFile(join(fleet.hostRoot(h), 'model'), h === 'h2' ? 'A10\n' : 'A100\n');
    const r = await play(fleet, 'preflight.yml', { registry: createRegistry([...modules, probeModule([])]) });
    expect(r.summary.exitCode).toBe(2);
    const results = r.events.results('set the partition count');
    for (const h of ['h1', 'h2', 'h3']) {
      expect(results[h]!.status).toBe('failed');
      expect(results[h]!.msg).toContain('h2: A10');
      expect(await exists(join(fleet.hostRoot(h), 'setting'))).toBe(false);
      expect(await exists(join(fleet.hostRoot(h), 'after'))).toBe(false);
    }
  });
});
