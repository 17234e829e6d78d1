import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeFleet, play, type Fleet } from '../../support/run-harness.js';

let fleet: Fleet;
beforeEach(async () => {
  fleet = await makeFleet(3);
});
afterEach(async () => {
  await fleet.cleanup();
});

describe('site.yml end to end', () => {
  it('configures every host, runs the handler once, and a second run changes nothing', async () => {
    const first = await play(fleet, 'site.yml');
    expect(first.summary.exitCode).toBe(0);
    for (const h of ['h1', 'h2', 'h3']) {
      const root = fleet.hostRoot(h);
      expect(await readFile(join(root, 'etc/agent.conf'), 'utf8')).toBe('# agent\nOS.EnableRDMA=y\nLogs.Verbose=n\n');
      expect(await readFile(join(root, 'etc/motd'), 'utf8')).toBe(`managed host ${h}\ngroups: fleet\n`);
      expect(await readFile(join(root, 'restarts.log'), 'utf8')).toBe('restarted\n');
      // 6 tasks + 1 handler; 4 tasks + the handler changed something
      expect(first.stats[h]).toEqual({ ok: 7, changed: 5, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 });
    }
    expect(first.events.results('show size').h2!.data.msg).toMatch(/^size=\d+$/);

    const second = await play(fleet, 'site.yml');
    expect(second.summary.exitCode).toBe(0);
    for (const h of ['h1', 'h2', 'h3']) {
      expect(second.stats[h]).toMatchObject({ ok: 6, changed: 0, failed: 0 });
      expect(await readFile(join(fleet.hostRoot(h), 'restarts.log'), 'utf8')).toBe('restarted\n');
    }
    expect(second.events.taskNames()).not.toContain('restart agent');
  });

  it('check mode changes nothing and reports what would change, with diffs under --diff', async () => {
    await play(fleet, 'site.yml');
    const conf = join(fleet.hostRoot('h2'), 'etc/agent.conf');
    const drifted = '# agent\n# OS.EnableRDMA=y\nLogs.Verbose=n\n';
    await writeFile(conf, drifted);
    await rm(join(fleet.hostRoot('h3'), 'etc/motd'));

    const r = await play(fleet, 'site.yml', { checkMode: true, diffMode: true });
    expect(r.summary.exitCode).toBe(0);
    const rdma = r.events.results('enable RDMA');
    expect(rdma.h1!.status).toBe('ok');
    expect(rdma.h2!.status).toBe('changed');
    expect(rdma.h2!.checkMode).toBe(true);
    const diff = rdma.h2!.diff?.[0];
    expect(diff).toMatchObject({ kind: 'text', before: drifted, after: '# agent\nOS.EnableRDMA=y\nLogs.Verbose=n\n' });
    expect(r.events.results('motd').h3!.status).toBe('changed');
    // nothing was written
    expect(await readFile(conf, 'utf8')).toBe(drifted);
    await expect(readFile(join(fleet.hostRoot('h3'), 'etc/motd'))).rejects.toThrow(/ENOENT/);
    // the handler is notified on h2 only and runs in check mode, where shell cannot run
    const handler = r.events.results('restart agent');
    expect(Object.keys(handler)).toEqual(['h2']);
    expect(handler.h2!.status).toBe('skipped');
    expect(handler.h2!.reason).toBe('not supported in check mode');
    expect(await readFile(join(fleet.hostRoot('h2'), 'restarts.log'), 'utf8')).toBe('restarted\n');
    expect(r.stats.h2).toMatchObject({ changed: 1, skipped: 1, failed: 0 });
  });

  it('without --diff results carry no diff', async () => {
    await play(fleet, 'site.yml');
    await writeFile(join(fleet.hostRoot('h1'), 'etc/agent.conf'), 'x\n');
    const r = await play(fleet, 'site.yml', { checkMode: true });
    expect(r.events.results('enable RDMA').h1!.status).toBe('changed');
    expect(r.events.results('enable RDMA').h1!.diff).toBeUndefined();
  });
});
