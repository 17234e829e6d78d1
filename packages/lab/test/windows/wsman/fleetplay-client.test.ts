// fleetplay's own WinRM connection against the lab host on every transport: commands, PowerShell
// errors, exit codes, file round trips, a script past the command-line limit and large output.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWinrmConnection } from '../../../../../src/engine/connection/winrm/index.js';
import { defaultWindowsHostConfig } from '../../../src/windows/config.js';
import { startWindowsHost, type WindowsHostHandle } from '../../../src/windows/index.js';

let host: WindowsHostHandle;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fp-win-client-'));
  host = await startWindowsHost(defaultWindowsHostConfig({ listenAddress: '127.0.0.1', httpPort: 0, httpsPort: 0, certDir: dir, stateFile: join(dir, 'state.json') }));
});
afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

const transports = [['http', 'ntlm'], ['https', 'basic'], ['https', 'ntlm']] as const;

describe.each(transports)('over %s with %s', (scheme, transport) => {
  it('runs PowerShell, reports errors and exit codes, and moves files and large data', async () => {
    const c = createWinrmConnection({
      name: 'win', transport: 'winrm', address: '127.0.0.1', port: scheme === 'http' ? host.httpPort : host.httpsPort,
      user: 'Administrator', password: 'Lab-Passw0rd!',
      vars: { ansible_winrm_scheme: scheme, ansible_winrm_transport: transport, ansible_winrm_ca_trust_path: host.caCertPath },
    });
    await c.connect();
    try {
      const r = await c.exec('Get-VM | Select-Object -ExpandProperty Name; Get-VM -Name nope; exit 2');
      expect(r).toMatchObject({ rc: 2, stdout: 'vm-gpu-01\r\nvm-gpu-02\r\nvm-gpu-03\r\n' });
      expect(r.stderr.split('\n')[0]).toBe('Get-VM : Hyper-V was unable to find a virtual machine with name "nope".');
      const data = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256));
      await c.writeFile(`C:\\Windows\\Temp\\${transport}.bin`, data);
      expect((await c.readFile(`C:\\Windows\\Temp\\${transport}.bin`))?.data.equals(data)).toBe(true);
      const big = await c.exec(`$s = '${'q'.repeat(110_000)}'; $s.Length; ('z' * 10.5MB).Length; 'z' * 10.5MB`);
      expect(big.rc).toBe(0);
      expect(big.stdout.slice(0, 25)).toBe('110000\r\n11010048\r\nzzzzzzz');
      expect(big.stdout.length).toBe(8 + 10 + 11010048 + 2);
    } finally {
      await c.close();
    }
  }, 120_000);
});
