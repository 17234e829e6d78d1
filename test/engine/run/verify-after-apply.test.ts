// The engine's check after apply: with verifyAfterApply, a module whose apply did not bring the host
// to the plan's intended state fails the task, naming what still differs; without it nothing extra
// is read.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Type from 'typebox';
import { afterEach, describe, expect, it } from 'vitest';
import type { Module, Plan } from '../../../src/engine/contract/module.js';
import { modules } from '../../../src/modules/all.js';
import { createRegistry } from '../../../src/modules/registry.js';
import { makeFleet, play, writePlaybook, type Fleet } from '../../support/run-harness.js';

let fleet: Fleet | undefined;
afterEach(async () => {
  await fleet?.cleanup();
  fleet = undefined;
});

type Change = { file: string; value: string };

/** Writes `value` to `path`; a `lossy` apply writes a truncated value, as a buggy module would. */
function setting(reads: string[], lossy: boolean): Module {
  return {
    meta: { name: 'fleet_setting', description: 'test module', platforms: ['linux'], checkMode: 'full' },
    schema: Type.Object({ path: Type.String(), value: Type.String() }, { additionalProperties: false }),
    async read(ctx, args: { path: string }) {
      reads.push(ctx.host);
      return { value: (await ctx.readFile(args.path))?.data.toString() };
    },
    plan(args: { path: string; value: string }, cur: { value?: string }): Plan<Change> {
      if (cur.value === args.value) return { changes: [], reason: 'already set' };
      return { changes: [{ file: args.path, value: args.value }], reason: `set ${args.path} to ${args.value}` };
    },
    async apply(ctx, plan: Plan<Change>) {
      for (const c of plan.changes) await ctx.writeFile(c.file, lossy ? c.value.slice(1) : c.value);
      return {};
    },
  };
}

const PLAYBOOK = `
- hosts: fleet
  gather_facts: false
  tasks:
    - name: the setting
      fleet_setting: { path: "{{ root }}/setting", value: "on" }
`;

describe('verify after apply', () => {
  it('reads the host again and passes when apply did what the plan said', async () => {
    fleet = await makeFleet(2);
    const reads: string[] = [];
    const pb = await writePlaybook(fleet, 'site.yml', PLAYBOOK);
    const r = await play(fleet, pb, { registry: createRegistry([...modules, setting(reads, false)]), verifyAfterApply: true });
    expect(r.summary.exitCode).toBe(0);
    expect(r.stats.h1).toMatchObject({ changed: 1, failed: 0 });
    expect(reads.sort()).toEqual(['h1', 'h1', 'h2', 'h2']);
  });

  it('fails the task naming what still differs when apply fell short', async () => {
    fleet = await makeFleet(1);
    const pb = await writePlaybook(fleet, 'site.yml', PLAYBOOK);
    const r = await play(fleet, pb, { registry: createRegistry([...modules, setting([], true)]), verifyAfterApply: true });
    expect(r.summary.exitCode).toBe(2);
    const res = r.events.results('the setting').h1!;
    expect(res.status).toBe('failed');
    expect(res.msg).toBe(`after apply the host does not match the plan: set ${join(fleet.hostRoot('h1'), 'setting')} to on`);
    expect(await readFile(join(fleet.hostRoot('h1'), 'setting'), 'utf8')).toBe('n');
  });

  it('is off by default: one read per task, and a short apply goes unnoticed', async () => {
    fleet = await makeFleet(1);
    const reads: string[] = [];
    const pb = await writePlaybook(fleet, 'site.yml', PLAYBOOK);
    const r = await play(fleet, pb, { registry: createRegistry([...modules, setting(reads, true)]) });
    expect(r.summary.exitCode).toBe(0);
    expect(reads).toEqual(['h1']);
  });
});
