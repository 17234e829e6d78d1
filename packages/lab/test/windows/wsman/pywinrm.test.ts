// End-to-end: the lab Windows host on loopback, driven by Debian's python3-winrm (an independent
// WinRM client with its own NTLM) over HTTP with NTLM message encryption and over HTTPS with Basic and
// NTLM (with the channel binding a strict host requires): the independent cross-check of the NTLM
// server code the lab shares with our client (engine/connection/winrm/ntlm) — and of a host restart
// (shutdown /r) as an independent client sees it.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWindowsHostConfig } from '../../../src/windows/config.js';
import { startWindowsHost, type WindowsHostHandle } from '../../../src/windows/index.js';
import { decodeClixml } from '../../support/windows-host-runtime.js';

const CLIENT = fileURLToPath(new URL('./pywinrm-client.py', import.meta.url));
const PYTHON = '/usr/bin/python3';
const PASSWORD = 'Lab-Passw0rd!';

interface Step { kind: 'cmd' | 'ps' | 'raw'; command?: string; args?: string[]; script?: string; stdin?: string }
interface StepResult { ok: boolean; code?: number; stdout?: string; stderr?: string; error?: string; stdoutLen?: number; stdoutHead?: string; stdoutTail?: string }

let host: WindowsHostHandle;
let opensslConf: string;
let dir: string;

function requirePywinrm(): void {
  try {
    execFileSync(PYTHON, ['-c', 'import winrm, requests_ntlm'], { stdio: 'pipe' });
  } catch {
    throw new Error('these tests need Debian\'s python3-winrm: run `apt-get install -y python3-winrm` (as root)');
  }
}

function pywinrm(url: string, transport: string, steps: Step[], password = PASSWORD): Promise<StepResult[]> {
  const job = JSON.stringify({ url, transport, user: 'Administrator', password, ca: host.caCertPath, steps });
  return new Promise((resolve, reject) => {
    // pywinrm's NTLM needs MD4, which OpenSSL 3 only offers through its legacy provider.
    const p = spawn(PYTHON, [CLIENT], { env: { ...process.env, OPENSSL_CONF: opensslConf, PYTHONDONTWRITEBYTECODE: '1' } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`pywinrm client exited ${code}: ${err}`));
      resolve(JSON.parse(out) as StepResult[]);
    });
    p.stdin.end(job);
  });
}

const encoded = (script: string): string => Buffer.from(script, 'utf16le').toString('base64');

beforeAll(async () => {
  requirePywinrm();
  dir = mkdtempSync(join(tmpdir(), 'fp-win-e2e-'));
  opensslConf = join(dir, 'openssl-legacy.cnf');
  writeFileSync(opensslConf, [
    'openssl_conf = openssl_init', '[openssl_init]', 'providers = provider_sect', '[provider_sect]', 'default = default_sect',
    'legacy = legacy_sect', '[default_sect]', 'activate = 1', '[legacy_sect]', 'activate = 1', '',
  ].join('\n'));
  host = await startWindowsHost(defaultWindowsHostConfig({
    // Strict Extended Protection: pywinrm's NTLM over HTTPS must send the certificate's channel binding.
    name: 'WINLAB01', listenAddress: '127.0.0.1', httpPort: 0, httpsPort: 0, password: PASSWORD, cbtHardeningLevel: 'Strict',
    certDir: join(dir, 'pki'), stateFile: join(dir, 'state.json'),
  }));
}, 60_000);

afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('HTTP 5985: NTLM with message encryption', () => {
  it('runs a command and a PowerShell script with output and exit code', async () => {
    const [cmd, ps] = await pywinrm(host.httpUrl, 'ntlm', [
      { kind: 'cmd', command: 'ipconfig', args: ['/all'] },
      { kind: 'ps', script: "$ProgressPreference = 'SilentlyContinue'\nGet-VM | Select-Object Name, State | ConvertTo-Json -Compress\nexit 3" },
    ]);
    expect(cmd).toMatchObject({ ok: true, code: 0 });
    expect(cmd!.stdout).toContain('Host Name . . . . . . . . . . . . : WINLAB01');
    expect(ps).toMatchObject({ ok: true, code: 3, stderr: '' });
    expect(JSON.parse(ps!.stdout!)).toEqual([{ Name: 'vm-gpu-01', State: 2 }, { Name: 'vm-gpu-02', State: 3 }, { Name: 'vm-gpu-03', State: 3 }]);
  });

  it('returns PowerShell errors as CLIXML on stderr with exit code 1', async () => {
    const [r] = await pywinrm(host.httpUrl, 'ntlm', [{ kind: 'raw', command: `powershell -encodedcommand ${encoded('Add-VMGpuPartitionAdapter -VMName ghost')}` }]);
    expect(r).toMatchObject({ ok: true, code: 1 });
    expect(r!.stderr!.startsWith('#< CLIXML\r\n')).toBe(true);
    expect(decodeClixml(r!.stderr!).errors[0]).toBe('Add-VMGpuPartitionAdapter : Hyper-V was unable to find a virtual machine with name "ghost".');
  });

  it('rejects a wrong password', async () => {
    const [r] = await pywinrm(host.httpUrl, 'ntlm', [{ kind: 'cmd', command: 'hostname' }], 'wrong');
    expect(r).toMatchObject({ ok: false });
    expect(r!.error).toMatch(/^InvalidCredentialsError/);
  });

  it('refuses Basic authentication over plain HTTP', async () => {
    const [r] = await pywinrm(host.httpUrl, 'basic', [{ kind: 'cmd', command: 'hostname' }]);
    expect(r).toMatchObject({ ok: false });
    expect(r!.error).toMatch(/^InvalidCredentialsError/);
  });
});

