// The WinRM client against the lab's Windows host (packages/lab/src/windows): PowerShell through the real
// client stack over HTTP+NTLM sealing and HTTPS, and the Connection contract (exec options, files,
// timeouts, unreachable hosts, Basic over HTTP refused by both sides). The modules win_ping and
// win_powershell run here too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWinrmConnection } from '../../../../src/engine/connection/winrm/index.js';
import type { Connection, ConnectionSpec } from '../../../../src/engine/contract/connection.js';
import { InvalidInputError, UnreachableError } from '../../../../src/engine/contract/diagnostics.js';
import { defaultWindowsHostConfig, startWindowsHost, type WindowsHostHandle } from '@fleetplay/lab/windows';

const PASSWORD = 'Lab-Passw0rd!';
let host: WindowsHostHandle;
let dir: string;

export function labSpec(h: WindowsHostHandle, scheme: 'http' | 'https', vars: Record<string, unknown> = {}): ConnectionSpec {
  return {
    name: 'winlab',
    transport: 'winrm',
    address: '127.0.0.1',
    port: scheme === 'http' ? h.httpPort : h.httpsPort,
    user: 'Administrator',
    password: PASSWORD,
    vars: { ansible_winrm_scheme: scheme, ansible_winrm_ca_trust_path: h.caCertPath, ...vars },
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fp-winrm-lab-'));
  host = await startWindowsHost(
    defaultWindowsHostConfig({ listenAddress: '127.0.0.1', httpPort: 0, httpsPort: 0, certDir: dir, stateFile: join(dir, 'state.json'), quirks: { progressClixml: true } }),
  );
});
afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(['http', 'https'] as const)('PowerShell over %s', (scheme) => {
  let c: Connection;
  beforeAll(async () => {
    c = createWinrmConnection(labSpec(host, scheme));
    await c.connect();
  });
  afterAll(() => c.close());

  it('a script longer than 100 KB (non-ASCII included) goes over stdin and runs whole', async () => {
    const items = Array.from({ length: 14_000 }, (_, i) => `'ä${i}'`).join(',');
    const script = `$items = @(${items})\n"count=$($items.Count) last=$($items[-1]) ✓"`;
    expect(script.length).toBeGreaterThan(100_000);
    const r = await c.exec(script);
    expect(r).toMatchObject({ rc: 0, stderr: '' });
    expect(r.stdout).toBe('count=14000 last=ä13999 ✓\r\n');
  });

  it('passes env, cwd and stdin', async () => {
    const r = await c.exec('"$env:FLEETPLAY_X|$((Get-Location).Path)"; $input | ForEach-Object { $_.ToUpper() }', {
      env: { FLEETPLAY_X: "it's ü" },
      cwd: 'C:\\Windows',
      stdin: 'one\ntwo\n',
    });
    expect(r).toMatchObject({ rc: 0, stdout: "it's ü|C:\\Windows\r\nONE\r\nTWO\r\n" });
  });

  it('turns PowerShell errors (CLIXML) into the lines PowerShell prints', async () => {
    const r = await c.exec("Get-VMHostPartitionableGpu | Out-Null\nthrow 'GPU ü not ready'");
    expect(r.rc).toBe(1);
    expect(r.stderr).not.toContain('CLIXML');
    expect(r.stderr).not.toContain('Preparing modules');
    expect(r.stderr.split('\n')[0]).toBe('GPU ü not ready');
    expect(r.stderr).toMatch(/FullyQualifiedErrorId : GPU ü not ready/);
  });

  it('stops a command at its timeout (ctrl_c, terminate) with rc -1', async () => {
    const t0 = Date.now();
    const r = await c.exec("Start-Sleep -Seconds 120; 'never'", { timeoutMs: 2000 });
    expect(r.rc).toBe(-1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/timed out after 2s/);
    expect(Date.now() - t0).toBeLessThan(8000);
  });

  it('runs several commands at once on one host', async () => {
    const rs = await Promise.all([1, 2, 3, 4, 5].map((i) => c.exec(`${i} * 7`)));
    expect(rs.map((r) => r.stdout.trim())).toEqual(['7', '14', '21', '28', '35']);
  });

  it('files: atomic write with backup, read, stat', async () => {
    const path = `C:\\Windows\\Temp\\fp-${scheme}.txt`;
    const big = Buffer.alloc(300_000, 'ü');
    await c.writeFile(path, 'first');
    const w = await c.writeFile(path, big, { backup: true });
    expect(w.backupPath).toMatch(new RegExp(`^C:\\\\Windows\\\\Temp\\\\fp-${scheme}\\.txt\\.\\d{8}-\\d{6}\\.bak$`));
    expect((await c.readFile(w.backupPath!))?.data.toString()).toBe('first');
    const read = await c.readFile(path);
    expect(read?.data.equals(big)).toBe(true);
    expect(read?.stat).toMatchObject({ exists: true, type: 'file', size: big.length });
    expect(await c.stat('C:\\Windows')).toMatchObject({ exists: true, type: 'directory' });
    expect(await c.stat('C:\\nope\\x')).toEqual({ exists: false });
    expect(await c.readFile('C:\\nope\\x')).toBeNull();
    await expect(c.writeFile('C:\\no-such-dir\\f.txt', 'x')).rejects.toThrow(/directory does not exist: C:\\no-such-dir/);
    const tmpLeft = await c.exec("@(Get-ChildItem -LiteralPath 'C:\\Windows\\Temp' -Filter '.fleetplay-*').Count");
    expect(tmpLeft.stdout.trim()).toBe('0');
  });
});

describe('Basic over plain HTTP is refused by both sides', () => {
  it('the client refuses unless told otherwise', () => {
    expect(() => createWinrmConnection(labSpec(host, 'http', { ansible_winrm_transport: 'basic' }))).toThrow(InvalidInputError);
  });

  it('the server refuses it even when the client is told to allow it', async () => {
    const c = createWinrmConnection(labSpec(host, 'http', { ansible_winrm_transport: 'basic', ansible_winrm_allow_unencrypted_basic: true }));
    const err = await c.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toMatch(/basic: the server rejected the credentials .*HTTP 401/);
    expect((err as Error).message).not.toContain(PASSWORD);
  });
});

describe('a lab host that stops answering', () => {
  it('becomes unreachable within the read timeout', async () => {
    const d2 = mkdtempSync(join(tmpdir(), 'fp-winrm-stall-'));
    const h2 = await startWindowsHost(defaultWindowsHostConfig({ name: 'WINSTALL', listenAddress: '127.0.0.1', httpPort: 0, httpsPort: 0, certDir: d2, stateFile: join(d2, 'state.json') }));
    try {
      const c = createWinrmConnection(labSpec(h2, 'http', { ansible_winrm_operation_timeout_sec: 1, ansible_winrm_read_timeout_sec: 3 }));
      await c.connect();
      expect((await c.exec("'alive'")).stdout).toBe('alive\r\n');
      h2.setFaults({ stallAllAfterMs: 0 });
      const t0 = Date.now();
      const err = await c.exec("'still there?'").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnreachableError);
      expect((err as Error).message).toMatch(/did not answer within 3s/);
      expect(Date.now() - t0).toBeLessThan(5000);
      await c.close();
    } finally {
      h2.setFaults({});
      await h2.close();
      rmSync(d2, { recursive: true, force: true });
    }
  });
});
