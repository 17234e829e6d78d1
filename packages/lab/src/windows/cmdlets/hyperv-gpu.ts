// GPU partitioning cmdlets: Get/Set-VMHostPartitionableGpu (and the older Get/Set-VMPartitionableGpu
// names), Get/Add/Remove-VMGpuPartitionAdapter, Get-VMHostAssignableDevice.

import { addAdapter, partitionableGpus, removeAdapters, setAdapters, setPartitionCount, type AdapterRequest } from '../model/hyperv.js';
import type { AdapterState } from '../model/state.js';
import type { ParamSpec } from '../ps/cmdlet.js';
import { CmdletError, errorInfo } from '../ps/errors.js';
import { hasWildcard, wildcardToRegExp } from '../ps/operators.js';
import { enumerate, PsObject, toNumber, toStr } from '../ps/values.js';
import { adapterObject, gpuObject } from './hyperv-objects.js';
import { eachVm, HYPERV, hvCommand, hypervAvailable, targetVms } from './hyperv-vm.js';
import { typed, type Cmdlet } from './machine.js';

const RESOURCE_PARAMS = ['VRAM', 'Encode', 'Decode', 'Compute'].flatMap((r) => ['Min', 'Max', 'Optimal'].map((k) => `${k}Partition${r}`));

function resourceArgs(a: Record<string, unknown>): AdapterRequest['resources'] {
  const resources: AdapterRequest['resources'] = {};
  for (const n of RESOURCE_PARAMS) {
    if (a[n] !== undefined) resources[(n[0]!.toLowerCase() + n.slice(1)) as keyof AdapterState] = toNumber(a[n] as never);
  }
  return resources;
}

const ADAPTER_TARGET: ParamSpec[] = [
  { name: 'VMName', aliases: ['Name'], type: 'string[]', position: 0, pipeline: { byPropertyName: true } },
  { name: 'VM', type: 'any[]', pipeline: { byValue: true }, acceptsTypes: ['VirtualMachine'] },
  { name: 'ComputerName', type: 'string[]' },
  { name: 'Passthru', aliases: ['PassThru'], type: 'switch' },
];

function getGpus(name: string): Cmdlet {
  return {
    name, module: HYPERV, commandType: hvCommand(name.replace(/-/g, '')), input: 'none', available: hypervAvailable,
    params: [{ name: 'Name', type: 'string[]', position: 0 }, { name: 'ComputerName', type: 'string[]' }],
    run(ctx, a) {
      const names = a['Name'] !== undefined ? enumerate(a['Name']).map(toStr) : null;
      for (const gpu of partitionableGpus(ctx.machine.state)) {
        if (names && !names.some((n) => (hasWildcard(n) ? wildcardToRegExp(n).test(gpu.name) : n.toLowerCase() === gpu.name.toLowerCase()))) continue;
        ctx.write(gpuObject(ctx.machine, gpu));
      }
    },
  };
}

function setGpus(name: string): Cmdlet {
  return {
    name, module: HYPERV, commandType: hvCommand(name.replace(/-/g, '')), input: 'each', available: hypervAvailable, supportsShouldProcess: true,
    params: [
      { name: 'Name', type: 'string[]', position: 0 },
      { name: 'HostPartitionableGpu', type: 'any[]', pipeline: { byValue: true }, acceptsTypes: ['VMHostPartitionableGpu'] },
      { name: 'PartitionCount', type: 'uint16' },
      { name: 'ComputerName', type: 'string[]' },
      { name: 'Passthru', aliases: ['PassThru'], type: 'switch' },
    ],
    run(ctx, a) {
      const names = [
        ...enumerate(a['Name'] ?? []).map(toStr),
        ...enumerate(a['HostPartitionableGpu'] ?? []).map((g) => (g instanceof PsObject ? toStr(g.get('Name')) : toStr(g))),
      ];
      if (names.length === 0) {
        throw new CmdletError(errorInfo('Cannot process command because of one or more missing mandatory parameters: Name.', 'InvalidArgument', 'MissingMandatoryParameter', 'ParameterBindingException'), true);
      }
      for (const n of names) {
        try {
          if (a['PartitionCount'] !== undefined && ctx.shouldProcess(n, name)) setPartitionCount(ctx.machine.state, n, toNumber(a['PartitionCount']));
          const gpu = partitionableGpus(ctx.machine.state).find((g) => g.name.toLowerCase() === n.toLowerCase());
          if (a['Passthru'] && gpu) ctx.write(gpuObject(ctx.machine, gpu));
        } catch (e) {
          if (e instanceof CmdletError && !e.terminating) ctx.writeError(e.info);
          else throw e;
        }
      }
    },
  };
}

