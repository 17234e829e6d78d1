// Read-ahead must never change what a playbook sees: every read answered early is the answer the
// host would give at the task's own turn. These cases put a change between the early read and the
// task (a command, an earlier module's apply, a set_fact that moves the path) and check the task saw
// the change; then they count the remote commands a run sent.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../../../src/engine/contract/events.js';
import { RecordingConnection } from '../../../src/engine/connection/read-ahead.js';
import { registry } from '../../../src/modules/registry.js';
import { makeFleet, play, type Fleet } from '../../support/run-harness.js';

let fleet: Fleet;
beforeEach(async () => {
  fleet = await makeFleet(2);
});
afterEach(async () => {
  await fleet.cleanup();
});

async function playbook(text: string): Promise<string> {
  const path = join(fleet.dir, 'site.yml');
  await writeFile(path, text);
  return path;
}

const remote = (events: readonly RunEvent[]) => {
  const recap = events.find((e) => e.type === 'recap');
  return recap?.type === 'recap' ? recap.remote ?? {} : {};
};

const STALE = `
- hosts: fleet
  gather_facts: false
  tasks:
    - name: make the file
      copy: {dest: "{{ root }}/a.conf", content: "a=1\\n"}
    - name: command appends
      shell: echo b=2 >> {{ root }}/a.conf
    - name: line already there
      lineinfile: {path: "{{ root }}/a.conf", line: "b=2"}
      register: lf
    - name: add a line
      lineinfile: {path: "{{ root }}/a.conf", line: "c=3"}
    - name: stat after the change
      stat: {path: "{{ root }}/a.conf"}
      register: st
    - name: slurp after the change
      slurp: {src: "{{ root }}/a.conf"}
      register: sl
    - name: move the path
      set_fact: {other: "{{ root }}/b.conf"}
    - name: write the moved path
      copy: {dest: "{{ other }}", content: "moved\\n"}
    - name: stat the moved path
      stat: {path: "{{ other }}"}
      register: st2
    - name: show
      debug: {msg: "{{ lf.changed }} {{ st.stat.size }} {{ sl.content | b64decode | trim }} {{ st2.stat.exists }}"}
`;

describe('read-ahead', () => {
  it('answers every task as the host is at its turn, across commands, applies and set_fact', async () => {
    const pb = await playbook(STALE);
    const r = await play(fleet, pb);
    expect(r.summary.exitCode).toBe(0);
    for (const h of ['h1', 'h2']) {
      expect(r.events.results('line already there')[h]!.status).toBe('ok');
      expect(r.events.results('show')[h]!.data.msg).toBe('False 12 a=1\nb=2\nc=3 True');
      expect(await readFile(join(fleet.hostRoot(h), 'a.conf'), 'utf8')).toBe('a=1\nb=2\nc=3\n');
    }
    expect(r.stats.h1).toMatchObject({ changed: 4, failed: 0 });
  });

  it('sends the reads of a run of tasks together, in check mode and riding on commands and writes', async () => {
    const pb = await playbook(STALE);
    await play(fleet, pb);
    const check = await play(fleet, pb, { checkMode: true });
    expect(check.summary.exitCode).toBe(0);
    // The reads up to the set_fact go out together at the first task; the two after it cannot be
    // known before set_fact has run (their path is its result), so they go out together at theirs.
    expect(remote(check.events.events).h1).toEqual({ commands: 2, readAhead: 7 });
    await writeFile(join(fleet.hostRoot('h1'), 'a.conf'), 'a=1\nb=2\nc=3\n');
    const second = await play(fleet, pb);
    expect(second.stats.h1).toMatchObject({ changed: 3, failed: 0 });
    // read + write of the first copy (no read ahead past the shell task, which runs for real), the
    // shell command (the next four reads ride on it), the write of "c=3" (the stat and slurp ride
    // again: the write made their answers old), one batch for the last two reads.
    expect(remote(second.events.events).h1).toEqual({ commands: 5, readAhead: 6 });
  });

  it('never reads ahead past a task that runs for real and is not a read (the reads wait for it)', async () => {
    const pb = await playbook(`
- hosts: fleet
  gather_facts: false
  tasks:
    - name: first read
      stat: {path: "{{ root }}/x"}
    - name: creates x
      command: touch {{ root }}/x
    - name: sees x
      stat: {path: "{{ root }}/x"}
      register: sx
`);
    const r = await play(fleet, pb);
    expect(r.events.results('sees x').h1!.data.stat).toMatchObject({ exists: true });
    // stat (alone: nothing to read with it), touch (with the next stat riding on it)
    expect(remote(r.events.events).h1).toEqual({ commands: 2, readAhead: 1 });
  });

  describe('works out each following task once per host', () => {
    /** Calls of stat's read against the recording stand-in, i.e. the reads worked out ahead. */
    const recorded = () => {
      const stat = registry.get('stat')!;
      const spy = vi.spyOn(stat, 'read');
      return { count: () => spy.mock.calls.filter(([ctx]) => ctx.conn instanceof RecordingConnection).length, restore: () => spy.mockRestore() };
    };
    const stats = (names: string[], path: string) => names.map((n) => `    - name: ${n}\n      stat: {path: "${path}"}`).join('\n');

    it('not again at each of the tasks before it', async () => {
      const pb = await playbook(`
- hosts: fleet
  gather_facts: false
  tasks:
${stats(['s1', 's2', 's3', 's4', 's5', 's6'], '{{ root }}/x')}
`);
      const spy = recorded();
      try {
        const r = await play(fleet, pb);
        expect(r.summary.exitCode).toBe(0);
        // Per host: each of s1..s5 works out its own read (s6 has nothing after it), and s2..s6 are
        // worked out once, at s1 — not 5+4+3+2+1 times. All six reads go out in one command.
        expect(spy.count()).toBe(2 * (5 + 5));
        expect(remote(r.events.events).h1).toEqual({ commands: 1, readAhead: 6 });
      } finally {
        spy.restore();
      }
    });

    it('again once the host\'s variables changed', async () => {
      const pb = await playbook(`
- hosts: fleet
  gather_facts: false
  tasks:
${stats(['s1', 's2', 's3'], '{{ root }}/x')}
    - name: the path
      set_fact: {p: "{{ root }}/y"}
${stats(['s5', 's6', 's7'], '{{ p }}')}
      register: s7
    - debug: {msg: "{{ s7.stat.path }}"}
`);
      for (const h of ['h1', 'h2']) await writeFile(join(fleet.hostRoot(h), 'y'), 'y\n');
      const spy = recorded();
      try {
        const r = await play(fleet, pb);
        expect(r.summary.exitCode).toBe(0);
        expect(r.events.results('s7').h1!.data.stat).toMatchObject({ exists: true, path: join(fleet.hostRoot('h1'), 'y') });
        // s5..s7 cannot be worked out before set_fact; after it they are, once: s1..s3 go out
        // together at s1, s5..s7 at s5 (two commands answer all six). Worked out per host: the six
        // stats' own reads (the debug follows s7); s2 and s3 at s1; s6 and s7 at s5.
        expect(remote(r.events.events).h1).toEqual({ commands: 2, readAhead: 6 });
        expect(spy.count()).toBe(2 * (6 + 2 + 2));
      } finally {
        spy.restore();
      }
    });
  });
});
