import { access, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeFleet, play, type Fleet } from '../../support/run-harness.js';

let fleet: Fleet | undefined;
afterEach(async () => {
  await fleet?.cleanup();
  fleet = undefined;
});

const exists = (p: string) => access(p).then(() => true, () => false);

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('block / rescue / always', () => {
  it('rescues failed hosts, runs always for everyone, and counts rescued not failed', async () => {
    fleet = await makeFleet(3);
    const r = await play(fleet, 'blocks.yml');
    const f = fleet;
    const file = (h: string, n: string) => join(f.hostRoot(h), n);

    // h1: no failure, no rescue
    expect(await exists(file('h1', 'after'))).toBe(true);
    expect(await exists(file('h1', 'rescued'))).toBe(false);
    expect(await exists(file('h1', 'end'))).toBe(true);
    // h2: failed in block → rescued → continues after the block
    expect(await exists(file('h2', 'after'))).toBe(false);
    expect(await readFile(file('h2', 'rescued'), 'utf8')).toBe('may fail: failing h2\n');
    expect(await exists(file('h2', 'always'))).toBe(true);
    expect(await exists(file('h2', 'end'))).toBe(true);
    // h3: the rescue failed too → always runs, then the host is out
    expect(await exists(file('h3', 'always'))).toBe(true);
    expect(await exists(file('h3', 'end'))).toBe(false);
    for (const h of ['h1', 'h2', 'h3']) {
      expect(await exists(file(h, 'never'))).toBe(false);
      expect(await exists(file(h, 'never-always'))).toBe(false);
    }

    expect(r.stats.h1).toEqual({ ok: 4, changed: 4, unreachable: 0, failed: 0, skipped: 3, rescued: 0, ignored: 0 });
    expect(r.stats.h2).toEqual({ ok: 4, changed: 4, unreachable: 0, failed: 0, skipped: 3, rescued: 1, ignored: 0 });
    expect(r.stats.h3).toEqual({ ok: 3, changed: 3, unreachable: 0, failed: 1, skipped: 0, rescued: 1, ignored: 0 });
    expect(r.events.results('may fail').h2).toMatchObject({ status: 'failed', rescued: true });
    expect(r.summary.exitCode).toBe(2);
    expect(r.summary.failures.map((x) => [x.host, x.task])).toEqual([['h3', 'rescue fails on h3']]);
  });

  it('does not rescue an unreachable host; the others finish', async () => {
    const port = await closedPort();
    fleet = await makeFleet(2, `[down]\nh9 ansible_connection=ssh ansible_host=127.0.0.1 ansible_port=${port} ansible_user=nobody root=/nonexistent\n`);
    const r = await play(fleet, 'blocks-unreachable.yml');
    expect(r.events.results('touch').h9!.status).toBe('unreachable');
    expect(r.events.results('rescue').h9).toBeUndefined();
    expect(r.events.results('always').h9).toBeUndefined();
    expect(r.events.results('later').h1!.status).toBe('changed');
    expect(r.stats.h9).toMatchObject({ unreachable: 1, rescued: 0, ok: 0 });
    expect(r.summary.exitCode).toBe(4);
    expect(r.summary.failures).toEqual([expect.objectContaining({ host: 'h9', unreachable: true })]);
  });

  it('ignore_unreachable keeps the host in the play and counts ok + ignored', async () => {
    const port = await closedPort();
    fleet = await makeFleet(1, `[down]\nh9 ansible_connection=ssh ansible_host=127.0.0.1 ansible_port=${port} ansible_user=nobody root=/nonexistent\n`);
    const r = await play(fleet, 'ignore-unreachable.yml');
    const touch = r.events.results('touch').h9!;
    expect(touch).toMatchObject({ status: 'unreachable', ignored: true });
    expect(touch.msg).toMatch(/127\.0\.0\.1/);
    expect(r.events.results('later').h9).toMatchObject({ status: 'unreachable', ignored: true });
    expect(r.stats.h9).toMatchObject({ ok: 2, ignored: 2, unreachable: 0 });
    expect(r.summary.exitCode).toBe(0);
  });
});
