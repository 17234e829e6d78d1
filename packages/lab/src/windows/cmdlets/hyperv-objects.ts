// The objects the Hyper-V cmdlets output, with the real property names and order (a documented
// subset of each type's properties; see POWERSHELL.md) so ConvertTo-Json gives modules what a real
// host would.

import { createHash } from 'node:crypto';
import { gpuView } from '../model/hyperv.js';
import type { AdapterState, GpuState, VmState } from '../model/state.js';
import { PsEnum, type PsObject, type PsValue } from '../ps/values.js';
import { stopActionEnum, typed, vmStateEnum, type Machine } from './machine.js';

const NS = 'Microsoft.HyperV.PowerShell';

function cimSession(m: Machine): PsObject {
  return typed('Microsoft.Management.Infrastructure.CimSession', [['ComputerName', null], ['InstanceId', m.state.env.COMPUTERNAME ?? '']], 'CimSession: .');
}

export function vmObject(m: Machine, vm: VmState): PsObject {
  const running = vm.state === 'Running';
  return typed(`${NS}.VirtualMachine`, [
    ['Name', vm.name],
    ['Id', vm.id],
    ['VMName', vm.name],
    ['VMId', vm.id],
    ['State', vmStateEnum(vm.state)],
    ['Status', 'Operating normally'],
    ['Generation', vm.generation],
    ['Version', '12.0'],
    ['ProcessorCount', vm.processorCount],
    ['MemoryStartup', vm.memoryStartup],
    ['MemoryAssigned', running ? vm.memoryStartup : 0],
    ['DynamicMemoryEnabled', vm.dynamicMemory],
    ['AutomaticStartAction', new PsEnum(`${NS}.StartAction`, 'StartIfRunning', 3)],
    ['AutomaticStopAction', stopActionEnum(vm.automaticStopAction)],
    ['GuestControlledCacheTypes', vm.guestControlledCacheTypes],
    ['LowMemoryMappedIoSpace', vm.lowMemoryMappedIoSpace],
    ['HighMemoryMappedIoSpace', vm.highMemoryMappedIoSpace],
    ['IsClustered', vm.clustered],
    ['Path', 'C:\\ProgramData\\Microsoft\\Windows\\Hyper-V'],
    ['ComputerName', m.state.computerName],
    ['IsDeleted', false],
  ], `VirtualMachine (Name = '${vm.name}') [Id = '${vm.id}']`);
}

export function gpuObject(m: Machine, gpu: GpuState): PsObject {
  const v = gpuView(m.state, gpu);
  const props: [string, PsValue][] = [['Name', gpu.name], ['ValidPartitionCounts', [...gpu.validPartitionCounts]], ['PartitionCount', gpu.partitionCount]];
  const res = [['VRAM', 'vram', gpu.totalVRAM], ['Encode', 'encode', gpu.totalEncode], ['Decode', 'decode', gpu.totalDecode], ['Compute', 'compute', gpu.totalCompute]] as const;
  for (const [label, key, total] of res) {
    props.push([`Total${label}`, total], [`Available${label}`, v.available[key]], [`MinPartition${label}`, v.perPartition[key]],
      [`MaxPartition${label}`, v.perPartition[key]], [`OptimalPartition${label}`, v.perPartition[key]]);
  }
  props.push(['CimSession', cimSession(m)], ['ComputerName', m.state.computerName], ['IsDeleted', false]);
  return typed(`${NS}.VMHostPartitionableGpu`, props, `${NS}.VMHostPartitionableGpu`);
}

/**
 * The LUID of a running partition's virtual function; null while the VM is off. The WMI class
 * (Msvm_GpuPartition.PartitionVfLuid) types it as a string: "<HighPart>-<LowPart>" in hex.
 */
function vfLuid(vm: VmState, a: AdapterState): string | null {
  if (vm.state !== 'Running') return null;
  const h = createHash('sha1').update(a.id).digest('hex');
  return `${parseInt(h.slice(0, 2), 16).toString(16)}-${parseInt(h.slice(2, 10), 16).toString(16)}`;
}

const gpuOf = (m: Machine, a: AdapterState): GpuState | undefined => m.state.hyperv.gpus.find((g) => g.name.toLowerCase() === a.instancePath.toLowerCase());

export function adapterObject(m: Machine, vm: VmState, a: AdapterState): PsObject {
  return typed(`${NS}.VMGpuPartitionAdapter`, [
    ['MinPartitionVRAM', a.minPartitionVRAM], ['MaxPartitionVRAM', a.maxPartitionVRAM], ['OptimalPartitionVRAM', a.optimalPartitionVRAM],
    ['MinPartitionEncode', a.minPartitionEncode], ['MaxPartitionEncode', a.maxPartitionEncode], ['OptimalPartitionEncode', a.optimalPartitionEncode],
    ['MinPartitionDecode', a.minPartitionDecode], ['MaxPartitionDecode', a.maxPartitionDecode], ['OptimalPartitionDecode', a.optimalPartitionDecode],
    ['MinPartitionCompute', a.minPartitionCompute], ['MaxPartitionCompute', a.maxPartitionCompute], ['OptimalPartitionCompute', a.optimalPartitionCompute],
    ['Name', 'GPU Partition Settings'],
    ['Id', a.id],
    ['VMId', vm.id],
    ['VMName', vm.name],
    ['VMSnapshotId', '00000000-0000-0000-0000-000000000000'],
    ['VMSnapshotName', ''],
    ['InstancePath', a.instancePath],
    ['PartitionId', a.partitionId],
    ['PartitionVfLuid', vfLuid(vm, a)],
    ['SupportsOutgoingLiveMigration', gpuOf(m, a)?.supportsLiveMigration ?? false],
    ['CimSession', cimSession(m)],
    ['ComputerName', m.state.computerName],
    ['IsDeleted', false],
  ], `${NS}.VMGpuPartitionAdapter`);
}
