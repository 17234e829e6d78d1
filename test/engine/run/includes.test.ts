import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFleet, play, type Fleet, type RunResult } from '../../support/run-harness.js';

let fleet: Fleet;
let r: RunResult;
beforeAll(async () => {
  fleet = await makeFleet(3);
  r = await play(fleet, 'includes/play.yml');
});
afterAll(async () => {
  await fleet.cleanup();
});
const read = (h: string, f: string) => readFile(join(fleet.hostRoot(h), f), 'utf8');

describe('dynamic includes', () => {
  it('picks the file per host and runs hosts that included the same file together', async () => {
    expect(r.summary.exitCode).toBe(0);
    expect(await read('h1', 'os')).toBe('linux\n');
    expect(await read('h3', 'os')).toBe('other\n');
    const starts = r.events.events.flatMap((e) => (e.type === 'task_start' ? [[e.task.name, e.hosts.join(',')]] : []));
    expect(starts).toContainEqual(['linux os file', 'h1,h2']);
    expect(starts).toContainEqual(['other os file', 'h3']);
  });

  it('includes once per loop item, with the include vars', async () => {
    for (const h of ['h1', 'h2', 'h3']) {
      expect(await read(h, 'item-a-x')).toBe('x\n');
      expect(await read(h, 'item-b-x')).toBe('x\n');
    }
  });

  it('include_role brings the role defaults and its handlers', async () => {
    expect(await read('h1', 'web')).toBe('port=8080 role=web\n');
    expect(await read('h1', 'web.log')).toBe('restarted\n');
    await expect(access(join(fleet.hostRoot('h2'), 'web'))).rejects.toThrow(/ENOENT/);
    expect(r.events.results('include a role').h2!.status).toBe('skipped');
  });
});
