import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseRead, parseStat, readScript, statScript, writeScript, writeStdin } from '../../../../../src/engine/connection/winrm/files.js';
import { invocation } from '../../../../../src/engine/connection/winrm/powershell.js';
import { testHost, type TestHost } from '../../support/windows-host-runtime.js';

/** Runs a script exactly as the WinRM client would send it (command line or stdin bootstrap). */
function viaClient(h: TestHost, script: string, stdin?: Buffer): ReturnType<TestHost['cmd']> {
  const inv = invocation(script, stdin);
  return h.cmd([inv.exe, ...inv.args].join(' '), inv.stdin?.toString('utf8') ?? '');
}

describe('the WinRM client file operations run on the lab host', () => {
  it('writes atomically, stats and reads back binary content', () => {
    const h = testHost();
    const data = Buffer.from([0, 1, 2, 250, 255, 10, 13]);
    const w = viaClient(h, writeScript('C:\\Windows\\Temp\\blob.bin'), writeStdin(data));
    expect(w).toMatchObject({ exitCode: 0, errors: [] });
    const stat = parseStat(viaClient(h, statScript('C:\\Windows\\Temp\\blob.bin')).stdout);
    expect(stat).toMatchObject({ exists: true, type: 'file', size: 7 });
    const read = parseRead(viaClient(h, readScript('C:\\Windows\\Temp\\blob.bin')).stdout);
    expect(read?.data.equals(data)).toBe(true);
    // No temp file is left next to the target.
    expect(h.ps("(Get-ChildItem C:\\Windows\\Temp | Where-Object Name -like '.fleetplay-*').Count").stdout).toBe('0\r\n');
  });

  it('reports a missing file as absent and a missing directory as an error', () => {
    const h = testHost();
    expect(parseStat(viaClient(h, statScript('C:\\nope.txt')).stdout)).toEqual({ exists: false });
    expect(parseRead(viaClient(h, readScript('C:\\nope.txt')).stdout)).toBeNull();
    const w = viaClient(h, writeScript('C:\\no\\such\\dir\\f.txt'), writeStdin(Buffer.from('x')));
    expect(w.exitCode).toBe(1);
    expect(w.errors[0]).toBe('directory does not exist: C:\\no\\such\\dir');
  });

  it('keeps a backup when asked', () => {
    const h = testHost();
    viaClient(h, writeScript('C:\\f.txt'), writeStdin(Buffer.from('one')));
    const w = viaClient(h, writeScript('C:\\f.txt', { backup: true }), writeStdin(Buffer.from('two')));
    const bak = /^BACKUP:(.+)$/m.exec(w.stdout)![1]!.trim();
    expect(h.ps(`Get-Content -Raw '${bak}'`).stdout).toBe('one\r\n');
    expect(h.ps("Get-Content -Raw 'C:\\f.txt'").stdout).toBe('two\r\n');
  });

  it('runs a script longer than the command line through the stdin bootstrap', () => {
    const h = testHost();
    const script = `$v = '${'x'.repeat(120_000)}'\n"len=$($v.Length)"\nexit 3`;
    const inv = invocation(script);
    expect(inv.stdin).toBeDefined();
    expect(viaClient(h, script)).toMatchObject({ stdout: 'len=120000\r\n', exitCode: 3 });
  });
});

describe('item and content cmdlets', () => {
  it('creates directories and files, tests paths, lists, moves, copies and removes', () => {
    const h = testHost();
    const r = h.ps([
      "New-Item -ItemType Directory -Path C:\\lab\\sub -Force | Out-Null",
      "Set-Content -Path C:\\lab\\a.txt -Value 'alpha','beta' -Encoding UTF8",
      "Test-Path C:\\lab\\a.txt; Test-Path C:\\lab\\a.txt -PathType Container; Test-Path C:\\lab\\*.txt",
      "(Get-Content C:\\lab\\a.txt)[1]",
      "Copy-Item C:\\lab\\a.txt C:\\lab\\sub; Move-Item C:\\lab\\a.txt C:\\lab\\b.txt",
      "(Get-ChildItem C:\\lab -Recurse -File | Sort-Object FullName).FullName",
      "Remove-Item C:\\lab -Recurse; Test-Path C:\\lab",
    ].join('\n'));
    expect(r.errors).toEqual([]);
    expect(r.stdout.split('\r\n').filter(Boolean)).toEqual(['True', 'False', 'True', 'beta', 'C:\\lab\\b.txt', 'C:\\lab\\sub\\a.txt', 'False']);
  });

  it('writes UTF-8 with a BOM for -Encoding UTF8 and hashes files like Get-FileHash', () => {
    const h = testHost();
    h.ps("Set-Content -Path C:\\h.txt -Value 'abc' -Encoding UTF8 -NoNewline");
    const hash = h.ps("(Get-FileHash C:\\h.txt -Algorithm SHA256).Hash").stdout.trim();
    expect(hash).toBe(createHash('sha256').update(Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x62, 0x63])).digest('hex').toUpperCase());
  });

  it('gives .NET and provider error texts for missing paths', () => {
    const h = testHost();
    expect(h.ps('Get-Item C:\\missing.txt').errors[0]).toBe("Get-Item : Cannot find path 'C:\\missing.txt' because it does not exist.");
    expect(h.ps("[IO.File]::ReadAllBytes('C:\\missing.txt')").errors[0]).toBe('Exception calling "ReadAllBytes" with "1" argument(s): "Could not find file \'C:\\missing.txt\'."');
    expect(h.ps('Get-Item D:\\x').errors[0]).toBe("Get-Item : Cannot find drive. A drive with the name 'D' does not exist.");
  });

  it('reads the HKLM: registry drive with Get-ItemProperty and wildcards', () => {
    const h = testHost({ winof2: { installedVersion: '3.10.50000' } });
    const r = h.ps("Get-ItemProperty 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*' | Where-Object DisplayName -like 'MLNX_WinOF2*' | Select-Object -ExpandProperty DisplayVersion");
    expect(r.stdout).toBe('3.10.50000\r\n');
    expect(h.ps("Test-Path 'HKLM:\\SOFTWARE\\Microsoft'").stdout).toBe('True\r\n');
  });
});
