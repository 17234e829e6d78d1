// Installer packages on the lab host: msiexec /i writes the files and the Uninstall key, /x removes
// both (by package or product code), 3010 leaves a reboot pending, 1603 installs nothing, a non-silent
// run or a file that is no package fails with msiexec's codes, and a lab setup.exe does the same.
import { describe, expect, it } from 'vitest';
import { labPackage } from '../../../src/windows/model/packages.js';
import { testHost } from '../../support/windows-host-runtime.js';

const CODE = '{6F1A2B3C-0000-4000-8000-00000000A001}';
const pkg = (extra: Record<string, unknown> = {}) => labPackage({ productCode: CODE, name: 'Fabric Tools', version: '2.1.0', files: { 'C:\\Program Files\\Fabric\\fabric.exe': 'tool' }, ...extra });
const put = (h: ReturnType<typeof testHost>, path: string, data: Buffer) => h.ps(`[IO.File]::WriteAllBytes('${path}', [Convert]::FromBase64String('${data.toString('base64')}'))`);
const key = `'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\${CODE}'`;

describe('installer packages', () => {
  it('installs an MSI silently and removes it by product code', () => {
    const h = testHost();
    put(h, 'C:\\Windows\\Temp\\fabric.msi', pkg({ exitCode: 3010 }));
    expect(h.ps("$p = Start-Process msiexec.exe -ArgumentList '/i', 'C:\\Windows\\Temp\\fabric.msi', '/norestart' -Wait -PassThru; $p.ExitCode").stdout).toBe('1602\r\n');
    expect(h.ps("msiexec.exe /i C:\\Windows\\Temp\\fabric.msi /qn /norestart; $LASTEXITCODE").stdout).toBe('3010\r\n');
    expect(h.ps(`(Get-ItemProperty ${key}).DisplayVersion; (Get-Item 'C:\\Program Files\\Fabric\\fabric.exe').VersionInfo.FileVersion`).stdout).toBe('2.1.0\r\n2.1.0\r\n');
    expect(h.state().pendingReboot).toBe(true);
    expect(h.ps(`msiexec.exe /x '${CODE}' /qn; $LASTEXITCODE; Test-Path ${key}; Test-Path 'C:\\Program Files\\Fabric\\fabric.exe'`).stdout).toBe('0\r\nFalse\r\nFalse\r\n');
    expect(h.ps(`msiexec.exe /x '${CODE}' /qn; $LASTEXITCODE`).stdout).toBe('1605\r\n');
  });

  it('rolls back a failing install, and refuses a file that is no package', () => {
    const h = testHost();
    put(h, 'C:\\Windows\\Temp\\bad.msi', pkg({ exitCode: 1603 }));
    put(h, 'C:\\Windows\\Temp\\junk.msi', Buffer.from('MZ'));
    expect(h.ps(`msiexec /i C:\\Windows\\Temp\\bad.msi /qn; $LASTEXITCODE; Test-Path ${key}`).stdout).toBe('1603\r\nFalse\r\n');
    expect(h.ps('msiexec /i C:\\Windows\\Temp\\junk.msi /qn; $LASTEXITCODE').stdout).toBe('1620\r\n');
  });

  it('runs a lab setup.exe: /quiet installs, /uninstall /quiet removes', () => {
    const h = testHost();
    put(h, 'C:\\Windows\\Temp\\setup.exe', pkg());
    expect(h.ps("& 'C:\\Windows\\Temp\\setup.exe' /quiet; $LASTEXITCODE; Test-Path 'C:\\Program Files\\Fabric\\fabric.exe'").stdout).toBe('0\r\nTrue\r\n');
    expect(h.ps("& 'C:\\Windows\\Temp\\setup.exe' /uninstall /quiet; $LASTEXITCODE; Test-Path 'C:\\Program Files\\Fabric\\fabric.exe'").stdout).toBe('0\r\nFalse\r\n');
  });
});
