// The lab's Service Control Manager model through its cmdlets: ServiceController and Win32_Service
// shapes, dependencies on start and stop, disabled and unstoppable services, sc.exe config/delete.
import { describe, expect, it } from 'vitest';
import { testHost } from '../../support/windows-host-runtime.js';

describe('services', () => {
  it('lists services with status, start type and dependencies; Win32_Service has the start mode and delay', () => {
    const h = testHost();
    expect(h.ps("$s = Get-Service WinRM; \"$($s.Status) $($s.StartType) $($s.DisplayName)\"; $s.ServicesDependedOn.Name").stdout).toBe('Running Automatic Windows Remote Management (WS-Management)\r\nRpcSs\r\n');
    expect(h.ps("(Get-Service LanmanWorkstation).DependentServices.Name").stdout).toBe('Netlogon\r\n');
    expect(h.ps("Get-CimInstance Win32_Service | Where-Object { $_.Name -eq 'W32Time' } | Select-Object State, StartMode, DelayedAutoStart | ConvertTo-Json -Compress").stdout).toBe('{"State":"Stopped","StartMode":"Manual","DelayedAutoStart":false}\r\n');
    expect(h.ps('Get-Service nosuch').errors[0]).toBe("Get-Service : Cannot find any service with service name 'nosuch'.");
    expect(h.ps("(Get-Service -Name 'Lanman*').Name").stdout).toBe('LanmanWorkstation\r\n');
  });

  it('starts dependencies first, refuses disabled services, and stops dependents only with -Force', () => {
    const h = testHost();
    h.ps('Stop-Service LanmanWorkstation');
    expect(h.ps('Start-Service Netlogon; (Get-Service LanmanWorkstation).Status').stdout).toBe('Running\r\n');
    expect(h.ps('Stop-Service LanmanWorkstation').errors[0]).toBe("Stop-Service : Cannot stop service 'Workstation (LanmanWorkstation)' because it has dependent services. It can only be stopped if the Force flag is set.");
    expect(h.ps('Stop-Service LanmanWorkstation -Force; (Get-Service Netlogon).Status').stdout).toBe('Stopped\r\n');
    expect(h.ps('Set-Service W32Time -StartupType Disabled; Start-Service W32Time').errors[0]).toBe("Start-Service : Service 'Windows Time (W32Time)' cannot be started due to the following error: Cannot start service W32Time on computer '.'.");
    expect(h.ps('Stop-Service RpcSs -Force').errors[0]).toBe("Stop-Service : Service 'Remote Procedure Call (RPC) (RpcSs)' cannot be stopped due to the following error: Cannot stop RpcSs service on computer '.'.");
    h.ps('Restart-Service Spooler');
    expect(h.state().services!.find((s) => s.name === 'Spooler')).toMatchObject({ status: 'Running', starts: 1, stops: 1 });
  });

  it('sc.exe sets delayed auto-start and deletes a service (a running one once it stops)', () => {
    const h = testHost();
    expect(h.ps('sc.exe config W32Time start= delayed-auto; $LASTEXITCODE').stdout).toBe('[SC] ChangeServiceConfig SUCCESS\r\n0\r\n');
    expect(h.ps("(Get-CimInstance Win32_Service | Where-Object { $_.Name -eq 'W32Time' }).DelayedAutoStart; (Get-Service W32Time).StartType").stdout).toBe('True\r\nAutomatic\r\n');
    expect(h.cmd('sc config nosuch start= auto')).toMatchObject({ exitCode: 1060, stdout: expect.stringContaining('The specified service does not exist as an installed service.') });
    expect(h.ps('sc.exe delete Spooler | Out-Null; (Get-Service Spooler).Status').stdout).toBe('Running\r\n');
    expect(h.ps('Stop-Service Spooler; Get-Service Spooler').errors[0]).toBe("Get-Service : Cannot find any service with service name 'Spooler'.");
  });
});
