// Ctrl-C through the real command: exit 99, the recap names the task each host was at, the handler
// journal keeps the restarts owed, and no write is left half done.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HandlerJournal } from '../../../src/engine/journal/index.js';
import { runCli, startCli, waitForProcessesMentioning } from '../../support/cli-process.js';
import { makeFleet, writePlaybook, type Fleet } from '../../support/run-harness.js';

let fleet: Fleet;
let env: Record<string, string>;
beforeEach(async () => {
  fleet = await makeFleet(3);
  env = { FLEETPLAY_STATE_DIR: join(fleet.dir, 'state') };
});
afterEach(async () => {
  await waitForProcessesMentioning(fleet.dir);
  await fleet.cleanup();
});

const exists = (p: string) => stat(p).then(() => true, () => false);
const journalOf = (pb: string) => HandlerJournal.open({ playbook: pb, inventory: [fleet.inventoryPath], stateDir: env.FLEETPLAY_STATE_DIR!, readOnly: true });
const restartEntry = [{ play: 'agent', playIndex: 0, handler: 'restart azure agent' }];
const log = (h: string) => readFile(join(fleet.hostRoot(h), 'log'), 'utf8').catch(() => '');
/** Temp files of atomic writes (`.fleetplay-tmp.*`, `.fleetplay-upload.*`) under the hosts' dirs. */
const tempFiles = async () => (await Promise.all(['h1', 'h2', 'h3'].map((h) => readdir(fleet.hostRoot(h))))).flat().filter((n) => n.startsWith('.'));

const AGENT = `
- name: agent
  hosts: fleet
  gather_facts: false
  tasks:
    - name: configure agent
      copy: { dest: "{{ root }}/waagent.conf", content: "OS.EnableRDMA={{ rdma | default('y') }}\\n" }
      notify: restart azure agent
    - name: slow
      command: "sleep {{ nap | default(5) }}"
    - name: never started
      copy: { dest: "{{ root }}/never", content: "x\\n" }
  handlers:
    - name: restart azure agent
      shell: echo restart >> {{ root }}/log
`;

describe('interrupt through the CLI', () => {
  it('SIGINT: exit 99, hosts reported at their task, owed restarts journaled, run first next time; --clear-pending', { timeout: 120_000 }, async () => {
    const pb = await writePlaybook(fleet, 'agent.yml', AGENT);
    // h3 is already configured: it changes nothing and owes nothing.
    await writeFile(join(fleet.hostRoot('h3'), 'waagent.conf'), 'OS.EnableRDMA=y\n');
    const cli = startCli([pb, '-i', fleet.inventoryPath], env);
    await cli.waitFor(/TASK \[slow\]/);
    await sleep(300);
    const t0 = Date.now();
    cli.child.kill('SIGINT');
    const { code } = await cli.exit;
    expect(code).toBe(99);
    // The running `sleep 5` was allowed to finish, nothing new started.
    expect(Date.now() - t0).toBeGreaterThan(3000);
    expect(cli.stderr()).toContain('fleetplay: interrupted — finishing running tasks (interrupt again to cancel them)');
    const out = cli.stdout();
    expect(out).toMatch(/INTERRUPTED AT \(the last task each host started\):\n {2}h1: slow\n {2}h2: slow\n {2}h3: slow\n/);
    expect(out).toMatch(/NOTIFIED HANDLERS THAT DID NOT RUN.*\n {2}h1: restart azure agent\n {2}h2: restart azure agent\n/);
    expect(out).not.toContain('never started');
    for (const h of ['h1', 'h2', 'h3']) {
      expect(await readFile(join(fleet.hostRoot(h), 'waagent.conf'), 'utf8')).toBe('OS.EnableRDMA=y\n');
      expect(await exists(join(fleet.hostRoot(h), 'never'))).toBe(false);
    }
    expect(await tempFiles()).toEqual([]);
    const journal = journalOf(pb);
    expect(Object.fromEntries(journal.hostNames().sort().map((h) => [h, journal.pending(h)]))).toEqual({ h1: restartEntry, h2: restartEntry });
    const journalText = await readFile(journal.path, 'utf8');

    // --check: says what would run, leaves the journal alone.
    const check = await runCli([pb, '-i', fleet.inventoryPath, '--check', '-e', 'nap=0'], env);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('check mode: 1 handler pending from an earlier run would run on h1, h2: restart azure agent');
    expect(await readFile(journal.path, 'utf8')).toBe(journalText);

    // The next real run: the owed restarts run (at the play's flush), and the journal is gone.
    const next = await runCli([pb, '-i', fleet.inventoryPath, '-e', 'nap=0'], env);
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('running 1 handler pending from an earlier run on h1, h2: restart azure agent');
    expect(next.stdout).toMatch(/RUNNING HANDLER \[restart azure agent\] \*+\nchanged: \[h[12]\]\nchanged: \[h[12]\]\n\nPLAY RECAP/);
    expect([await log('h1'), await log('h2'), await log('h3')]).toEqual(['restart\n', 'restart\n', '']);
    expect(await exists(journal.path)).toBe(false);

    // A run that fails after changing everything owes three restarts; --clear-pending drops them.
    const failing = await runCli([pb, '-i', fleet.inventoryPath, '-e', 'rdma=n', '-e', 'nap=not-a-number'], env);
    expect(failing.code).toBe(2);
    expect(journalOf(pb).hostNames().sort()).toEqual(['h1', 'h2', 'h3']);
    const cleared = await runCli([pb, '-i', fleet.inventoryPath, '-e', 'rdma=n', '-e', 'nap=0', '--clear-pending'], env);
    expect(cleared.code).toBe(0);
    expect(cleared.stderr).toContain('fleetplay: --clear-pending: discarded 3 handlers pending from an earlier run (');
    expect(cleared.stdout).not.toContain('RUNNING HANDLER');
    expect([await log('h1'), await log('h2'), await log('h3')]).toEqual(['restart\n', 'restart\n', '']);
    expect(await exists(journal.path)).toBe(false);
  });

  it('a second SIGINT cancels copies in flight: each target is complete or absent, no temp file is left', async () => {
    const payload = Buffer.alloc(3 * 1024 * 1024, 'fleetplay-');
    await writeFile(join(fleet.dir, 'payload.bin'), payload);
    const pb = await writePlaybook(fleet, 'big.yml', `
- hosts: fleet
  gather_facts: false
  tasks:
    - name: big copies
      copy: { src: payload.bin, dest: "{{ root }}/big{{ item }}" }
      loop: "{{ range(0, 20) | list }}"
`);
    const cli = startCli([pb, '-i', fleet.inventoryPath], env);
    await cli.waitFor(/TASK \[big copies\]/);
    await sleep(400);
    cli.child.kill('SIGINT');
    await sleep(50);
    cli.child.kill('SIGINT');
    const { code } = await cli.exit;
    expect(code).toBe(99);
    await waitForProcessesMentioning(fleet.dir);
    let complete = 0;
    for (const h of ['h1', 'h2', 'h3']) {
      for (let i = 0; i < 20; i++) {
        const data = await readFile(join(fleet.hostRoot(h), `big${i}`)).catch(() => undefined);
        if (data === undefined) continue;
        expect(data.equals(payload)).toBe(true);
        complete++;
      }
    }
    // The interrupt really cut the loop short.
    expect(complete).toBeLessThan(60);
    expect(await tempFiles()).toEqual([]);
  });
});
