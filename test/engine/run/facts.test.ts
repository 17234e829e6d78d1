import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeFleet, play, type Fleet } from '../../support/run-harness.js';

let fleet: Fleet | undefined;
afterEach(async () => {
  await fleet?.cleanup();
});

describe('facts, templated vars_files, environment', () => {
  it('gathers facts first (above host vars), reads per-host vars_files, passes the environment', async () => {
    fleet = await makeFleet(2, '[fleet:vars]\nansible_system=NotAnOS\n');
    const r = await play(fleet, 'facts/play.yml');
    expect(r.summary.failures).toEqual([]);
    expect(r.events.taskNames()[0]).toBe('Gathering Facts');
    expect(await readFile(join(fleet.hostRoot('h1'), 'facts'), 'utf8')).toBe('Linux Linux True from-linux-file\n');
    expect(await readFile(join(fleet.hostRoot('h2'), 'env'), 'utf8')).toBe('hi h2\n');
    expect(r.stats.h1).toMatchObject({ ok: 3, changed: 2 });
  });
});
