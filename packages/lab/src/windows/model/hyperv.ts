// The Hyper-V GPU-P model and its rules (DOMAIN.md): valid partition counts, no re-count while a
// partition is assigned, one partition adapter per VM, VM must be off to add/remove, no free partition,
// VM not found. Errors carry the cmdlet error category/id the real module reports.

import { createHash } from 'node:crypto';
import { CmdletError, errorInfo, type ErrorInfo } from '../ps/errors.js';
import type { AdapterState, GpuState, LabState, VmState } from './state.js';

export const INSUFFICIENT_RESOURCES = 'Insufficient system resources exist to complete the requested service.';
export const ASSIGNED_PARTITIONS = 'The operation cannot be performed on the virtual machine because it is assigned one or more GPUP partitions';

const hvError = (message: string, category: string, errorId: string, target?: string): ErrorInfo =>
  errorInfo(message, category, errorId, 'VirtualizationException', target);

export function vmNotFound(name: string): CmdletError {
  return new CmdletError(hvError(`Hyper-V was unable to find a virtual machine with name "${name}".`, 'InvalidArgument', 'InvalidParameter', name));
}

export function findVm(state: LabState, name: string): VmState {
  const vm = state.hyperv.vms.find((v) => v.name.toLowerCase() === name.toLowerCase());
  if (!vm) throw vmNotFound(name);
  return vm;
}

export function partitionableGpus(state: LabState): GpuState[] {
  return state.hyperv.gpus.filter((g) => g.mode === 'partitionable');
}

/** Adapters bound to a GPU that hold one of its partitions (all of them, or only running VMs'). */
export function holders(state: LabState, gpu: GpuState, countRunningOnly = state.hyperv.reservePartitionsAt === 'start'): { vm: VmState; adapter: AdapterState }[] {
  const out: { vm: VmState; adapter: AdapterState }[] = [];
  for (const vm of state.hyperv.vms) {
    if (countRunningOnly && vm.state !== 'Running') continue;
    for (const adapter of vm.gpuAdapters) if (adapter.instancePath.toLowerCase() === gpu.name.toLowerCase()) out.push({ vm, adapter });
  }
  return out;
}

export interface GpuView {
  perPartition: { vram: number; encode: number; decode: number; compute: number };
  available: { vram: number; encode: number; decode: number; compute: number };
}

/** Per-partition sizes follow from the totals and the count; Available shrinks with each partition in use. */
export function gpuView(state: LabState, gpu: GpuState): GpuView {
  const n = Math.max(1, gpu.partitionCount);
  const per = {
    vram: Math.floor(gpu.totalVRAM / n),
    encode: Math.floor(gpu.totalEncode / n),
    decode: Math.floor(gpu.totalDecode / n),
    compute: Math.floor(gpu.totalCompute / n),
  };
  const used = holders(state, gpu).length;
  return {
    perPartition: per,
    available: {
      vram: Math.max(0, gpu.totalVRAM - per.vram * used),
      encode: Math.max(0, gpu.totalEncode - per.encode * used),
      decode: Math.max(0, gpu.totalDecode - per.decode * used),
      compute: Math.max(0, gpu.totalCompute - per.compute * used),
    },
  };
}

function findGpu(state: LabState, name: string): GpuState {
  const gpu = partitionableGpus(state).find((g) => g.name.toLowerCase() === name.toLowerCase());
  if (!gpu) throw new CmdletError(hvError(`Unable to find a partitionable GPU with name "${name}".`, 'ObjectNotFound', 'ObjectNotFound', name));
  return gpu;
}

export function setPartitionCount(state: LabState, name: string, count: number): void {
  const gpu = findGpu(state, name);
  if (!gpu.validPartitionCounts.includes(count)) {
    throw new CmdletError(hvError(`The partition count ${count} is not valid for the GPU "${gpu.name}". Valid partition counts: ${gpu.validPartitionCounts.join(', ')}.`, 'InvalidArgument', 'InvalidParameter', String(count)));
  }
  if (count === gpu.partitionCount) return;
  if (holders(state, gpu, false).length > 0) throw new CmdletError(hvError(ASSIGNED_PARTITIONS, 'InvalidOperation', 'InvalidOperation', gpu.name));
  gpu.partitionCount = count;
}

export interface AdapterRequest {
  instancePath?: string;
  /** Keys like minPartitionVRAM; absent = not given. */
  resources: Partial<Record<keyof AdapterState, number>>;
}

