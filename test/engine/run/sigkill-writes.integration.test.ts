// SIGKILL at random points while `copy` writes multi-MB files on local hosts: every target must be
// the old content or the new, never a torn mix; only `.fleetplay`-prefixed temp files may be left;
// every change the run reported has its handler in the journal (written at notify time).
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HandlerJournal } from '../../../src/engine/journal/index.js';
import { readJournalFile } from '../../../src/engine/journal/journal-file.js';
import { runCli, startCli, waitForProcessesMentioning } from '../../support/cli-process.js';
import { makeFleet, writePlaybook, type Fleet } from '../../support/run-harness.js';

const HOSTS = ['h1', 'h2'];
const FILES = 5;
const SIZE = 3 * 1024 * 1024;
const KILLS = 10;

let fleet: Fleet;
beforeEach(async () => {
  fleet = await makeFleet(HOSTS.length);
});
afterEach(async () => {
  await waitForProcessesMentioning(fleet.dir);
  await fleet.cleanup();
});

/**
 * Kill points: after the banner of a random write task, plus a random delay. Tied to progress, not
 * to the clock, so they land among the writes however loaded the machine is. Deterministic, so a
 * failure can be replayed.
 */
function killPoints(seed: number, n: number): Array<{ task: number; delayMs: number }> {
  let x = seed;
  const next = () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
  return Array.from({ length: n }, () => ({ task: Math.floor(next() * FILES), delayMs: Math.floor(next() * 300) }));
}

const playbook = () => {
  const tasks = Array.from({ length: FILES }, (_, i) => `    - name: write f${i}\n      copy: { src: new.bin, dest: "{{ root }}/f${i}" }\n      notify: reload`);
  return `- name: writes\n  hosts: fleet\n  gather_facts: false\n  tasks:\n${tasks.join('\n')}\n  handlers:\n    - name: reload\n      shell: echo reload >> {{ root }}/log\n`;
};

/** Hosts a task reported changed, and hosts the handler reported on, from the text output. */
function reported(stdout: string): { changed: Set<string>; handled: Set<string> } {
  const changed = new Set<string>();
  const handled = new Set<string>();
  let inHandler = false;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('RUNNING HANDLER')) inHandler = true;
    const m = /^changed: \[(\w+)\]/.exec(line);
    if (m) (inHandler ? handled : changed).add(m[1]!);
  }
  return { changed, handled };
}

describe('SIGKILL during writes', () => {
  it(`${KILLS} kills at random points: targets old or new, never torn; journal keeps every reported change`, { timeout: 180_000 }, async () => {
    // Old and new differ at both ends, so a truncated or mixed file cannot pass for either.
    const oldData = Buffer.concat([Buffer.from('OLD<'), Buffer.alloc(SIZE, 'o'), Buffer.from('>OLD')]);
    const newData = Buffer.concat([Buffer.from('NEW<'), Buffer.alloc(SIZE + 4096, 'n'), Buffer.from('>NEW')]);
    await writeFile(join(fleet.dir, 'new.bin'), newData);
    const pb = await writePlaybook(fleet, 'writes.yml', playbook());
    const env = { FLEETPLAY_STATE_DIR: join(fleet.dir, 'state') };
    const journalPath = HandlerJournal.open({ playbook: pb, inventory: [fleet.inventoryPath], stateDir: env.FLEETPLAY_STATE_DIR, readOnly: true }).path;
    const targets = HOSTS.flatMap((h) => Array.from({ length: FILES }, (_, i) => ({ host: h, path: join(fleet.hostRoot(h), `f${i}`) })));

    const seen = { torn: [] as string[], mixed: 0, leftovers: [] as string[] };
    for (const [k, { task, delayMs }] of killPoints(20240611, KILLS).entries()) {
      for (const t of targets) await writeFile(t.path, oldData);
      await rm(journalPath, { force: true });
      const cli = startCli([pb, '-i', fleet.inventoryPath], env);
      await cli.waitFor(new RegExp(`TASK \\[write f${task}\\]`), 60_000);
      await sleep(delayMs);
      cli.child.kill('SIGKILL');
      await cli.exit;
      const out = cli.stdout();
      // Commands already started on the hosts finish (or give up) on their own.
      await waitForProcessesMentioning(fleet.dir);

      let fresh = 0;
      for (const t of targets) {
        const data = await readFile(t.path);
        if (data.equals(newData)) fresh++;
        else if (!data.equals(oldData)) seen.torn.push(`kill ${k} (at write f${task} + ${delayMs} ms): ${t.path} has ${data.length} bytes`);
      }
      if (fresh > 0 && fresh < targets.length) seen.mixed++;
      for (const h of HOSTS) for (const name of await readdir(fleet.hostRoot(h))) if (name.startsWith('.')) seen.leftovers.push(name);

      // Killed at any point, the journal reads back (or is absent), and holds every host a task was
      // seen changing, unless the handler was seen running there.
      const journal = readJournalFile(journalPath);
      expect(journal.kind, `kill ${k}: journal ${journal.kind === 'invalid' ? journal.why : ''}`).not.toBe('invalid');
      const owed = journal.kind === 'ok' ? [...journal.hosts.keys()] : [];
      const { changed, handled } = reported(out);
      for (const h of changed) if (!handled.has(h)) expect(owed, `kill ${k}: ${h} reported changed`).toContain(h);
    }
    expect(seen.torn).toEqual([]);
    // Only our temp names, if any survived a kill.
    for (const name of seen.leftovers) expect(name).toMatch(/^\.fleetplay-/);
    // The kills landed in the middle of the writes, not only before or after them.
    expect(seen.mixed).toBeGreaterThanOrEqual(3);

    // A full run afterwards: every target new, no temp file left, nothing owed.
    const final = await runCli([pb, '-i', fleet.inventoryPath], env);
    expect(final.code).toBe(0);
    for (const t of targets) expect((await readFile(t.path)).equals(newData)).toBe(true);
    for (const h of HOSTS) expect((await readdir(fleet.hostRoot(h))).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(readJournalFile(journalPath).kind).toBe('absent');
  });
});
