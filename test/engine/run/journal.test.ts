// The handler journal through the real executor: local hosts on temp dirs, a real journal file in a
// temp state dir.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/engine/contract/events.js';
import { HandlerJournal } from '../../../src/engine/journal/index.js';
import { readJournalFile } from '../../../src/engine/journal/journal-file.js';
import type { RunOptions } from '../../../src/engine/run/index.js';
import { extraVars, makeFleet, play, writePlaybook, type Fleet } from '../../support/run-harness.js';

let fleet: Fleet;
let agentPb: string;
beforeEach(async () => {
  fleet = await makeFleet(3);
  agentPb = await writePlaybook(fleet, 'agent.yml', AGENT);
});
afterEach(async () => {
  await fleet.cleanup();
});

const AGENT = `
- name: agent
  hosts: fleet
  gather_facts: false
  tasks:
    - name: configure
      copy: { dest: "{{ root }}/waagent.conf", content: "{{ conf }}\\n" }
      notify: restart azure agent
    - name: maybe fail
      fail: { msg: boom }
      when: inventory_hostname in (fail_on | default([]))
    - name: after
      copy: { dest: "{{ root }}/after", content: "x\\n" }
  handlers:
    - name: restart azure agent
      shell: "echo restart >> {{ root }}/log; test ! -e {{ root }}/break-restart"
    - name: unrelated
      shell: echo unrelated >> {{ root }}/log
`;

const stateDir = () => join(fleet.dir, 'state');
const openJournal = (playbook: string, readOnly = false) => HandlerJournal.open({ playbook, inventory: [fleet.inventoryPath], stateDir: stateDir(), readOnly });
/** What a fresh reader of the journal file finds (undefined: no file). */
const journalHosts = async (playbook: string) => {
  const r = readJournalFile(openJournal(playbook, true).path);
  if (r.kind === 'invalid') throw new Error(r.why);
  return r.kind === 'ok' ? Object.fromEntries(r.hosts) : undefined;
};
const log = (h: string) => readFile(join(fleet.hostRoot(h), 'log'), 'utf8').then((t) => t.trim().split('\n'), () => []);
const run = (playbook: string, vars: Record<string, unknown>, opts: Partial<RunOptions> = {}, onEvent?: (e: RunEvent) => void) =>
  play(fleet, playbook, { extraVars: extraVars(vars), journal: openJournal(playbook, opts.checkMode), ...opts }, onEvent);
const restart = { play: 'agent', playIndex: 0, handler: 'restart azure agent' };

