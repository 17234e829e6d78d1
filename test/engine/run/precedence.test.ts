import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { extraVars, fixtures, makeFleet, play, type Fleet } from '../../support/run-harness.js';

let fleet: Fleet | undefined;
afterEach(async () => {
  await fleet?.cleanup();
});

/** L<k> is defined at levels 0..k; the value seen must be level k's name (vars.ts table). */
describe('variable precedence', () => {
  it('follows the documented table from role defaults up to extra vars', async () => {
    const levels = (await readFile(join(fixtures, 'precedence/levels.txt'), 'utf8')).trim().split('\n');
    const defs = (k: number, sep: string) => Array.from({ length: 12 - k }, (_, i) => `L${k + i}${sep}${levels[k]}`).join('\n');
    fleet = await makeFleet(2, `[all:vars]\n${defs(1, '=')}\n[fleet:vars]\n${defs(2, '=')}\n`);
    await mkdir(join(fleet.dir, 'host_vars'));
    for (const h of ['h1', 'h2']) await writeFile(join(fleet.dir, 'host_vars', `${h}.yml`), `${defs(3, ': ')}\n`);

    const r = await play(fleet, 'precedence/play.yml', { extraVars: extraVars({ L11: 'extra' }) });
    expect(r.summary.failures).toEqual([]);
    const seen = JSON.parse(await readFile(join(fleet.hostRoot('h1'), 'prec.json'), 'utf8'));
    expect(seen).toEqual(Object.fromEntries(levels.map((name, k) => [`L${k}`, name])));

    // Outside the role and its block: role defaults and role vars stay visible to the play (Ansible's
    // default), play vars are templated lazily per host, and hostvars reads another host's vars.
    const playView = JSON.parse(await readFile(join(fleet.hostRoot('h1'), 'play.json'), 'utf8'));
    expect(playView).toEqual({ L0: 'defaults', L6: 'role_vars', L7: 'role_vars', lazy: 'h1-host-extra', other: 'host' });
  });
});
