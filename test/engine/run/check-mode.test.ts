import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeFleet, play, type Fleet } from '../../support/run-harness.js';

let fleet: Fleet;
beforeEach(async () => {
  fleet = await makeFleet(2);
  await writeFile(join(fleet.hostRoot('h1'), 'release'), 'ubuntu22.04\n');
  await writeFile(join(fleet.hostRoot('h2'), 'release'), 'rhel8.6\n');
  await writeFile(join(fleet.hostRoot('h1'), 'marker'), '');
});
afterEach(async () => {
  await fleet.cleanup();
});
const exists = (h: string, f: string) => access(join(fleet.hostRoot(h), f)).then(() => true, () => false);

describe('check mode', () => {
  it('reports tasks that read a check-skipped result as undetermined instead of failing', async () => {
    const r = await play(fleet, 'check.yml', { checkMode: true });
    expect(r.summary.exitCode).toBe(0);
    const status = (task: string, h = 'h1') => r.events.results(task)[h];
    expect(status('read release')).toMatchObject({ status: 'skipped', reason: 'not supported in check mode' });
    expect(status('depends on release')!.status).toBe('skipped');
    expect(status('depends on release')!.reason).toMatch(/^undetermined in check mode: depends on 'rel' from a task skipped in check mode/);
    expect(status('transitively')!.reason).toMatch(/depends on 'rel'/);
    expect(status('uses the transitive result')!.reason).toMatch(/depends on 'said'/);
    // creates/removes decide in check mode: h1 has the marker (ok), h2 would have to run it (skipped)
    expect(status('creates decides', 'h1')!.status).toBe('ok');
    expect(status('creates decides', 'h2')).toMatchObject({ status: 'skipped', reason: 'not supported in check mode' });
    // check_mode: false runs for real even under --check
    expect(status('forced real run')!.status).toBe('changed');
    expect(await exists('h1', 'forced')).toBe(true);
    expect(status('forced check')).toMatchObject({ status: 'changed', checkMode: true });
    for (const f of ['out', 'forced-check', 'mode']) expect(await exists('h1', f)).toBe(false);
    expect(await exists('h2', 'marker')).toBe(false);
    expect(r.stats.h1).toMatchObject({ failed: 0, skipped: 4 });
  });

  it('runs everything for real without --check, except check_mode: true tasks', async () => {
    const r = await play(fleet, 'check.yml');
    expect(r.summary.exitCode).toBe(0);
    expect(await readFile(join(fleet.hostRoot('h2'), 'out'), 'utf8')).toBe('release=rhel8.6\n');
    expect(r.events.results('uses the transitive result').h2!.data.msg).toBe('release is rhel8.6');
    expect(await exists('h2', 'marker')).toBe(true);
    expect(await exists('h1', 'forced-check')).toBe(false);
    expect(r.events.results('forced check').h1).toMatchObject({ status: 'changed', checkMode: true });
    expect(await readFile(join(fleet.hostRoot('h1'), 'mode'), 'utf8')).toBe('mode=False\n');
  });
});
