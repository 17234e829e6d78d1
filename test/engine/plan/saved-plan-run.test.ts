// Saved plans through the real engine on a local fleet: recording in check mode, then the drift
// check and the real run. A file changed by hand on one host stops that host only, naming the task
// and the difference; handlers run only where the plan ran them; the end state equals a direct run.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applySavedPlan, type PassOptions } from '../../../src/engine/plan/apply-plan.js';
import { PlanChecker } from '../../../src/engine/plan/checker.js';
import { PlanRecorder } from '../../../src/engine/plan/recorder.js';
import { newSalt, type SavedPlan } from '../../../src/engine/plan/saved-plan.js';
import { makeFleet, play, writePlaybook, type Fleet } from '../../support/run-harness.js';

let fleet: Fleet | undefined;
afterEach(async () => {
  await fleet?.cleanup();
  fleet = undefined;
});

const PLAYBOOK = `
- hosts: fleet
  gather_facts: false
  tasks:
    - name: agent config
      copy: { dest: "{{ root }}/agent.conf", content: "rdma=on\\n" }
      notify: restart agent
    - name: first edit
      lineinfile: { path: "{{ root }}/waagent.conf", regexp: '^OS.EnableRDMA=', line: OS.EnableRDMA=y }
    - name: second edit
      lineinfile: { path: "{{ root }}/waagent.conf", regexp: '^OS.UpdateRdmaDriver=', line: OS.UpdateRdmaDriver=y }
    - name: unchanged marker
      copy: { dest: "{{ root }}/marker", content: "same\\n" }
    - name: probe
      command: cat {{ root }}/agent.conf
      register: probe
  handlers:
    - name: restart agent
      copy: { dest: "{{ root }}/restarts", content: "restarted\\n" }
`;

const redact = (t: string) => t;

async function seed(f: Fleet): Promise<void> {
  for (const h of ['h1', 'h2']) {
    await writeFile(join(f.hostRoot(h), 'waagent.conf'), 'OS.EnableRDMA=n\nOS.UpdateRdmaDriver=n\n');
    await writeFile(join(f.hostRoot(h), 'marker'), 'same\n');
  }
}

async function makePlan(f: Fleet, pb: string): Promise<SavedPlan> {
  const salt = newSalt();
  const recorder = new PlanRecorder(salt, redact);
  const r = await play(f, pb, { checkMode: true, planGate: recorder });
  expect(r.summary.exitCode).toBe(0);
  return { format: 'fleetplay-plan', version: 1, created: new Date().toISOString(), fleetplay: 'test', salt, inputs: { playbooks: { sha256: '', files: [] }, inventory: '', extraVars: '' }, invocation: { cwd: '/', playbooks: [pb], inventory: [], tags: [], skipTags: [], forks: 5, diff: false }, hosts: recorder.hosts };
}

const passes = (f: Fleet, pb: string) => (o: PassOptions) =>
  play(f, pb, { checkMode: o.checkMode, planGate: o.gate, limitHosts: o.hosts, verifyAfterApply: !o.checkMode }).then((r) => r.summary);

