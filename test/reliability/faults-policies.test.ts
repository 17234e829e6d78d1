// Failure policies under real faults, through the CLI on a 4-host lab, as Ansible documents them
// (playbooks_error_handling, playbooks_strategies):
// - max_fail_percentage: the play is aborted when MORE than the given share of the hosts of the
//   batch has failed (exceeded, not equalled); unreachable hosts count as failed hosts.
// - any_errors_fatal: the failing task finishes on every host of the batch, then the play stops on
//   all hosts; "subsequent tasks and plays are not executed". An unreachable host is such an error.
// - serial: failures are scoped to the batch; the next batch runs unless the whole batch failed or
//   max_fail_percentage was exceeded.
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';
import { fleetplayToEnd, startFleetplay } from '../support/fault-cli.js';
import { hostTmpFile } from '../support/fault-lab.js';

const lab = useLab({ linux: 4 });
const HOSTS = ['linux-01', 'linux-02', 'linux-03', 'linux-04'];
const DEADLINE_MS = 90_000;

afterEach(() => lab.reset());

const marker = (name: string) => ({ name, copy: { dest: `/var/lib/fleethost/${name}`, content: '{{ inventory_hostname }}\n' } });
const failOn = (host: string) => ({ name: 'check', fail: { msg: `${host} is broken` }, when: `inventory_hostname == '${host}'` });

/** Which markers each host has (read with the stock OpenSSH client). */
async function markers(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const h of HOSTS) out[h] = (await lab.sh(h, 'ls /var/lib/fleethost')).split('\n').filter(Boolean).sort();
  return out;
}

async function play(name: string, plays: object[]): Promise<Awaited<ReturnType<typeof fleetplayToEnd>>> {
  const pb = await lab.write(`${name}.yml`, stringify(plays));
  const r = await fleetplayToEnd([pb, '-i', lab.inventory], DEADLINE_MS);
  expect(r.killed, 'fleetplay hung').toBe(false);
  expect(r.leaked).toEqual([]);
  return r;
}

describe('max_fail_percentage with an unreachable host and a failing one (2 of 4 = 50%)', { timeout: 150_000 }, () => {
  const rolling = (pct: number) => [
    {
      name: 'rolling change',
      hosts: 'linux',
      gather_facts: false,
      max_fail_percentage: pct,
      tasks: [marker('first'), failOn('linux-03'), marker('second')],
    },
  ];

  it('30%: one unreachable host (25%) is tolerated; the failure that makes it 50% aborts the play for every host', async () => {
    await lab.stop(['linux-04']);
    const r = await play('max-fail-30', rolling(30));
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toContain('max_fail_percentage 30% exceeded: 2 of 4 hosts in the batch failed; ending the play');
    expect(recap(r.stdout)).toEqual({
      'linux-01': expect.objectContaining({ ok: 1, changed: 1, failed: 0, unreachable: 0, skipped: 1 }),
      'linux-02': expect.objectContaining({ ok: 1, changed: 1, failed: 0, unreachable: 0, skipped: 1 }),
      'linux-03': expect.objectContaining({ ok: 1, changed: 1, failed: 1, unreachable: 0 }),
      'linux-04': expect.objectContaining({ ok: 0, failed: 0, unreachable: 1 }),
    });
    await lab.start(['linux-04']);
    // 'second' ran nowhere: the play was aborted after 'check'.
    expect(await markers()).toEqual({ 'linux-01': ['first'], 'linux-02': ['first'], 'linux-03': ['first'], 'linux-04': [] });
  });

  it('60%: the same faults stay under the limit; the healthy hosts finish the play', async () => {
    await lab.stop(['linux-04']);
    const r = await play('max-fail-60', rolling(60));
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).not.toContain('max_fail_percentage');
    expect(recap(r.stdout)).toEqual({
      'linux-01': expect.objectContaining({ ok: 2, changed: 2, failed: 0, unreachable: 0 }),
      'linux-02': expect.objectContaining({ ok: 2, changed: 2, failed: 0, unreachable: 0 }),
      'linux-03': expect.objectContaining({ ok: 1, changed: 1, failed: 1, unreachable: 0 }),
      'linux-04': expect.objectContaining({ ok: 0, failed: 0, unreachable: 1 }),
    });
    await lab.start(['linux-04']);
    expect(await markers()).toEqual({ 'linux-01': ['first', 'second'], 'linux-02': ['first', 'second'], 'linux-03': ['first'], 'linux-04': [] });
  });
});