function nextAdapterId(state: LabState, vm: VmState): string {
  const h = createHash('sha1').update(`${vm.id}:${state.nextId++}`).digest('hex').toUpperCase();
  return `Microsoft:${vm.id.toUpperCase()}\\${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function freePartitionId(state: LabState, gpu: GpuState): number | null {
  const taken = new Set(holders(state, gpu, false).map((h) => h.adapter.partitionId));
  const limit = state.hyperv.reservePartitionsAt === 'assign' ? gpu.partitionCount : Number.MAX_SAFE_INTEGER;
  for (let i = 0; i < limit; i++) if (!taken.has(i)) return i;
  return null;
}

function requireOff(vm: VmState, action: string): void {
  if (vm.state !== 'Off') {
    throw new CmdletError(hvError(`${action} The operation cannot be performed while the virtual machine "${vm.name}" is in its current state (${vm.state}). Turn off the virtual machine first.`, 'InvalidOperation', 'InvalidOperation', vm.name));
  }
}

export function addAdapter(state: LabState, vmName: string, req: AdapterRequest): AdapterState {
  const vm = findVm(state, vmName);
  requireOff(vm, "Failed to add device 'GPU Partition'.");
  if (vm.gpuAdapters.length > 0) {
    throw new CmdletError(hvError(`Failed to add device 'GPU Partition'. The virtual machine "${vm.name}" already has a GPU partition adapter; only one GPU partition adapter is supported per virtual machine.`, 'InvalidOperation', 'InvalidOperation', vm.name));
  }
  const candidates = req.instancePath ? [findGpu(state, req.instancePath)] : partitionableGpus(state);
  if (candidates.length === 0) {
    throw new CmdletError(hvError(`Failed to add device 'GPU Partition'. ${INSUFFICIENT_RESOURCES} (no partitionable GPU on this host)`, 'ResourceUnavailable', 'OutOfResources', vm.name));
  }
  // Without -InstancePath the host places the partition on the GPU with the most free partitions.
  const scored = candidates.map((gpu) => ({ gpu, id: freePartitionId(state, gpu), free: gpu.partitionCount - holders(state, gpu, false).length }))
    .filter((c) => c.id !== null)
    .sort((a, b) => b.free - a.free);
  const pick = scored[0];
  if (!pick) throw new CmdletError(hvError(`Failed to add device 'GPU Partition'. ${INSUFFICIENT_RESOURCES}`, 'ResourceUnavailable', 'OutOfResources', vm.name));
  const r = req.resources;
  const adapter: AdapterState = {
    id: nextAdapterId(state, vm),
    instancePath: pick.gpu.name,
    partitionId: pick.id!,
    minPartitionVRAM: r.minPartitionVRAM ?? null, maxPartitionVRAM: r.maxPartitionVRAM ?? null, optimalPartitionVRAM: r.optimalPartitionVRAM ?? null,
    minPartitionEncode: r.minPartitionEncode ?? null, maxPartitionEncode: r.maxPartitionEncode ?? null, optimalPartitionEncode: r.optimalPartitionEncode ?? null,
    minPartitionDecode: r.minPartitionDecode ?? null, maxPartitionDecode: r.maxPartitionDecode ?? null, optimalPartitionDecode: r.optimalPartitionDecode ?? null,
    minPartitionCompute: r.minPartitionCompute ?? null, maxPartitionCompute: r.maxPartitionCompute ?? null, optimalPartitionCompute: r.optimalPartitionCompute ?? null,
  };
  vm.gpuAdapters.push(adapter);
  return adapter;
}

/** Set-VMGpuPartitionAdapter: changes the requested resources of an off VM's adapter(s). */
export function setAdapters(state: LabState, vmName: string, adapterId: string | undefined, resources: AdapterRequest['resources']): AdapterState[] {
  const vm = findVm(state, vmName);
  const matching = vm.gpuAdapters.filter((a) => adapterId === undefined || a.id.toLowerCase() === adapterId.toLowerCase());
  if (matching.length === 0) {
    throw new CmdletError(hvError('Unable to find a Gpu partition adapter matching the given criteria.', 'ObjectNotFound', 'ObjectNotFound', vm.name));
  }
  requireOff(vm, "Failed to modify device 'GPU Partition'.");
  for (const a of matching) Object.assign(a, resources);
  return matching;
}

export function removeAdapters(state: LabState, vmName: string, adapterId?: string): AdapterState[] {
  const vm = findVm(state, vmName);
  const matching = vm.gpuAdapters.filter((a) => adapterId === undefined || a.id.toLowerCase() === adapterId.toLowerCase());
  if (matching.length === 0) {
    throw new CmdletError(hvError('Unable to find a Gpu partition adapter matching the given criteria.', 'ObjectNotFound', 'ObjectNotFound', vm.name));
  }
  requireOff(vm, "Failed to remove device 'GPU Partition'.");
  vm.gpuAdapters = vm.gpuAdapters.filter((a) => !matching.includes(a));
  return matching;
}

/** Starting a VM powers on its GPU partition, which fails when the GPU has none left for it. */
export function startVm(state: LabState, vm: VmState): void {
  for (const adapter of vm.gpuAdapters) {
    const gpu = partitionableGpus(state).find((g) => g.name.toLowerCase() === adapter.instancePath.toLowerCase());
    const running = gpu ? holders(state, gpu, true).filter((h) => h.vm !== vm).length : 0;
    const fits = gpu && (state.hyperv.reservePartitionsAt === 'start' ? running < gpu.partitionCount : adapter.partitionId < gpu.partitionCount);
    if (!fits) {
      throw new CmdletError(hvError(`'${vm.name}' failed to start. GPU Partition (Instance ID ${adapter.id}): Failed to Power on with Error '${INSUFFICIENT_RESOURCES}'`,
        'ResourceUnavailable', 'OutOfResources', vm.name));
    }
  }
  vm.state = 'Running';
  vm.starts++;
}

export function stopVm(vm: VmState): void {
  vm.state = 'Off';
  vm.stops++;
}