export const gpuCmdlets: Cmdlet[] = [
  getGpus('Get-VMHostPartitionableGpu'),
  getGpus('Get-VMPartitionableGpu'),
  setGpus('Set-VMHostPartitionableGpu'),
  setGpus('Set-VMPartitionableGpu'),
  {
    name: 'Get-VMGpuPartitionAdapter', module: HYPERV, commandType: hvCommand('GetVMGpuPartitionAdapter'), input: 'each', available: hypervAvailable,
    params: [...ADAPTER_TARGET, { name: 'AdapterId', type: 'string' }],
    run(ctx, a) {
      for (const vm of targetVms(ctx, a, 'VMName')) {
        for (const adapter of vm.gpuAdapters) {
          if (a['AdapterId'] !== undefined && adapter.id.toLowerCase() !== toStr(a['AdapterId']).toLowerCase()) continue;
          ctx.write(adapterObject(ctx.machine, vm, adapter));
        }
      }
    },
  },
  {
    name: 'Add-VMGpuPartitionAdapter', module: HYPERV, commandType: hvCommand('AddVMGpuPartitionAdapter'), input: 'each', available: hypervAvailable, supportsShouldProcess: true,
    params: [...ADAPTER_TARGET, { name: 'InstancePath', type: 'string' }, ...RESOURCE_PARAMS.map((n) => ({ name: n, type: 'uint64' as const }))],
    run(ctx, a) {
      const resources: AdapterRequest['resources'] = {};
      for (const n of RESOURCE_PARAMS) {
        if (a[n] !== undefined) resources[(n[0]!.toLowerCase() + n.slice(1)) as keyof AdapterState] = toNumber(a[n]);
      }
      eachVm(ctx, targetVms(ctx, a, 'VMName'), (vm) => {
        if (!ctx.shouldProcess(vm.name, 'Add-VMGpuPartitionAdapter')) return;
        const adapter = addAdapter(ctx.machine.state, vm.name, { instancePath: a['InstancePath'] !== undefined ? toStr(a['InstancePath']) : undefined, resources });
        if (a['Passthru']) ctx.write(adapterObject(ctx.machine, vm, adapter));
      });
    },
  },
  {
    name: 'Set-VMGpuPartitionAdapter', module: HYPERV, commandType: hvCommand('SetVMGpuPartitionAdapter'), input: 'each', available: hypervAvailable, supportsShouldProcess: true,
    params: [...ADAPTER_TARGET, { name: 'AdapterId', type: 'string' }, ...RESOURCE_PARAMS.map((n) => ({ name: n, type: 'uint64' as const }))],
    run(ctx, a) {
      const resources = resourceArgs(a);
      eachVm(ctx, targetVms(ctx, a, 'VMName'), (vm) => {
        if (!ctx.shouldProcess(vm.name, 'Set-VMGpuPartitionAdapter')) return;
        const changed = setAdapters(ctx.machine.state, vm.name, a['AdapterId'] !== undefined ? toStr(a['AdapterId']) : undefined, resources);
        if (a['Passthru']) for (const c of changed) ctx.write(adapterObject(ctx.machine, vm, c));
      });
    },
  },
  {
    name: 'Remove-VMGpuPartitionAdapter', module: HYPERV, commandType: hvCommand('RemoveVMGpuPartitionAdapter'), input: 'each', available: hypervAvailable, supportsShouldProcess: true,
    params: [...ADAPTER_TARGET, { name: 'AdapterId', type: 'string' },
      { name: 'VMGpuPartitionAdapter', type: 'any[]', pipeline: { byValue: true }, acceptsTypes: ['VMGpuPartitionAdapter'] }],
    run(ctx, a) {
      const fromObjects = enumerate(a['VMGpuPartitionAdapter'] ?? []).filter((x): x is PsObject => x instanceof PsObject);
      if (fromObjects.length) {
        for (const o of fromObjects) {
          eachVm(ctx, targetVms(ctx, { VMName: [o.get('VMName')] }, 'VMName'), (vm) => {
            if (ctx.shouldProcess(vm.name, 'Remove-VMGpuPartitionAdapter')) removeAdapters(ctx.machine.state, vm.name, toStr(o.get('Id')));
          });
        }
        return;
      }
      eachVm(ctx, targetVms(ctx, a, 'VMName'), (vm) => {
        if (!ctx.shouldProcess(vm.name, 'Remove-VMGpuPartitionAdapter')) return;
        const removed = removeAdapters(ctx.machine.state, vm.name, a['AdapterId'] !== undefined ? toStr(a['AdapterId']) : undefined);
        if (a['Passthru']) for (const r of removed) ctx.write(adapterObject(ctx.machine, vm, r));
      });
    },
  },
  {
    name: 'Get-VMHostAssignableDevice', module: HYPERV, commandType: hvCommand('GetVMHostAssignableDevice'), input: 'none', available: hypervAvailable,
    params: [{ name: 'InstancePath', type: 'string[]' }, { name: 'LocationPath', type: 'string[]' }, { name: 'ComputerName', type: 'string[]' }],
    run(ctx) {
      for (const gpu of ctx.machine.state.hyperv.gpus.filter((g) => g.mode === 'dda')) {
        ctx.write(typed('Microsoft.HyperV.PowerShell.VMHostAssignableDevice', [
          ['Name', gpu.model], ['InstanceID', gpu.pnpDeviceId], ['LocationPath', `PCIROOT(0)#PCI(0300)#PCI(0000)`], ['ComputerName', ctx.machine.state.computerName],
        ]));
      }
    },
  },
];
