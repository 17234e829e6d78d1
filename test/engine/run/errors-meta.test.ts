import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/engine/contract/diagnostics.js';
import { extraVars, makeFleet, play, type Fleet } from '../../support/run-harness.js';

let fleet: Fleet | undefined;
afterEach(async () => {
  await fleet?.cleanup();
  fleet = undefined;
});
const exists = (p: string) => access(p).then(() => true, () => false);

describe('errors become failed results with a location; meta tasks', () => {
  it('fails only the host whose template is broken, naming the variable and its place', async () => {
    fleet = await makeFleet(3);
    const r = await play(fleet, 'errors.yml', { extraVars: extraVars({ target: 'h1:h2:h3' }) });
    const args = r.events.results('undefined in args');
    expect(args.h1!.status).toBe('failed');
    expect(args.h1!.msg).toMatch(/errors\.yml:9:\d+: .*'missing_var'/);
    expect(args.h2!.status).toBe('skipped');
    const when = r.events.results('undefined in when');
    expect(when.h2!.status).toBe('failed');
    expect(when.h2!.msg).toMatch(/errors\.yml:14:\d+: .*'also_missing'/);
    expect(r.events.results('h3 never gets here').h3).toBeUndefined();
    expect(await exists(join(fleet.hostRoot('h3'), 'after-end'))).toBe(false);
    expect(r.stats.h3).toMatchObject({ failed: 0 });
    expect(r.summary.exitCode).toBe(2);
    expect(r.events.events.find((e) => e.type === 'play_start')).toMatchObject({ name: 'play for {{ target }}', hosts: ['h1', 'h2', 'h3'] });
  });

  it('rejects a host pattern that cannot be templated before touching any host', async () => {
    fleet = await makeFleet(1);
    await expect(play(fleet, 'errors.yml')).rejects.toThrow(InvalidInputError);
  });

  it('clear_host_errors: a failed host takes no more tasks in the play but is back for the next; end_play ends the play for all', async () => {
    fleet = await makeFleet(2);
    const r = await play(fleet, 'meta.yml');
    const f = fleet;
    // As Ansible: the failed host stays done for this play, only its failure is forgotten.
    expect(await exists(join(f.hostRoot('h1'), 'again'))).toBe(false);
    expect(await exists(join(f.hostRoot('h2'), 'again'))).toBe(true);
    for (const h of ['h1', 'h2']) {
      expect(await exists(join(f.hostRoot(h), 'nope'))).toBe(false);
      expect(await exists(join(f.hostRoot(h), 'second'))).toBe(true);
    }
    expect(r.stats.h1).toMatchObject({ failed: 1, ok: 1 });
    // the failure was cleared: the run succeeds (Ansible's exit status follows the hosts' state)
    expect(r.summary.exitCode).toBe(0);
  });
});
