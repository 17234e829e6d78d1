import { writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/modules/wait-for.js';
import { runModule, tempDir } from '../support/module-host.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => cleanup());

function listen(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer((s) => s.destroy());
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

describe('wait_for', () => {
  it('waits for a file that appears later', async () => {
    const p = join(dir, 'ready');
    setTimeout(() => void writeFile(p, 'ok'), 700);
    const r = await runModule(waitFor, { path: p, timeout: 10, sleep: 0.2 });
    expect(r.status).toBe('ok');
    expect(r.plan.result).toMatchObject({ path: p, state: 'started' });
  });

  it('waits for a file to contain a pattern', async () => {
    const p = join(dir, 'log');
    await writeFile(p, 'booting\n');
    setTimeout(() => void writeFile(p, 'booting\nservice started\n'), 500);
    expect((await runModule(waitFor, { path: p, search_regex: 'started$', timeout: 10, sleep: 0.2 })).status).toBe('ok');
  });

  it('times out with the Ansible message', async () => {
    const p = join(dir, 'never');
    const t0 = Date.now();
    const r = await runModule(waitFor, { path: p, timeout: 1, sleep: 0.2 });
    expect(r.msg).toBe(`Timeout when waiting for file ${p}`);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect((await runModule(waitFor, { path: dir, state: 'absent', timeout: 1, sleep: 0.2 })).msg).toBe(
      `Timeout when waiting for ${dir} to be absent.`,
    );
  });

  it('sees an open port on 127.0.0.1 and a closed one as stopped', async () => {
    const { server, port } = await listen();
    try {
      expect((await runModule(waitFor, { port, timeout: 5 })).status).toBe('ok');
    } finally {
      await new Promise((res) => server.close(res));
    }
    expect((await runModule(waitFor, { port, state: 'stopped', timeout: 5 })).status).toBe('ok');
    const r = await runModule(waitFor, { port, timeout: 1, sleep: 0.2, msg: 'agent port never opened' });
    expect(r.msg).toBe('agent port never opened');
  });
});