describe('HTTPS 5986 with the lab CA', () => {
  it('authenticates with Basic and with NTLM, validating the certificate', async () => {
    const [basic] = await pywinrm(host.httpsUrl, 'basic', [{ kind: 'cmd', command: 'hostname' }]);
    expect(basic).toMatchObject({ ok: true, code: 0, stdout: 'WINLAB01\r\n' });
    const [ntlm] = await pywinrm(host.httpsUrl, 'ntlm', [{ kind: 'ps', script: '$env:COMPUTERNAME; exit 0' }]);
    expect(ntlm).toMatchObject({ ok: true, code: 0, stdout: 'WINLAB01\r\n' });
  });

  it('streams a script longer than 100 KB over stdin and output larger than 10 MB back', async () => {
    const long = `$s = '${'a'.repeat(150_000)}'\n"length=$($s.Length)"\nexit 4`;
    const size = 11 * 2 ** 20;
    const [stdinRun, big] = await pywinrm(host.httpsUrl, 'basic', [
      { kind: 'raw', command: 'powershell.exe', args: ['-NoProfile', '-Command', '-'], stdin: long },
      { kind: 'raw', command: `powershell -encodedcommand ${encoded(`'x' * ${size}`)}` },
    ]);
    expect(stdinRun).toMatchObject({ ok: true, code: 4, stdoutHead: 'length=150000\r\n' });
    expect(big).toMatchObject({ ok: true, code: 0, stdoutLen: size + 2 });
    expect(big!.stdoutTail).toBe(`${'x'.repeat(48)}\r\n`);
  }, 120_000);
});

describe('a restart, seen by pywinrm', () => {
  it('answers shutdown /r, refuses connections while down, then reports a new boot time', async () => {
    const rebooting = await startWindowsHost(defaultWindowsHostConfig({
      name: 'WINLAB02', listenAddress: '127.0.0.1', httpPort: 0, httpsPort: 0, password: PASSWORD, rebootDowntimeMs: 5000,
      certDir: join(dir, 'pki'), stateFile: join(dir, 'state-reboot.json'),
    }));
    try {
      const boot = "$ProgressPreference = 'SilentlyContinue'; (Get-CimInstance Win32_OperatingSystem).LastBootUpTime.ToString('o')";
      const [before, restart] = await pywinrm(rebooting.httpUrl, 'ntlm', [{ kind: 'ps', script: boot }, { kind: 'cmd', command: 'shutdown', args: ['/r', '/t', '2', '/c', 'lab'] }]);
      expect(before, JSON.stringify(before)).toMatchObject({ ok: true, code: 0 });
      expect(restart).toMatchObject({ ok: true, code: 0 });
      // /t 2: the client closes its shell before the host goes down, as with win_reboot's default delay.
      await new Promise((ok) => setTimeout(ok, 2500));
      const [down] = await pywinrm(rebooting.httpUrl, 'ntlm', [{ kind: 'ps', script: boot }]);
      expect(down).toMatchObject({ ok: false, error: expect.stringMatching(/Connection|reset|aborted/i) });
      await rebooting.whenUp();
      const [after] = await pywinrm(rebooting.httpUrl, 'ntlm', [{ kind: 'ps', script: boot }]);
      expect(after).toMatchObject({ ok: true, code: 0 });
      expect(after!.stdout).not.toBe(before!.stdout);
      expect(rebooting.state().reboots).toBe(1);
    } finally {
      await rebooting.close();
    }
  }, 60_000);
});
