// What only a host with real, running processes shows (the lab's Windows host runs each process to
// completion at once): output that arrives in Receives while the command is still running, and the
// output written before a timeout stopped the command. Everything else: shell-protocol.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WinrmChannelPool } from '../../../../src/engine/connection/winrm/channel-pool.js';
import { WinrmShell } from '../../../../src/engine/connection/winrm/shell.js';
import { MiniWsmanServer } from '../../../support/mini-wsman-server.js';

const USER = 'Administrator';
const PASSWORD = 'Pa55w.rd-ü';

describe('output of a running command', () => {
  let server: MiniWsmanServer;
  let pool: WinrmChannelPool;
  let shell: WinrmShell;
  beforeAll(async () => {
    server = new MiniWsmanServer({ user: USER, password: PASSWORD, operationTimeoutSec: 1 });
    const port = await server.listen();
    pool = new WinrmChannelPool({ scheme: 'http', host: '127.0.0.1', port, path: '/wsman', connectTimeoutMs: 3000, readTimeoutMs: 8000 }, { method: 'ntlm', user: USER, password: PASSWORD, encrypt: true }, 2);
    shell = new WinrmShell(pool, { endpoint: `http://127.0.0.1:${port}/wsman`, operationTimeoutSec: 1 });
  });
  afterAll(async () => {
    await shell.close();
    pool.close();
    await server.close();
  });

  it('collects output that arrives across Receives and OperationTimeout faults while the command runs', async () => {
    const r = await shell.run("printf 'first\\n'; sleep 1.5; printf 'second\\n' >&2; sleep 1.2; printf 'third\\n'; exit 4", []);
    expect({ rc: r.rc, stdout: r.stdout.toString(), stderr: r.stderr.toString() }).toEqual({ rc: 4, stdout: 'first\nthird\n', stderr: 'second\n' });
  });

  it('a command stopped at its timeout returns rc -1 with the output it wrote so far', async () => {
    const t0 = Date.now();
    const r = await shell.run('echo started; sleep 30', [], { timeoutMs: 1500 });
    expect(r).toMatchObject({ rc: -1, stopped: 'timeout' });
    expect(r.stdout.toString()).toBe('started\n');
    expect(Date.now() - t0).toBeLessThan(6000);
  });
});
