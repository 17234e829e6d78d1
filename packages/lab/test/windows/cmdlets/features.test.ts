// Server Manager features on the lab host: what Get-WindowsFeature shows, installs with parents,
// sub-features and management tools, pending states until a reboot, Hyper-V appearing only after
// the boot, removals, and the unknown-name error.
import { describe, expect, it } from 'vitest';
import { testHost } from '../../support/windows-host-runtime.js';

const states = "Get-WindowsFeature | ForEach-Object { '{0}={1}' -f $_.Name, $_.InstallState }";

describe('Windows features', () => {
  it('installs Hyper-V with its tools: pending until a reboot, which turns Hyper-V on', () => {
    const h = testHost({ hyperv: { enabled: false, gpus: [], vms: [] } });
    expect(h.ps(states).stdout).toContain('Hyper-V=Available');
    const r = h.ps("$r = Install-WindowsFeature -Name Hyper-V -IncludeManagementTools; '{0} {1} {2}' -f $r.Success, $r.RestartNeeded, $r.ExitCode; $r.FeatureResult | ForEach-Object { '{0}:{1}' -f $_.Name, $_.RestartNeeded }");
    expect(r.stdout).toBe('True Yes SuccessRestartRequired\r\nHyper-V:True\r\nRSAT-Hyper-V-Tools:False\r\nHyper-V-Tools:False\r\nHyper-V-PowerShell:False\r\n');
    expect(h.ps(states).stdout).toContain('Hyper-V=InstallPending\r\nFailover-Clustering=Available\r\nRSAT-Hyper-V-Tools=Installed');
    expect(h.state().pendingReboot).toBe(true);
    expect(h.ps('Get-VM').errors[0]).toMatch(/The term 'Get-VM' is not recognized/);
    // Again before the reboot: nothing to do.
    expect(h.ps("(Install-WindowsFeature Hyper-V).ExitCode").stdout).toBe('NoChangeNeeded\r\n');

    const boot = h.ps("(Get-CimInstance Win32_OperatingSystem).LastBootUpTime.ToString('o')").stdout;
    h.ps('Restart-Computer -Force');
    expect(h.state()).toMatchObject({ pendingReboot: false, reboots: 1, hyperv: { enabled: true } });
    expect(h.ps("(Get-CimInstance Win32_OperatingSystem).LastBootUpTime.ToString('o')").stdout).not.toBe(boot);
    expect(h.ps("(Get-WindowsFeature Hyper-V).InstallState; (Get-Service vmms).Status; @(Get-VM).Count").stdout).toBe('Installed\r\nRunning\r\n0\r\n');
  });

  it('installs parents of a sub-feature, sub-features on request, and removes children with their parent', () => {
    const h = testHost({ hyperv: { enabled: false, gpus: [], vms: [] } });
    expect(h.ps("(Install-WindowsFeature RSAT-Clustering-PowerShell).FeatureResult.Name").stdout).toBe('RSAT-Clustering\r\nRSAT-Clustering-PowerShell\r\n');
    expect(h.ps("(Install-WindowsFeature RSAT-Hyper-V-Tools -IncludeAllSubFeature).FeatureResult.Name").stdout).toBe('RSAT-Hyper-V-Tools\r\nHyper-V-Tools\r\nHyper-V-PowerShell\r\n');
    expect(h.ps("$r = Install-WindowsFeature Failover-Clustering; '{0} {1}' -f $r.ExitCode, $r.RestartNeeded").stdout).toBe('Success No\r\n');
    const rm = h.ps("$r = Uninstall-WindowsFeature RSAT-Hyper-V-Tools; '{0} {1}' -f $r.ExitCode, ($r.FeatureResult.Name -join ',')");
    expect(rm.stdout).toBe('Success Hyper-V-Tools,Hyper-V-PowerShell,RSAT-Hyper-V-Tools\r\n');
    expect(h.ps("(Remove-WindowsFeature Failover-Clustering).ExitCode; (Get-WindowsFeature Failover-Clustering).InstallState").stdout).toBe('SuccessRestartRequired\r\nUninstallPending\r\n');
    expect(h.ps("Get-WindowsFeature -Name Nope, Hyper-V* | ForEach-Object Name").stdout).toBe('Hyper-V\r\nHyper-V-Tools\r\nHyper-V-PowerShell\r\n');
  });

  it('rejects an unknown name and changes nothing with -WhatIf', () => {
    const h = testHost();
    const bad = h.ps('Install-WindowsFeature -Name Hyper-V, Bogus');
    expect(bad.errors[0]).toBe("Install-WindowsFeature : ArgumentNotValid: The role, role service, or feature name is not valid: 'Bogus'. The name was not found.");
    expect(h.ps('(Uninstall-WindowsFeature Hyper-V -WhatIf).ExitCode; (Get-WindowsFeature Hyper-V).InstallState').stdout).toContain('Installed\r\n');
    expect(h.state().pendingReboot).toBe(false);
  });

  it('shutdown.exe restarts and refuses to power off', () => {
    const h = testHost();
    expect(h.cmd('shutdown /s /t 0')).toMatchObject({ exitCode: 1 });
    expect(h.cmd('shutdown /r /t 0 /c "driver update"')).toMatchObject({ exitCode: 0 });
    expect(h.state().reboots).toBe(1);
  });
});
