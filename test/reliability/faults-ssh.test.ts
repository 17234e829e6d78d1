// SSH faults at the playbook level, through the real CLI on a 4-host lab: a host whose link goes
// down while its command runs, a host that accepts TCP but never speaks SSH, and a host on a very
// slow link. The faulty host is reported unreachable with the reason within the configured timeouts
// (-T and the keepalives) — or, when it is merely slow, finishes correctly — every other host
// finishes, the recap and exit code say so, and nothing is left running afterwards.
// (sshd stopped before the run and a host killed mid-command: test/e2e/ssh-unreachable.test.ts.)
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';
import { fleetplayToEnd, startFleetplay } from '../support/fault-cli.js';
import { hostTmpFile, inventoryWithKeepalive, sessionsLeftAfter, setLink, startFakeSsh, throttle, unthrottle, type FakeSsh } from '../support/fault-lab.js';

const lab = useLab({ linux: 4 });
const HOSTS = ['linux-01', 'linux-02', 'linux-03', 'linux-04'];
/** ServerAliveInterval 1 s × ServerAliveCountMax 2: silence is noticed after about 3 s. */
const KEEPALIVE = { intervalS: 1, countMax: 2 };
const SILENCE_LIMIT_MS = KEEPALIVE.intervalS * (KEEPALIVE.countMax + 1) * 1000;
/** -T for the host that never speaks SSH: long enough for healthy handshakes on a loaded machine. */
const CONNECT_TIMEOUT_S = 4;

const PLAYBOOK = `
- name: a run with one faulty host
  hosts: linux
  gather_facts: false
  tasks:
    - name: before
      copy:
        dest: /var/lib/fleethost/before
        content: "{{ inventory_hostname }}\\n"
    - name: long step
      shell: touch /tmp/fault-running && sleep 2
      changed_when: false
    - name: after
      copy:
        dest: /var/lib/fleethost/after
        content: "{{ inventory_hostname }}\\n"
`;

const FINISHED = { ok: 3, changed: 2, unreachable: 0, failed: 0 };

interface Report {
  plays: { tasks: { name: string; results: { host: string; status: string; durationMs: number }[] }[] }[];
}
const resultOf = (r: Report, task: string, host: string) => r.plays[0]!.tasks.find((t) => t.name === task)?.results.find((x) => x.host === host);

async function markers(host: string): Promise<string> {
  return lab.sh(host, 'cat /var/lib/fleethost/before /var/lib/fleethost/after 2>/dev/null || true');
}

let fake: FakeSsh | undefined;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
  for (const c of cleanups.splice(0).reverse()) await c();
  await lab.reset();
});