describe('handler journal', () => {
  it('journals at notify time; a host that failed after notifying gets its handler first thing next run', async () => {
    let duringRun: unknown;
    const first = await run(agentPb, { conf: 'v1', fail_on: ['h2'] }, {}, (e) => {
      // Written when notified, not at the end: a SIGKILL here must not lose the restarts.
      if (e.type === 'task_start' && e.task.name === 'maybe fail') duringRun = readJournalFile(openJournal(agentPb, true).path);
    });
    expect(duringRun).toMatchObject({ kind: 'ok', hosts: new Map([['h1', [restart]], ['h2', [restart]], ['h3', [restart]]]) });
    expect(first.summary.exitCode).toBe(2);
    expect(await journalHosts(agentPb)).toEqual({ h2: [restart] });
    expect(await log('h2')).toEqual([]);

    const second = await run(agentPb, { conf: 'v1' });
    expect(second.summary.exitCode).toBe(0);
    expect(second.events.warnings()).toContain('running 1 handler pending from an earlier run on h2: restart azure agent');
    expect(second.events.ran((n) => n === 'restart azure agent')).toEqual([['restart azure agent', 'h2']]);
    // It runs at the flush, after the play's tasks, like any notified handler.
    expect(second.events.taskNames()).toEqual(['configure', 'maybe fail', 'after', 'restart azure agent']);
    for (const h of ['h1', 'h2', 'h3']) expect(await log(h)).toEqual(['restart']);
    expect(await journalHosts(agentPb)).toBeUndefined();

    const third = await run(agentPb, { conf: 'v1' });
    expect(third.events.taskNames()).not.toContain('restart azure agent');
    expect(third.events.warnings().filter((w) => w.includes('earlier run'))).toEqual([]);
  });

  it('a handler that failed stays owed; one that ran is struck off', async () => {
    await writeFile(join(fleet.hostRoot('h1'), 'break-restart'), '');
    const first = await run(agentPb, { conf: 'v1' });
    expect(first.summary.exitCode).toBe(2);
    expect(await journalHosts(agentPb)).toEqual({ h1: [restart] });
    await rm(join(fleet.hostRoot('h1'), 'break-restart'));
    const second = await run(agentPb, { conf: 'v1' });
    expect(second.summary.exitCode).toBe(0);
    expect(await log('h1')).toEqual(['restart', 'restart']);
    expect(await journalHosts(agentPb)).toBeUndefined();
  });

  it('interrupted before the flush: every notified host keeps its handler, and the recap says where hosts were', async () => {
    const ac = new AbortController();
    const r = await run(agentPb, { conf: 'v1' }, { signal: ac.signal }, (e) => {
      if (e.type === 'task_start' && e.task.name === 'maybe fail') ac.abort();
    });
    expect(r.summary.exitCode).toBe(99);
    expect(r.events.events.at(-1)).toMatchObject({ type: 'recap', interrupted: true, interruptedAt: { h1: 'maybe fail', h2: 'maybe fail', h3: 'maybe fail' } });
    expect(await journalHosts(agentPb)).toEqual({ h1: [restart], h2: [restart], h3: [restart] });
    const next = await run(agentPb, { conf: 'v1' });
    expect(next.events.warnings()).toContain('running 1 handler pending from an earlier run on h1, h2, h3: restart azure agent');
    for (const h of ['h1', 'h2', 'h3']) expect(await log(h)).toEqual(['restart']);
    expect(await journalHosts(agentPb)).toBeUndefined();
  });

  it('check mode reports what would run and never writes the journal', async () => {
    await run(agentPb, { conf: 'v1', fail_on: ['h2'] });
    const path = openJournal(agentPb, true).path;
    const before = await readFile(path, 'utf8');
    // v2 would change every host (and notify): nothing of that may reach the journal.
    const check = await run(agentPb, { conf: 'v2' }, { checkMode: true });
    expect(check.summary.exitCode).toBe(0);
    expect(check.events.warnings()).toContain('check mode: 1 handler pending from an earlier run would run on h2: restart azure agent');
    expect(check.events.results('restart azure agent')).toEqual({ h1: expect.anything(), h2: expect.anything(), h3: expect.anything() });
    expect(check.events.results('restart azure agent').h2).toMatchObject({ checkMode: true });
    expect(await readFile(path, 'utf8')).toBe(before);
    expect(await log('h2')).toEqual([]);
  });

  it('keeps what this run cannot reach: hosts outside --limit, a play or handler no longer in the playbook', async () => {
    await run(agentPb, { conf: 'v1', fail_on: ['h1', 'h2', 'h3'] });
    expect(Object.keys((await journalHosts(agentPb))!).sort()).toEqual(['h1', 'h2', 'h3']);

    const limited = await run(agentPb, { conf: 'v1' }, { limitHosts: ['h1'] });
    expect(limited.events.warnings()).toContain('2 hosts have handlers pending from an earlier run but are not in this run: h2, h3; they run when they are next targeted (--clear-pending discards them)');
    expect(await journalHosts(agentPb)).toEqual({ h2: [restart], h3: [restart] });

    // The same file edited: h2's play renamed, h3's handler renamed.
    await writeFile(agentPb, AGENT.replace('name: agent', 'name: agent renamed'));
    const renamedPlay = await run(agentPb, { conf: 'v1' }, { limitHosts: ['h2'] });
    expect(renamedPlay.events.warnings()).toContain(
      "handlers pending from an earlier run for play 'agent', which this playbook no longer has: h2 (restart azure agent), h3 (restart azure agent); kept in the journal (--clear-pending discards them)",
    );
    // The task's notification now reaches the renamed handler through `listen`.
    await writeFile(agentPb, AGENT.replace('- name: restart azure agent', '- name: restart the agent\n      listen: restart azure agent'));
    const renamedHandler = await run(agentPb, { conf: 'v1' }, { limitHosts: ['h3'] });
    expect(renamedHandler.events.warnings()).toContain("handler 'restart azure agent' pending from an earlier run is no longer in play 'agent'; kept in the journal (--clear-pending discards it)");
    expect(await journalHosts(agentPb)).toEqual({ h2: [restart], h3: [restart] });
  });

  it('plays of the same name are told apart by their place in the playbook', async () => {
    const second = AGENT.replace('waagent.conf', 'second.conf').replace('(fail_on | default([]))', '(fail_in_second | default([]))');
    const twice = await writePlaybook(fleet, 'twice.yml', `${AGENT}${second}`);
    const first = await run(twice, { conf: 'v1', fail_in_second: ['h1'] });
    expect(first.summary.exitCode).toBe(2);
    expect(await journalHosts(twice)).toEqual({ h1: [{ ...restart, playIndex: 1 }] });
    // Nothing changes now: the only restart is the one h1 owes the second play.
    const again = await run(twice, { conf: 'v1' });
    const perPlay = again.events.events.flatMap((e) => (e.type === 'play_start' ? ['play'] : e.type === 'host_result' && e.task.name === 'restart azure agent' ? [e.host] : []));
    expect(perPlay).toEqual(['play', 'play', 'h1']);
    expect(await journalHosts(twice)).toBeUndefined();
  });

  it('holds names only: a secret used by notifying tasks and handlers never reaches the journal', async () => {
    const secret = 'S3cr3t-journal-canary-7f1c';
    const pb = await writePlaybook(fleet, 'secret.yml', `
- name: agent
  hosts: fleet
  gather_facts: false
  vars: { db_password: "${secret}" }
  tasks:
    - name: write credentials
      copy: { dest: "{{ root }}/creds", content: "password={{ db_password }}\\n" }
      no_log: true
      notify: reload with password
    - name: fail
      fail: { msg: "failing with {{ db_password }}" }
  handlers:
    - name: reload with password
      shell: "echo {{ db_password }} > {{ root }}/reloaded"
`);
    const r = await run(pb, {});
    expect(r.summary.exitCode).toBe(2);
    const text = await readFile(openJournal(pb, true).path, 'utf8');
    expect(text).not.toContain(secret);
    expect(await journalHosts(pb)).toEqual(Object.fromEntries(['h1', 'h2', 'h3'].map((h) => [h, [{ play: 'agent', playIndex: 0, handler: 'reload with password' }]])));
  });
});

