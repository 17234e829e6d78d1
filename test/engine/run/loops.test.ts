import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFleet, play, type Fleet, type RunResult } from '../../support/run-harness.js';

let fleet: Fleet;
let r: RunResult;
beforeAll(async () => {
  fleet = await makeFleet(2);
  r = await play(fleet, 'loops.yml');
});
afterAll(async () => {
  await fleet.cleanup();
});
const read = (h: string, f: string) => readFile(join(fleet.hostRoot(h), f), 'utf8');

describe('loops, register, until, changed_when/failed_when, ignore_errors', () => {
  it('runs each item with its own when, registers results with item and index', async () => {
    expect(await read('h1', 'c')).toBe('text=gamma\n');
    await expect(read('h2', 'c')).rejects.toThrow(/ENOENT/);
    expect(await read('h1', 'summary')).toBe('[true, true, true] [0, 1, 2] True\n');
    expect(await read('h2', 'summary')).toBe('[true, true, false] [0, 1, 2] True\n');
    const items = r.events.results('write items').h2!.items!;
    expect(items.map((i) => [i.label, i.status])).toEqual([
      ['a', 'changed'],
      ['b', 'changed'],
      ['c', 'skipped'],
    ]);
  });

  it('retries until the condition holds, with_items flattens one level, loop_var renames item', async () => {
    expect(await read('h1', 'report')).toBe('attempts=3 seen=x,y,z\n');
  });

  it('applies failed_when/changed_when to the registered result and ignores ignored failures', async () => {
    expect(r.events.results('exit code 3 is fine').h1!.status).toBe('ok');
    expect(r.events.results('ignored failure').h1).toMatchObject({ status: 'failed', ignored: true });
    expect(await read('h1', 'ignored')).toBe('True 1\n');
  });

  it('fails a task whose until never holds, after retries+1 attempts', async () => {
    const never = r.events.results('never satisfied');
    expect(never.h1!.status).toBe('skipped');
    expect(never.h2!.status).toBe('failed');
    expect(never.h2!.msg).toMatch(/until condition not met after 3 attempts/);
    // Ansible's count once the retries run out is the retries (2), though the module ran 3 times.
    expect(never.h2!.data.attempts).toBe(2);
    expect(r.stats.h2).toMatchObject({ failed: 1, ignored: 1 });
    expect(r.stats.h1).toMatchObject({ failed: 0, ignored: 1, skipped: 1 });
    expect(r.summary.exitCode).toBe(2);
  });
});