describe('SSH faults during a playbook run', { timeout: 150_000 }, () => {
  it('a host whose link goes down mid-command is unreachable within the keepalive window; the others finish; exit 4', async () => {
    const inv = await inventoryWithKeepalive(lab, 'link-down.yml', KEEPALIVE.intervalS, KEEPALIVE.countMax);
    const pb = await lab.write('link-down-play.yml', PLAYBOOK);
    const json = join(lab.work, 'link-down.json');
    cleanups.push(() => setLink(lab, 'linux-02', 'up'));
    const run = startFleetplay([pb, '-i', inv, '--json', json], { deadlineMs: 90_000 });
    await hostTmpFile(lab, 'linux-02', 'fault-running', 60_000);
    await setLink(lab, 'linux-02', 'down');
    const r = await run.done;

    expect(r.killed, 'fleetplay hung').toBe(false);
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(recap(r.stdout)).toEqual({
      'linux-01': expect.objectContaining(FINISHED),
      'linux-02': expect.objectContaining({ ok: 1, changed: 1, unreachable: 1, failed: 0 }),
      'linux-03': expect.objectContaining(FINISHED),
      'linux-04': expect.objectContaining(FINISHED),
    });
    expect(r.stdout).toMatch(/fatal: \[linux-02\]: UNREACHABLE! => \{"changed": false, "msg": "ssh fleet@[\d.]+: connection lost \(Keepalive timeout\) while running a command/);
    // Dropped from the play: tried once, never again.
    expect(r.stdout.match(/fatal: \[linux-02\]/g)).toHaveLength(1);
    const report = JSON.parse(await readFile(json, 'utf8')) as Report;
    const lost = resultOf(report, 'long step', 'linux-02')!;
    expect(lost.status).toBe('unreachable');
    // Noticed by the keepalives, not by a TCP timeout minutes later: the 2 s command plus the window.
    expect(lost.durationMs).toBeLessThan(2000 + SILENCE_LIMIT_MS + 3000);
    for (const h of ['linux-01', 'linux-03', 'linux-04']) expect(await markers(h)).toBe(`${h}\n${h}\n`);

    expect(await run.leftovers()).toEqual([]);
    await setLink(lab, 'linux-02', 'up');
    // With the link back, the host's side of the dead session is cleaned up too.
    expect(await sessionsLeftAfter(lab, HOSTS, 15_000)).toEqual({});
    expect(await markers('linux-02')).toBe('linux-02\n');
  });

  it('a host that accepts TCP but never speaks SSH is unreachable after -T seconds; the others finish; exit 4', async () => {
    await lab.stop(['linux-03']);
    fake = await startFakeSsh(lab, 'linux-03');
    const pb = await lab.write('not-ssh-play.yml', PLAYBOOK);
    const json = join(lab.work, 'not-ssh.json');
    const r = await fleetplayToEnd([pb, '-i', lab.inventory, '-T', String(CONNECT_TIMEOUT_S), '--json', json], 90_000);

    expect(r.killed, 'fleetplay hung').toBe(false);
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(fake.connections()).toBeGreaterThanOrEqual(1);
    expect(recap(r.stdout)).toEqual({
      'linux-01': expect.objectContaining(FINISHED),
      'linux-02': expect.objectContaining(FINISHED),
      'linux-03': expect.objectContaining({ ok: 0, changed: 0, unreachable: 1, failed: 0 }),
      'linux-04': expect.objectContaining(FINISHED),
    });
    expect(r.stdout).toContain(
      `fatal: [linux-03]: UNREACHABLE! => {"changed": false, "msg": "ssh fleet@${lab.address('linux-03')}: no SSH handshake within ${CONNECT_TIMEOUT_S} s (host down, or something that is not an SSH server is listening)"`,
    );
    expect(r.stdout.match(/fatal: \[linux-03\]/g)).toHaveLength(1);
    // Given up after -T, not earlier and not much later.
    const given = resultOf(JSON.parse(await readFile(json, 'utf8')) as Report, 'before', 'linux-03')!;
    expect(given.durationMs).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_S * 1000 - 100);
    expect(given.durationMs).toBeLessThan(CONNECT_TIMEOUT_S * 1000 + 3000);
    for (const h of ['linux-01', 'linux-02', 'linux-04']) expect(await markers(h)).toBe(`${h}\n${h}\n`);
    expect(r.leaked).toEqual([]);
    expect(await sessionsLeftAfter(lab, ['linux-01', 'linux-02', 'linux-04'], 10_000)).toEqual({});
  });

  it('a host on a very slow link finishes correctly, just later: no keepalive or connect timeout fires while data flows', async () => {
    cleanups.push(() => unthrottle(lab, 'linux-04'));
    await throttle(lab, 'linux-04', '64kbit');
    const inv = await inventoryWithKeepalive(lab, 'slow.yml', KEEPALIVE.intervalS, KEEPALIVE.countMax);
    // 24000 bytes base64-encoded: 32 KB of output, about 4 s at 64 kbit/s — longer than the
    // keepalive window, so replies to keepalives queue behind data for longer than it allows.
    const pb = await lab.write(
      'slow-play.yml',
      `
- name: one host on a slow link
  hosts: linux
  gather_facts: false
  tasks:
    - name: long output
      shell: head -c 24000 /dev/zero | base64 -w 100
      register: big
      changed_when: false
    - name: a quiet command longer than the keepalive window
      command: sleep 4
      changed_when: false
    - name: upload
      copy:
        dest: /var/lib/fleethost/slow
        content: "{{ big.stdout | length }} {{ big.stdout_lines | length }} {{ inventory_hostname }}\\n"
`,
    );
    const json = join(lab.work, 'slow.json');
    const r = await fleetplayToEnd([pb, '-i', inv, '-T', '5', '--json', json], 120_000);

    expect(r.killed, 'fleetplay hung').toBe(false);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) {
      expect(recap(r.stdout)[h]).toMatchObject({ ok: 3, changed: 1, unreachable: 0, failed: 0 });
      // 32000 base64 characters in 320 lines of 100 (Ansible's stdout: no final newline).
      expect(await lab.sh(h, 'cat /var/lib/fleethost/slow')).toBe(`32319 320 ${h}\n`);
    }
    const report = JSON.parse(await readFile(json, 'utf8')) as Report;
    const slow = resultOf(report, 'long output', 'linux-04')!.durationMs;
    const fast = Math.max(...['linux-01', 'linux-02', 'linux-03'].map((h) => resultOf(report, 'long output', h)!.durationMs));
    // The fault was real: the slow host's output took longer than the keepalive window to arrive.
    expect(slow).toBeGreaterThan(SILENCE_LIMIT_MS);
    expect(slow).toBeGreaterThan(fast);
    expect(r.leaked).toEqual([]);
    expect(await sessionsLeftAfter(lab, HOSTS, 10_000)).toEqual({});
  });
});
