// The Hyper-V model's VM lifecycle and cluster roles on their own: graceful vs forced stop, a guest
// that ignores shutdown, saved state, adapter settings, per-VM clustering with role names that are
// not the VM's, per-GPU driver versions.
import { describe, expect, it } from 'vitest';
import { nvidiaA2 } from '../../../src/windows/config.js';
import { testHost } from '../../support/windows-host-runtime.js';

const json = (s: string): any => JSON.parse(s);
const GB = 2 ** 30;

describe('stopping VMs', () => {
  it('a graceful Stop-VM turns an obedient guest off; a guest that ignores it stays running until -TurnOff', () => {
    const h = testHost({ hyperv: { gpus: [nvidiaA2()], vms: [{ name: 'ok', state: 'Running' }, { name: 'hung', state: 'Running', ignoresShutdown: true }] } });
    expect(h.ps('Stop-VM -Name ok -Force').exitCode).toBe(0);
    const hung = h.ps('Stop-VM -Name hung -Force');
    expect(hung.errors[0]).toBe("Stop-VM : Failed to shut down the virtual machine 'hung': the guest did not respond to the shutdown request. Use -TurnOff to turn it off.");
    // -AsJob returns at once and the request stays pending: the VM is still running.
    expect(h.ps('Stop-VM -Name hung -Force -AsJob | Out-Null; "$((Get-VM hung).State)"').stdout).toBe('Running\r\n');
    expect(h.ps('Stop-VM -Name hung -TurnOff -Force').exitCode).toBe(0);
    expect(h.state().hyperv.vms.map((v) => v.state)).toEqual(['Off', 'Off']);
  });

  it('a saved VM cannot be shut down or changed; Remove-VMSavedState discards the state and leaves it off', () => {
    const h = testHost({ hyperv: { gpus: [nvidiaA2()], vms: [{ name: 'sv', state: 'Saved' }] } });
    expect(json(h.ps('(Get-VM sv).State | ConvertTo-Json').stdout)).toBe(6);
    expect(h.ps('Stop-VM -Name sv -Force').errors[0]).toContain("in its current state (Saved)");
    expect(h.ps('Add-VMGpuPartitionAdapter -VMName sv').errors[0]).toContain('is in its current state (Saved). Turn off the virtual machine first.');
    expect(h.ps('Remove-VMSavedState -VMName sv').exitCode).toBe(0);
    expect(h.state().hyperv.vms[0]!.state).toBe('Off');
    expect(h.ps('Remove-VMSavedState -VMName sv').errors[0]).toContain('(Off)');
  });

  it('Stop-VM -Save saves a running VM; Start-VM resumes it', () => {
    const h = testHost();
    h.ps('Stop-VM -Name vm-gpu-01 -Save');
    expect(h.state().hyperv.vms[0]!.state).toBe('Saved');
    h.ps('Start-VM -Name vm-gpu-01');
    expect(h.state().hyperv.vms[0]!.state).toBe('Running');
  });
});

