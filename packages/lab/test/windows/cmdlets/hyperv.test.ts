import { describe, expect, it } from 'vitest';
import { nvidiaA16, nvidiaA2 } from '../../../src/windows/config.js';
import { testHost } from '../../support/windows-host-runtime.js';

const json = (s: string): any => JSON.parse(s);
const MB = 2 ** 20;

describe('partitionable GPUs', () => {
  it('lists GPU-P GPUs with per-partition sizes computed from the totals (A2 in 4 → 3648 MB)', () => {
    const h = testHost();
    const gpus = json(h.ps('ConvertTo-Json -InputObject @(Get-VMHostPartitionableGpu) -Depth 3').stdout);
    expect(gpus).toHaveLength(2);
    expect(gpus[0].Name).toMatch(/^\\\\\?\\PCI#VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1#.*#\{064092b3-625e-43bf-9eb5-dc845897dd59\}\\GPUPARAV$/);
    expect(gpus[0]).toMatchObject({ ValidPartitionCounts: [16, 8, 4, 2, 1], PartitionCount: 4, MinPartitionVRAM: 3648 * MB, OptimalPartitionVRAM: 3648 * MB, AvailableVRAM: 14592 * MB });
    expect(gpus[0].Name).not.toBe(gpus[1].Name);
    // The old cmdlet name answers the same.
    expect(json(h.ps('Get-VMPartitionableGpu | Select-Object -First 1 -ExpandProperty PartitionCount | ConvertTo-Json').stdout)).toBe(4);
  });

  it('changes the count to a valid one, and rejects an invalid one listing the valid counts', () => {
    const h = testHost();
    const r = h.ps('$g = Get-VMHostPartitionableGpu | Select-Object -First 1; Set-VMHostPartitionableGpu -Name $g.Name -PartitionCount 8; (Get-VMHostPartitionableGpu -Name $g.Name).MinPartitionVRAM');
    expect(r.stdout).toBe(`${1824 * MB}\r\n`);
    expect(h.state().hyperv.gpus[0]!.partitionCount).toBe(8);
    const bad = h.ps('Get-VMHostPartitionableGpu | Set-VMHostPartitionableGpu -PartitionCount 3');
    expect(bad.exitCode).toBe(1);
    expect(bad.errors[0]).toMatch(/^Set-VMHostPartitionableGpu : The partition count 3 is not valid for the GPU ".*"\. Valid partition counts: 16, 8, 4, 2, 1\.$/);
    expect(h.state().hyperv.gpus.map((g) => g.partitionCount)).toEqual([8, 4]);
  });

  it('refuses to re-count a GPU while a partition is assigned', () => {
    const h = testHost({ hyperv: { gpus: [nvidiaA2()], vms: [{ name: 'vm1' }] } });
    h.ps('Add-VMGpuPartitionAdapter -VMName vm1');
    const r = h.ps('Get-VMHostPartitionableGpu | Set-VMHostPartitionableGpu -PartitionCount 8');
    expect(r.errors[0]).toBe('Set-VMHostPartitionableGpu : The operation cannot be performed on the virtual machine because it is assigned one or more GPUP partitions');
    expect(h.state().hyperv.gpus[0]!.partitionCount).toBe(4);
  });

  it('hides DDA and driverless GPUs from GPU-P, shows DDA ones as assignable devices', () => {
    const h = testHost({ hyperv: { gpus: [{ ...nvidiaA2(), mode: 'dda' }, { ...nvidiaA16(), mode: 'none' }], vms: [] } });
    expect(h.ps('Get-VMHostPartitionableGpu').stdout).toBe('');
    expect(h.ps('(Get-VMHostAssignableDevice).Name').stdout).toBe('NVIDIA A2\r\n');
  });
});

describe('GPU partition adapters', () => {
  it('assigns one partition to an off VM, updates Available*, and lists the adapter', () => {
    const h = testHost();
    const r = h.ps('Add-VMGpuPartitionAdapter -VMName vm-gpu-02; Get-VMGpuPartitionAdapter -VMName vm-gpu-02 | ConvertTo-Json -Depth 1');
    const a = json(r.stdout);
    expect(a).toMatchObject({ VMName: 'vm-gpu-02', PartitionId: 0, MinPartitionVRAM: null, PartitionVfLuid: null, Name: 'GPU Partition Settings' });
    expect(a.Id).toMatch(/^Microsoft:[0-9A-F-]{36}\\[0-9A-F-]{36}$/);
    const gpu = json(h.ps(`Get-VMHostPartitionableGpu -Name '${a.InstancePath}' | Select-Object AvailableVRAM, TotalVRAM | ConvertTo-Json`).stdout);
    expect(gpu.AvailableVRAM).toBe(gpu.TotalVRAM - 3648 * MB);
  });

  it('takes VRAM limits and -InstancePath', () => {
    const h = testHost();
    const path = h.state().hyperv.gpus[1]!.name;
    h.ps(`Add-VMGpuPartitionAdapter -VMName vm-gpu-03 -InstancePath '${path}' -MinPartitionVRAM 1GB -MaxPartitionVRAM 2GB -OptimalPartitionVRAM 2GB`);
    expect(h.state().hyperv.vms[2]!.gpuAdapters[0]).toMatchObject({ instancePath: path, minPartitionVRAM: 2 ** 30, maxPartitionVRAM: 2 ** 31 });
  });

  it('allows only one partition per VM and refuses a running VM', () => {
    const h = testHost();
    h.ps('Add-VMGpuPartitionAdapter -VMName vm-gpu-02');
    expect(h.ps('Add-VMGpuPartitionAdapter -VMName vm-gpu-02').errors[0]).toContain('only one GPU partition adapter is supported per virtual machine');
    const running = h.ps('Add-VMGpuPartitionAdapter -VMName vm-gpu-01');
    expect(running.errors[0]).toContain('vm-gpu-01');
    expect(running.errors[0]).toContain('Turn off the virtual machine first');
    expect(h.state().hyperv.vms[0]!.gpuAdapters).toEqual([]);
  });

  it('reports unknown VMs with the real message', () => {
    const h = testHost();
    const r = h.ps('Add-VMGpuPartitionAdapter -VMName ghost');
    expect(r.errors[0]).toBe('Add-VMGpuPartitionAdapter : Hyper-V was unable to find a virtual machine with name "ghost".');
  });

  it('fails with "Insufficient system resources" when no partition is free', () => {
    const h = testHost({ hyperv: { gpus: [{ ...nvidiaA2(1), partitionCount: 1 }], vms: [{ name: 'a' }, { name: 'b' }] } });
    expect(h.ps('Add-VMGpuPartitionAdapter -VMName a').exitCode).toBe(0);
    const r = h.ps('Add-VMGpuPartitionAdapter -VMName b');
    expect(r.errors[0]).toBe("Add-VMGpuPartitionAdapter : Failed to add device 'GPU Partition'. Insufficient system resources exist to complete the requested service.");
  });

  it('with reservePartitionsAt=start, the shortage shows at Start-VM instead', () => {
    const h = testHost({ hyperv: { reservePartitionsAt: 'start', gpus: [nvidiaA2(1)], vms: [{ name: 'a' }, { name: 'b' }] } });
    h.ps('Add-VMGpuPartitionAdapter -VMName a; Add-VMGpuPartitionAdapter -VMName b; Start-VM -Name a');
    const r = h.ps('Start-VM -Name b');
    expect(r.errors[0]).toMatch(/^Start-VM : 'b' failed to start\. GPU Partition .*Insufficient system resources exist to complete the requested service\.'$/);
    expect(h.state().hyperv.vms.map((v) => v.state)).toEqual(['Running', 'Off']);
  });

  it('removes the adapter of an off VM, and says so when there is none', () => {
    const h = testHost();
    h.ps('Add-VMGpuPartitionAdapter -VMName vm-gpu-02');
    expect(h.ps('Remove-VMGpuPartitionAdapter -VMName vm-gpu-02').exitCode).toBe(0);
    expect(h.state().hyperv.vms[1]!.gpuAdapters).toEqual([]);
    expect(h.ps('Remove-VMGpuPartitionAdapter -VMName vm-gpu-02').errors[0]).toBe('Remove-VMGpuPartitionAdapter : Unable to find a Gpu partition adapter matching the given criteria.');
  });
});

describe('VMs', () => {
  it('Get-VM writes State and AutomaticStopAction as enum numbers in JSON and names in text', () => {
    const h = testHost();
    const vm = json(h.ps("Get-VM -Name vm-gpu-01 | Select-Object Name, State, AutomaticStopAction, Generation | ConvertTo-Json").stdout);
    expect(vm).toEqual({ Name: 'vm-gpu-01', State: 2, AutomaticStopAction: 1, Generation: 2 });
    expect(h.ps('"$((Get-VM vm-gpu-01).State)"').stdout).toBe('Running\r\n');
    expect(h.ps("(Get-VM vm-gpu-0*).Count; @(Get-VM -Name 'none*').Count").stdout).toBe('3\r\n0\r\n');
  });

  it('stops, starts and reconfigures VMs, counting restarts', () => {
    const h = testHost();
    const r = h.ps([
      'Stop-VM -Name vm-gpu-01 -TurnOff',
      'Set-VM -Name vm-gpu-01 -AutomaticStopAction TurnOff -GuestControlledCacheTypes $true -LowMemoryMappedIoSpace 1GB -HighMemoryMappedIoSpace 32GB',
      'Get-VM vm-gpu-01 | Start-VM -Passthru | Select-Object -ExpandProperty State',
    ].join('\n'));
    expect(r.stdout).toBe('Running\r\n');
    expect(h.state().hyperv.vms[0]).toMatchObject({ state: 'Running', automaticStopAction: 'TurnOff', guestControlledCacheTypes: true, lowMemoryMappedIoSpace: 2 ** 30, highMemoryMappedIoSpace: 32 * 2 ** 30, starts: 1, stops: 1 });
  });

  it('refuses MMIO changes on a running VM and warns when already in the requested state', () => {
    const h = testHost();
    expect(h.ps('Set-VM -Name vm-gpu-01 -HighMemoryMappedIoSpace 32GB').errors[0]).toContain('cannot be changed while the virtual machine "vm-gpu-01" is in its current state (Running)');
    expect(h.ps('Start-VM -Name vm-gpu-01').warnings).toEqual(["The virtual machine 'vm-gpu-01' is already in the specified state."]);
  });

  it('-WhatIf prints what would happen and changes nothing', () => {
    const h = testHost();
    const r = h.ps('Stop-VM -Name vm-gpu-01 -TurnOff -WhatIf');
    expect(r.stdout).toBe('What if: Performing the operation "Stop-VM" on target "vm-gpu-01".\r\n');
    expect(h.state().hyperv.vms[0]!.state).toBe('Running');
  });

  it('Hyper-V cmdlets are "not recognized" on a host without the role', () => {
    const h = testHost({ hyperv: { enabled: false, gpus: [], vms: [] } });
    expect(h.ps('Get-VM').errors[0]).toContain("The term 'Get-VM' is not recognized");
    expect(h.ps("[bool](Get-Command Get-VM -ErrorAction SilentlyContinue)").stdout).toBe('False\r\n');
  });
});

describe('failover cluster', () => {
  it('sets OfflineAction through the VM resource on a cluster node', () => {
    const h = testHost({ cluster: { name: 'CLU1' } });
    const r = h.ps("$ErrorActionPreference = 'Stop'; Get-ClusterResource -Name 'SCVMM vm-gpu-02 Resource' | Set-ClusterParameter -Name OfflineAction -Value 3; (Get-ClusterGroup 'SCVMM vm-gpu-02' | Get-ClusterResource | Get-ClusterParameter -Name OfflineAction).Value");
    expect(r.errors).toEqual([]);
    expect(r.stdout).toBe('3\r\n');
    expect(h.state().hyperv.vms[1]!.offlineAction).toBe(3);
    expect(h.ps('Get-ClusterResource -Name vm-gpu-02').errors[0]).toBe("Get-ClusterResource : An error occurred opening resource 'vm-gpu-02'. The cluster resource could not be found.");
  });

  it('cluster cmdlets are not recognized on a standalone host', () => {
    expect(testHost().ps('Get-ClusterResource').errors[0]).toContain("The term 'Get-ClusterResource' is not recognized");
  });
});

describe('state file', () => {
  it('is rewritten after a change and left untouched by read-only scripts', async () => {
    const { readFileSync } = await import('node:fs');
    const h = testHost();
    const before = readFileSync(h.config.stateFile, 'utf8');
    h.ps('Get-VM | ConvertTo-Json | Out-Null; Get-VMHostPartitionableGpu | Out-Null');
    expect(readFileSync(h.config.stateFile, 'utf8')).toBe(before);
    h.ps('Stop-VM vm-gpu-01 -TurnOff');
    expect(JSON.parse(readFileSync(h.config.stateFile, 'utf8')).hyperv.vms[0].state).toBe('Off');
  });
});
