// Hosts that are down, die mid-command, go silent, or are not SSH servers: each is reported as
// unreachable (UnreachableError) in bounded time, never as a successful command.
import { execFile } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnreachableError } from '../../../../src/engine/contract/diagnostics.js';
import { SshConnection } from '../../../../src/engine/connection/ssh/index.js';
import { labStartHosts, labStopHosts } from '@fleetplay/lab';
import { startLab, type TestLab } from '../../../support/lab-fixture.js';

const run = promisify(execFile);
const opts = { sshConfigFile: '/dev/null' };
let lab: TestLab;
let silent: Server | undefined;
const held: Socket[] = [];

beforeAll(async () => {
  lab = await startLab({ linux: 4 });
});

afterAll(async () => {
  for (const s of held) s.destroy();
  silent?.close();
  await lab?.down();
});

async function timed<T>(p: Promise<T>): Promise<{ value?: T; error?: Error; ms: number }> {
  const t = Date.now();
  try {
    return { value: await p, ms: Date.now() - t };
  } catch (e) {
    return { error: e as Error, ms: Date.now() - t };
  }
}

describe('unreachable hosts', () => {
  it('a host whose sshd is stopped before connect is unreachable at once, and reachable again once restarted', async () => {
    await labStopHosts(lab.dir, ['linux-01']);
    const r = await timed(new SshConnection(lab.spec('linux-01'), opts).connect());
    expect(r.error).toBeInstanceOf(UnreachableError);
    expect(r.error!.message).toMatch(/ssh fleet@198\.18\.\d+\.\d+: connection refused/);
    expect(r.ms).toBeLessThan(2000);
    await labStartHosts(lab.dir, ['linux-01']);
    const again = new SshConnection(lab.spec('linux-01'), opts);
    expect((await again.exec('hostname')).stdout).toBe('linux-01\n');
    await again.close();
  });

  it('a host killed in the middle of a command fails that command and the next as unreachable', async () => {
    const c = new SshConnection(lab.spec('linux-02'), opts);
    await c.connect();
    const pending = timed(c.exec('sleep 30; echo finished'));
    await new Promise((r) => setTimeout(r, 300));
    await labStopHosts(lab.dir, ['linux-02']);
    const r = await pending;
    expect(r.value).toBeUndefined();
    expect(r.error).toBeInstanceOf(UnreachableError);
    expect(r.error!.message).toMatch(/connection lost .* while running a command/);
    expect(r.ms).toBeLessThan(5000);
    await expect(c.exec('true')).rejects.toBeInstanceOf(UnreachableError);
    await c.close();
  });

  it('a TCP listener that never speaks SSH times out within the connect timeout', async () => {
    silent = createServer((s) => held.push(s));
    await new Promise<void>((r) => silent!.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    const c = new SshConnection({ ...lab.spec('linux-03'), address: '127.0.0.1', port }, { ...opts, connectTimeoutMs: 1000 });
    const r = await timed(c.connect());
    expect(r.error).toBeInstanceOf(UnreachableError);
    expect(r.error!.message).toMatch(/no SSH handshake within 1 s/);
    expect(r.ms).toBeGreaterThanOrEqual(900);
    expect(r.ms).toBeLessThan(3000);
  });

  it('a host that goes silent (link down) is detected by keepalives, before connect and mid-command', async () => {
    const veth = lab.host('linux-04').veths[0]!;
    const c = new SshConnection(lab.spec('linux-04'), { ...opts, keepaliveIntervalMs: 300, keepaliveCountMax: 2, connectTimeoutMs: 1500 });
    await c.connect();
    try {
      const pending = timed(c.exec('sleep 30'));
      await new Promise((r) => setTimeout(r, 200));
      await run('ip', ['link', 'set', veth, 'down']);
      const r = await pending;
      expect(r.error).toBeInstanceOf(UnreachableError);
      expect(r.error!.message).toMatch(/connection lost \(Keepalive timeout\)/);
      expect(r.ms).toBeLessThan(4000);
      const fresh = await timed(new SshConnection(lab.spec('linux-04'), { ...opts, connectTimeoutMs: 1500 }).connect());
      expect(fresh.error).toBeInstanceOf(UnreachableError);
      expect(fresh.error!.message).toMatch(/no SSH handshake within 1\.5 s/);
      expect(fresh.ms).toBeLessThan(3500);
    } finally {
      await run('ip', ['link', 'set', veth, 'up']);
      await c.close();
    }
  });
});