describe('any_errors_fatal when a host dies mid-task', { timeout: 150_000 }, () => {
  it('the task finishes on the other hosts, then neither the rest of the play nor the next play runs; exit 4', async () => {
    const pb = await lab.write(
      'fatal.yml',
      stringify([
        {
          name: 'all or nothing',
          hosts: 'linux',
          gather_facts: false,
          any_errors_fatal: true,
          tasks: [
            marker('first'),
            { name: 'long step', shell: 'touch /tmp/fault-running && sleep 2 && touch /var/lib/fleethost/long', changed_when: false },
            marker('second'),
          ],
        },
        { name: 'the next play', hosts: 'linux', gather_facts: false, tasks: [marker('next-play')] },
      ]),
    );
    const run = startFleetplay([pb, '-i', lab.inventory], { deadlineMs: DEADLINE_MS });
    await hostTmpFile(lab, 'linux-02', 'fault-running', 60_000);
    await lab.stop(['linux-02']);
    const r = await run.done;
    expect(r.killed, 'fleetplay hung').toBe(false);
    expect(await run.leftovers()).toEqual([]);

    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(r.stdout).toMatch(/fatal: \[linux-02\]: UNREACHABLE! .*connection lost/);
    expect(r.stdout).toContain("any_errors_fatal: task 'long step' failed, ending the play for all hosts");
    expect(r.stdout).toContain("any_errors_fatal, which ends the run: the remaining plays (from 'the next play' on) were not started");
    expect(r.stdout).not.toContain('TASK [second]');
    expect(r.stdout).not.toContain('TASK [next-play]');
    const done = expect.objectContaining({ ok: 2, changed: 1, failed: 0, unreachable: 0 });
    expect(recap(r.stdout)).toEqual({
      'linux-01': done,
      'linux-02': expect.objectContaining({ ok: 1, changed: 1, failed: 0, unreachable: 1 }),
      'linux-03': done,
      'linux-04': done,
    });
    await lab.start(['linux-02']);
    const m = await markers();
    for (const h of ['linux-01', 'linux-03', 'linux-04']) expect(m[h], h).toEqual(['first', 'long']);
    expect(m['linux-02']).toEqual(['first']);
  });
});

describe('serial: 2 with a host down in the first batch', { timeout: 150_000 }, () => {
  const rolling = (extra: object) => [{ name: 'two at a time', hosts: 'linux', gather_facts: false, serial: 2, ...extra, tasks: [marker('first'), marker('second')] }];

  it('the failure is scoped to its batch: the second batch runs; exit 4', async () => {
    await lab.stop(['linux-01']);
    const r = await play('serial', rolling({}));
    expect(r.code, r.stdout + r.stderr).toBe(4);
    // Batches one after the other: linux-03 and linux-04 start only once the first batch is done.
    expect(r.stdout.indexOf('[linux-03]')).toBeGreaterThan(r.stdout.lastIndexOf('[linux-02]'));
    const ok = expect.objectContaining({ ok: 2, changed: 2, failed: 0, unreachable: 0 });
    expect(recap(r.stdout)).toEqual({ 'linux-01': expect.objectContaining({ ok: 0, unreachable: 1 }), 'linux-02': ok, 'linux-03': ok, 'linux-04': ok });
    await lab.start(['linux-01']);
    expect(await markers()).toEqual({ 'linux-01': [], 'linux-02': ['first', 'second'], 'linux-03': ['first', 'second'], 'linux-04': ['first', 'second'] });
  });

  it('with max_fail_percentage 49, one host of two (50%) aborts the play: the second batch never starts', async () => {
    await lab.stop(['linux-01']);
    const r = await play('serial-max-fail', rolling({ max_fail_percentage: 49 }));
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(r.stdout).toContain('max_fail_percentage 49% exceeded: 1 of 2 hosts in the batch failed; ending the play');
    expect(r.stdout).not.toMatch(/\[linux-0[34]\]/);
    await lab.start(['linux-01']);
    expect(await markers()).toEqual({ 'linux-01': [], 'linux-02': ['first'], 'linux-03': [], 'linux-04': [] });
  });

  it('a whole batch down ends the play: the next batch would fail the same way', async () => {
    await lab.stop(['linux-01', 'linux-02']);
    const r = await play('serial-batch-down', rolling({}));
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(r.stdout).not.toMatch(/\[linux-0[34]\]/);
    await lab.start(['linux-01', 'linux-02']);
    expect(await markers()).toEqual({ 'linux-01': [], 'linux-02': [], 'linux-03': [], 'linux-04': [] });
  });
});