describe('saved plans on the engine', () => {
  it('records every unit per host with statuses, digests, diffs and the handlers it ran', async () => {
    fleet = await makeFleet(2);
    await seed(fleet);
    const pb = await writePlaybook(fleet, 'site.yml', PLAYBOOK);
    const plan = await makePlan(fleet, pb);
    const units = plan.hosts.h1!.units;
    expect(units.map((u) => [u.name, u.status])).toEqual([
      ['agent config', 'change'],
      ['first edit', 'change'],
      ['second edit', 'change'],
      ['unchanged marker', 'ok'],
      ['probe', 'will-run'],
      ['restart agent', 'change'],
    ]);
    expect(units[0]!.reason).toBe(`create ${join(fleet.hostRoot('h1'), 'agent.conf')}`);
    expect(units[1]!.diff?.[0]).toMatchObject({ kind: 'text', before: 'OS.EnableRDMA=n\nOS.UpdateRdmaDriver=n\n', after: 'OS.EnableRDMA=y\nOS.UpdateRdmaDriver=n\n' });
    expect(units[0]!.changes).toEqual([expect.objectContaining({ kind: 'content', data: expect.stringMatching(/^<8 bytes, sha256:[0-9a-f]{16}>$/) })]);
    expect(units[4]!.notVerifiable).toBe(true);
    expect(units[0]!.state).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.hosts.h1!.handlers).toEqual(['restart agent']);
    // Check mode touched nothing.
    await expect(readFile(join(fleet.hostRoot('h1'), 'agent.conf'))).rejects.toThrow();
  });

  it('applies an unchanged fleet exactly: the same end state as a direct run, two edits of one file included', async () => {
    fleet = await makeFleet(2);
    await seed(fleet);
    const pb = await writePlaybook(fleet, 'site.yml', PLAYBOOK);
    const plan = await makePlan(fleet, pb);
    const r = await applySavedPlan(plan, passes(fleet, pb), { hosts: ['h1', 'h2'], allOrNothing: false, redact });
    expect(r.drifted.size).toBe(0);
    expect(r.exitCode).toBe(0);
    expect(r.summary!.stats.h1).toMatchObject({ changed: 5, failed: 0 });
    // The second edit read what the first one wrote: noted, not refused.
    expect([...r.followed].sort((a, b) => a.host.localeCompare(b.host))).toEqual([{ host: 'h1', task: 'second edit' }, { host: 'h2', task: 'second edit' }]);
    for (const h of ['h1', 'h2']) {
      expect(await readFile(join(fleet.hostRoot(h), 'waagent.conf'), 'utf8')).toBe('OS.EnableRDMA=y\nOS.UpdateRdmaDriver=y\n');
      expect(await readFile(join(fleet.hostRoot(h), 'restarts'), 'utf8')).toBe('restarted\n');
    }
  });

  it('stops a host whose file changed since the plan, naming the task and the difference; the other host applies', async () => {
    fleet = await makeFleet(2);
    await seed(fleet);
    const pb = await writePlaybook(fleet, 'site.yml', PLAYBOOK);
    const plan = await makePlan(fleet, pb);
    await writeFile(join(fleet.hostRoot('h2'), 'marker'), 'edited by hand\n');
    const r = await applySavedPlan(plan, passes(fleet, pb), { hosts: ['h1', 'h2'], allOrNothing: false, redact });
    expect(r.exitCode).toBe(2);
    expect([...r.drifted.keys()]).toEqual(['h2']);
    const marker = join(fleet.hostRoot('h2'), 'marker');
    expect(r.drifted.get('h2')).toBe(`unchanged marker: planned: ${marker} already has this content; now: replace the content of ${marker}`);
    expect(await readFile(join(fleet.hostRoot('h1'), 'agent.conf'), 'utf8')).toBe('rdma=on\n');
    // Nothing at all was applied on the drifted host.
    await expect(readFile(join(fleet.hostRoot('h2'), 'agent.conf'))).rejects.toThrow();
    expect(await readFile(join(fleet.hostRoot('h2'), 'waagent.conf'), 'utf8')).toBe('OS.EnableRDMA=n\nOS.UpdateRdmaDriver=n\n');
  });

  it('--all-or-nothing applies no host when one drifted', async () => {
    fleet = await makeFleet(2);
    await seed(fleet);
    const pb = await writePlaybook(fleet, 'site.yml', PLAYBOOK);
    const plan = await makePlan(fleet, pb);
    await writeFile(join(fleet.hostRoot('h1'), 'waagent.conf'), 'OS.EnableRDMA=y\nOS.UpdateRdmaDriver=n\n');
    const r = await applySavedPlan(plan, passes(fleet, pb), { hosts: ['h1', 'h2'], allOrNothing: true, redact });
    expect(r.exitCode).toBe(2);
    expect(r.summary).toBeUndefined();
    expect(r.drifted.get('h1')).toMatch(/^first edit: planned: edit .*waagent\.conf \(line replaced\); now: nothing to do$/);
    await expect(readFile(join(fleet.hostRoot('h2'), 'agent.conf'))).rejects.toThrow();
  });

  it('runs only the handlers the plan ran', () => {
    const checker = new PlanChecker({ h1: { units: [], handlers: ['restart agent'] } }, 'salt', 'apply', redact);
    expect(checker.allowHandler('h1', 'restart agent')).toBe(true);
    expect(checker.allowHandler('h1', 'reboot')).toBe(false);
    expect(checker.allowHandler('h9', 'restart agent')).toBe(false);
  });
});