describe('debug verbosity', () => {
  const pb = `
- hosts: fleet
  gather_facts: false
  tasks:
    - name: loud
      debug: { msg: "at two", verbosity: 2 }
    - name: always
      debug: { msg: "at zero" }
`;
  for (const [verbosity, status] of [[0, 'skipped'], [1, 'skipped'], [2, 'ok'], [3, 'ok']] as const) {
    it(`verbosity: 2 at -v×${verbosity} is ${status}`, async () => {
      const path = await writePlaybook(fleet, 'debug.yml', pb);
      const r = await play(fleet, path, { verbosity });
      const loud = r.events.results('loud').h1!;
      expect(loud.status).toBe(status);
      if (status === 'skipped') expect(loud.reason).toBe('verbosity threshold not met');
      else expect(loud.data.msg).toBe('at two');
      expect(r.events.results('always').h1!.status).toBe('ok');
    });
  }

  it('a templated verbosity is honoured after templating', async () => {
    const path = await writePlaybook(fleet, 'debug.yml', pb.replace('verbosity: 2', 'verbosity: "{{ level }}"'));
    const r = await play(fleet, path, { verbosity: 1, extraVars: extraVars({ level: 1 }) });
    expect(r.events.results('loud').h1!.status).toBe('ok');
    const r2 = await play(fleet, path, { verbosity: 1, extraVars: extraVars({ level: 4 }) });
    expect(r2.events.results('loud').h1!.status).toBe('skipped');
  });
});