describe('VM settings GPU-P needs', () => {
  it('reports dynamic memory and switches it off only while the VM is off', () => {
    const h = testHost({ hyperv: { gpus: [nvidiaA2()], vms: [{ name: 'dm', state: 'Running', dynamicMemory: true }] } });
    expect(h.ps('(Get-VM dm).DynamicMemoryEnabled').stdout).toBe('True\r\n');
    expect(h.ps('Set-VM -Name dm -StaticMemory').errors[0]).toContain('DynamicMemoryEnabled cannot be changed while the virtual machine "dm" is in its current state (Running)');
    h.ps('Stop-VM dm -TurnOff; Set-VM -Name dm -StaticMemory');
    expect(h.state().hyperv.vms[0]!.dynamicMemory).toBe(false);
  });

  it('Set-VMGpuPartitionAdapter changes an off VM\'s adapter and refuses a running one', () => {
    const h = testHost();
    h.ps('Add-VMGpuPartitionAdapter -VMName vm-gpu-02');
    expect(h.ps('Set-VMGpuPartitionAdapter -VMName vm-gpu-02 -MinPartitionVRAM 1GB -MaxPartitionVRAM 2GB').exitCode).toBe(0);
    expect(h.state().hyperv.vms[1]!.gpuAdapters[0]).toMatchObject({ minPartitionVRAM: GB, maxPartitionVRAM: 2 * GB, optimalPartitionVRAM: null });
    expect(h.ps('Set-VMGpuPartitionAdapter -VMName vm-gpu-03 -MinPartitionVRAM 1GB').errors[0]).toBe('Set-VMGpuPartitionAdapter : Unable to find a Gpu partition adapter matching the given criteria.');
    h.ps('Start-VM vm-gpu-02');
    expect(h.ps('Set-VMGpuPartitionAdapter -VMName vm-gpu-02 -MinPartitionVRAM 2GB').errors[0]).toContain('Turn off the virtual machine first');
  });

  it('a running partition has a string VF LUID and says whether it can live-migrate', () => {
    const h = testHost({ hyperv: { gpus: [{ ...nvidiaA2(), supportsLiveMigration: false }], vms: [{ name: 'a' }] } });
    const a = json(h.ps('Add-VMGpuPartitionAdapter -VMName a; Start-VM a; Get-VMGpuPartitionAdapter -VMName a | Select-Object PartitionVfLuid, SupportsOutgoingLiveMigration | ConvertTo-Json').stdout);
    expect(a.PartitionVfLuid).toMatch(/^[0-9a-f]+-[0-9a-f]+$/);
    expect(a.SupportsOutgoingLiveMigration).toBe(false);
  });

  it('each GPU reports its own driver version', () => {
    const h = testHost({ hyperv: { gpus: [nvidiaA2(), { ...nvidiaA2(), driverVersion: '31.0.15.5222' }], vms: [] } });
    expect(h.ps('(Get-CimInstance Win32_VideoController).DriverVersion').stdout).toBe('32.0.15.6094\r\n31.0.15.5222\r\n');
  });
});

describe('cluster roles', () => {
  const cluster = () => testHost({
    cluster: { name: 'CLU1' },
    hyperv: { gpus: [nvidiaA2()], vms: [{ name: 'ha', clusterGroup: 'ha-role' , clusterResource: 'Virtual Machine ha-role' }, { name: 'scvmm' }, { name: 'local', clustered: false }] },
  });

  it('IsClustered is per VM: a standalone VM on a cluster node has no role', () => {
    const h = cluster();
    expect(h.ps('Get-VM | ForEach-Object { "$($_.Name)=$($_.IsClustered)" }').stdout).toBe('ha=True\r\nscvmm=True\r\nlocal=False\r\n');
    const id = h.state().hyperv.vms[2]!.id;
    expect(h.ps(`Get-ClusterGroup -VMId ${id}`).errors[0]).toContain('The group could not be found.');
  });

  it('finds a VM\'s role from its id and the role\'s Virtual Machine resource, whatever their names', () => {
    const h = cluster();
    const script = (vm: string) => `$g = Get-ClusterGroup -VMId (Get-VM ${vm}).VMId; $r = $g | Get-ClusterResource | Where-Object { $_.ResourceType.Name -eq 'Virtual Machine' }; "$($g.Name)|$($r.Name)|$($r.ResourceType)"`;
    expect(h.ps(script('ha')).stdout).toBe('ha-role|Virtual Machine ha-role|Virtual Machine\r\n');
    expect(h.ps(script('scvmm')).stdout).toBe('SCVMM scvmm|SCVMM scvmm Resource|Virtual Machine\r\n');
    // The VM's name is not a resource name.
    expect(h.ps("Get-ClusterResource -Name 'Virtual Machine scvmm'").errors[0]).toContain('The cluster resource could not be found.');
  });
});

describe('other power states', () => {
  it('a paused or stopping VM cannot be shut down gracefully; -TurnOff turns it off', () => {
    const h = testHost({ hyperv: { gpus: [nvidiaA2()], vms: [{ name: 'p', state: 'Paused' }, { name: 's', state: 'Stopping' }] } });
    expect(json(h.ps('@(Get-VM | ForEach-Object { $_.State }) | ConvertTo-Json').stdout)).toEqual([9, 4]);
    expect(h.ps('Stop-VM -Name p -Force').errors[0]).toContain('(Paused)');
    expect(h.ps('Stop-VM -Name s -Force').errors[0]).toContain('(Stopping)');
    h.ps('Stop-VM -Name p, s -TurnOff -Force');
    expect(h.state().hyperv.vms.map((v) => v.state)).toEqual(['Off', 'Off']);
  });
});
