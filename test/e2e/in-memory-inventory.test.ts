// add_host and group_by through the real CLI on two lab hosts: the groups they make select the hosts
// of later plays, which then run commands over SSH with the variables add_host gave.
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const PLAYBOOK = new URL('fixtures/inventory/in-memory.yml', import.meta.url).pathname;
const lab = useLab({ linux: 2 });

describe('in-memory inventory over SSH', () => {
  it('later plays target the groups made by group_by and add_host', async () => {
    const r = await fleetplay([PLAYBOOK, '-i', lab.inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/"msg": "first is linux-01 in chosen,first_True,/);
    expect(r.stdout).toContain('"msg": "added linux-02 says from-add-host"');
    expect(r.stdout).not.toContain('added linux-01');
    // add_host runs once per task: only the first host reports it.
    expect(recap(r.stdout)['linux-01']).toMatchObject({ ok: 4, changed: 3, failed: 0 });
    expect(recap(r.stdout)['linux-02']).toMatchObject({ ok: 3, changed: 2, failed: 0 });
  });
});
