import { describe, expect, it } from 'vitest';
import { createCommandTable } from '../../../src/windows/cmdlets/table.js';
import { initialState } from '../../../src/windows/model/initial.js';
import { StateStore } from '../../../src/windows/model/state.js';
import { CTRL_C_EXIT, ShellManager } from '../../../src/windows/wsman/shells.js';
import { WsmanFault } from '../../../src/windows/wsman/soap.js';
import { testHost } from '../../support/windows-host-runtime.js';

function manager(maxShellsPerUser = 30): ShellManager {
  const { config } = testHost();
  const store = StateStore.open(config.stateFile, () => initialState(config));
  const facts = { address: '127.0.0.1', domain: 'WORKGROUP', osCaption: 'x', osVersion: '10.0.26100', installMs: 300 };
  return new ShellManager({ store, facts, table: createCommandTable(), progressClixml: false }, { maxShellsPerUser, idleTimeoutMs: 60_000 });
}

const ps = (script: string): string => `powershell -EncodedCommand ${Buffer.from(script, 'utf16le').toString('base64')}`;

async function fault(p: Promise<unknown>): Promise<WsmanFault> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WsmanFault) return e;
    throw e;
  }
  throw new Error('expected a WS-Management fault');
}

describe('ShellManager', () => {
  it('delivers large output in chunks no bigger than asked, the exit code with the last one', async () => {
    const m = manager();
    const shell = m.create('admin', {});
    const cmd = m.command(shell, ps("'y' * 300000"));
    const sizes: number[] = [];
    for (;;) {
      const r = await m.receive(shell, cmd, 1000, 100_000);
      sizes.push(r.stdout.length);
      if (r.done) {
        expect(r.exitCode).toBe(0);
        break;
      }
      expect(r.exitCode).toBeUndefined();
    }
    expect(sizes).toEqual([100_000, 100_000, 100_000, 2]);
  });

  it('holds output back for the virtual run time of slow work (an installer, Start-Sleep)', async () => {
    const m = manager();
    const shell = m.create('admin', {});
    const cmd = m.command(shell, ps('Start-Sleep -Milliseconds 400; "slept"'));
    expect((await fault(m.receive(shell, cmd, 100, 10_000))).wsmanCode).toBe('2150858793');
    const r = await m.receive(shell, cmd, 2000, 10_000);
    expect(r.stdout.toString()).toBe('slept\r\n');
  });

  it('ctrl_c stops an unfinished command with STATUS_CONTROL_C_EXIT; terminate forgets it', async () => {
    const m = manager();
    const shell = m.create('admin', {});
    const cmd = m.command(shell, 'powershell.exe -Command -');
    m.signal(shell, cmd, 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/ctrl_c');
    expect(await m.receive(shell, cmd, 100, 1000)).toMatchObject({ done: true, exitCode: CTRL_C_EXIT });
    m.signal(shell, cmd, 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate');
    expect((await fault(m.receive(shell, cmd, 100, 1000))).wsmanCode).toBe('2150858854');
  });

  it('enforces the shells-per-user quota and forgets deleted shells', async () => {
    const m = manager(2);
    const a = m.create('admin', {});
    m.create('admin', {});
    expect(() => m.create('admin', {})).toThrowError(/maximum number of 2 concurrent shells/);
    m.delete(a);
    expect(() => m.command(a, 'hostname')).toThrowError(/shell was not found/);
    expect(m.create('admin', {})).toMatch(/^[0-9A-F-]{36}$/);
  });

  it('runs commands in the shell working directory and environment', async () => {
    const m = manager();
    const shell = m.create('admin', { cwd: 'C:\\Windows\\Temp', env: { FLEET: 'play' } });
    const cmd = m.command(shell, ps('(Get-Location).Path; $env:FLEET'));
    expect((await m.receive(shell, cmd, 1000, 10_000)).stdout.toString()).toBe('C:\\Windows\\Temp\r\nplay\r\n');
  });
});
