import { describe, expect, it } from 'vitest';
import { testHost } from '../../support/windows-host-runtime.js';

const INSTALLER = 'C:\\Windows\\Temp\\MLNX_WinOF2-24_10_50010_All_x64.exe';

describe('facts', () => {
  it('answers the CIM classes facts use', () => {
    const h = testHost({ name: 'GPUHOST7' });
    const os = JSON.parse(h.ps('Get-CimInstance Win32_OperatingSystem | Select-Object Caption, Version, OSArchitecture | ConvertTo-Json').stdout);
    expect(os).toEqual({ Caption: 'Microsoft Windows Server 2025 Datacenter', Version: '10.0.26100', OSArchitecture: '64-bit' });
    expect(h.ps('$cs = Get-CimInstance -ClassName Win32_ComputerSystem; "$($cs.Name) $($cs.Domain)"; $env:COMPUTERNAME').stdout).toBe('GPUHOST7 WORKGROUP\r\nGPUHOST7\r\n');
    expect(h.ps('(Get-CimInstance Win32_VideoController).Name').stdout).toBe('NVIDIA A2\r\nNVIDIA A2\r\n');
    expect(h.ps('Get-CimInstance Win32_Nope').errors[0]).toBe('Get-CimInstance : Invalid class ');
    expect(h.ps('$PSVersionTable.PSVersion.Major').stdout).toBe('5\r\n');
  });

  it('runs cmd.exe commands: echo, hostname, exit codes, unknown programs', () => {
    const h = testHost({ name: 'GPUHOST7' });
    expect(h.cmd('echo hello world')).toMatchObject({ stdout: 'hello world\r\n', exitCode: 0 });
    expect(h.cmd('hostname').stdout).toBe('GPUHOST7\r\n');
    expect(h.cmd('cmd /c exit 3').exitCode).toBe(3);
    expect(h.cmd('ipconfig /all').stdout).toContain('IPv4 Address. . . . . . . . . . . : 198.18.0.10');
    expect(h.cmd('nosuch.exe /x')).toMatchObject({ exitCode: 1, stderr: "'nosuch.exe' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n" });
    expect(h.ps('hostname; $LASTEXITCODE').stdout).toBe('GPUHOST7\r\n0\r\n');
  });
});

describe('WinOF-2 driver package', () => {
  const install = "$p = Start-Process -FilePath '" + INSTALLER + "' -ArgumentList '/S','/v\"/qn MT_SKIPFWUPGRD=1\"' -Wait -PassThru; $p.ExitCode";
  const version = "(Get-ItemProperty 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*' | Where-Object DisplayName -eq 'MLNX_WinOF2').DisplayVersion";

  it('installs the version named by the package silently, exit 3010, reboot pending, no firmware update', () => {
    const h = testHost();
    h.ps(`Set-Content -Path '${INSTALLER}' -Value 77,90 -Encoding Byte`);
    expect(h.ps(version).stdout).toBe('');
    const r = h.ps(install);
    expect(r).toMatchObject({ stdout: '3010\r\n', exitCode: 0, delayMs: 1000 });
    expect(h.ps(version).stdout).toBe('24.10.50010\r\n');
    expect(h.state()).toMatchObject({ pendingReboot: true, installs: [{ exitCode: 3010, version: '24.10.50010', firmwareUpdate: false }] });
    expect(h.ps('(Get-CimInstance Win32_PnPSignedDriver | Where-Object DeviceName -like "*ConnectX*").DriverVersion').stdout).toBe('24.10.50010\r\n');
    h.ps('Restart-Computer -Force');
    expect(h.state()).toMatchObject({ pendingReboot: false, reboots: 1 });
  });

  it('exits 0 when configured so, records a firmware update without MT_SKIPFWUPGRD, and 1602 when not silent', () => {
    const h = testHost({ winof2: { installerExitCode: 0 } });
    h.ps(`Set-Content -Path '${INSTALLER}' -Value 'MZ'`);
    expect(h.ps(`(Start-Process '${INSTALLER}' -ArgumentList '/S /v/qn' -Wait -PassThru).ExitCode`).stdout).toBe('0\r\n');
    expect(h.state().installs[0]!.firmwareUpdate).toBe(true);
    expect(h.ps(`& '${INSTALLER}'; $LASTEXITCODE`).stdout).toBe('1602\r\n');
  });

  it('fails like Windows when the package file is missing', () => {
    const h = testHost();
    expect(h.ps(`Start-Process -FilePath '${INSTALLER}' -Wait -PassThru`).errors[0]).toBe('Start-Process : This command cannot be run due to the error: The system cannot find the file specified.');
  });
});
