// Hosts that go away, through the real CLI: a host whose sshd is stopped before the run, and a host
// killed while its command runs, are reported unreachable with the reason; the other hosts finish the
// play; the run ends with exit code 4 in bounded time.
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostPaths } from '@fleetplay/lab';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const PLAYBOOK = new URL('fixtures/ssh/unreachable.yml', import.meta.url).pathname;
const lab = useLab({ linux: 3 });
/** How long the middle step runs: long enough to take a host down during it. */
const SLEEP_S = 6;

const finished = async (h: string) => (await lab.sh(h, 'cat /var/lib/fleethost/before /var/lib/fleethost/after 2>/dev/null || true')) === `${h}\n${h}\n`;

/** Resolves once the host's /tmp has `name` (read on the controller: no SSH round trips while waiting). */
async function hostTmpFile(host: string, name: string, timeoutMs: number): Promise<void> {
  const file = join(hostPaths(lab.info.hosts.find((x) => x.name === host)!.stateDir).tmp, name);
  const deadline = Date.now() + timeoutMs;
  while (!(await access(file).then(() => true, () => false))) {
    if (Date.now() > deadline) throw new Error(`${host}: ${name} did not appear within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('unreachable hosts', () => {
  it('a host whose sshd is stopped before the run is unreachable; the others finish; exit 4', async () => {
    await lab.stop(['linux-03']);
    const started = Date.now();
    const r = await fleetplay([PLAYBOOK, '-i', lab.inventory, '-e', 'sleep_seconds=0']);
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(recap(r.stdout)).toEqual({
      'linux-01': expect.objectContaining({ ok: 3, changed: 2, unreachable: 0, failed: 0 }),
      'linux-02': expect.objectContaining({ ok: 3, changed: 2, unreachable: 0, failed: 0 }),
      'linux-03': expect.objectContaining({ ok: 0, changed: 0, unreachable: 1, failed: 0 }),
    });
    expect(r.stdout).toContain(`fatal: [linux-03]: UNREACHABLE! => {"changed": false, "msg": "ssh fleet@${lab.address('linux-03')}: connection refused`);
    // An unreachable host drops out of the play: it is not tried again for later tasks.
    expect(r.stdout.match(/fatal: \[linux-03\]/g)).toHaveLength(1);
    expect(await finished('linux-01')).toBe(true);
    expect(await finished('linux-02')).toBe(true);
  });

  it('a host killed in the middle of a command is unreachable; the others finish; exit 4 in bounded time', async () => {
    await lab.reset();
    const started = Date.now();
    const json = join(lab.work, 'killed.json');
    const running = fleetplay([PLAYBOOK, '-i', lab.inventory, '-e', `sleep_seconds=${SLEEP_S}`, '--json', json]);
    await hostTmpFile('linux-02', 'fleetplay-running', 60_000);
    await lab.stop(['linux-02']);
    const r = await running;
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(recap(r.stdout)).toEqual({
      'linux-01': expect.objectContaining({ ok: 3, changed: 2, unreachable: 0, failed: 0 }),
      'linux-02': expect.objectContaining({ ok: 1, changed: 1, unreachable: 1, failed: 0 }),
      'linux-03': expect.objectContaining({ ok: 3, changed: 2, unreachable: 0, failed: 0 }),
    });
    expect(r.stdout).toMatch(/fatal: \[linux-02\]: UNREACHABLE! => \{"changed": false, "msg": "ssh fleet@[\d.]+: connection lost[^"]*while running a command/);
    // The loss is noticed at once, not when the command would have ended (or a keepalive timed out).
    const report = JSON.parse(await readFile(json, 'utf8')) as { plays: { tasks: { name: string; results: { host: string; status: string; durationMs: number }[] }[] }[] };
    const long = report.plays[0]!.tasks.find((t) => t.name === 'a long command')!.results.find((x) => x.host === 'linux-02')!;
    expect(long.status).toBe('unreachable');
    expect(long.durationMs).toBeLessThan(SLEEP_S * 1000);
    expect(await finished('linux-01')).toBe(true);
    expect(await finished('linux-03')).toBe(true);
    // Started again with its state as it was: the step after the kill never ran there.
    await lab.start(['linux-02']);
    expect(await lab.sh('linux-02', 'ls /var/lib/fleethost')).toBe('before\n');
  });
});
