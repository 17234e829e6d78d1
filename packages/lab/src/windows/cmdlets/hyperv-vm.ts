// Hyper-V VM cmdlets: Get-VM, Start-VM, Stop-VM, Set-VM. Per-VM problems are non-terminating
// errors (the real module's behaviour), so one bad name does not stop the others.

import { findVm, startVm, stopVm, vmNotFound } from '../model/hyperv.js';
import type { VmState } from '../model/state.js';
import type { CmdletContext, ParamSpec } from '../ps/cmdlet.js';
import { CmdletError, errorInfo } from '../ps/errors.js';
import { hasWildcard, wildcardToRegExp } from '../ps/operators.js';
import { enumerate, PsObject, toBool, toNumber, toStr, type PsValue } from '../ps/values.js';
import { vmObject } from './hyperv-objects.js';
import { typed, type Cmdlet, type Machine } from './machine.js';

export const HYPERV = 'Hyper-V';
export const hvCommand = (n: string): string => `Microsoft.HyperV.PowerShell.Commands.${n}`;
export const hypervAvailable = (m: Machine): boolean => m.state.hyperv.enabled;

export const VM_TARGET: ParamSpec[] = [
  { name: 'Name', aliases: ['VMName'], type: 'string[]', position: 0, pipeline: { byPropertyName: true } },
  { name: 'VM', type: 'any[]', pipeline: { byValue: true }, acceptsTypes: ['VirtualMachine'] },
  { name: 'ComputerName', type: 'string[]' },
  { name: 'Passthru', aliases: ['PassThru'], type: 'switch' },
];

/** The VMs named by -Name (wildcards allowed) or passed as -VM objects; unknown names are reported. */
export function targetVms(ctx: CmdletContext<Machine>, a: Record<string, PsValue>, nameParam = 'Name'): VmState[] {
  const out: VmState[] = [];
  const vms = ctx.machine.state.hyperv.vms;
  for (const v of enumerate(a['VM'] ?? [])) {
    const name = v instanceof PsObject ? toStr(v.get('Name')) : toStr(v);
    const vm = vms.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (vm) out.push(vm);
    else ctx.writeError(vmNotFound(name).info);
  }
  for (const n of enumerate(a[nameParam] ?? []).map(toStr)) {
    if (hasWildcard(n)) out.push(...vms.filter((v) => wildcardToRegExp(n).test(v.name)));
    else {
      try {
        out.push(findVm(ctx.machine.state, n));
      } catch (e) {
        if (e instanceof CmdletError) ctx.writeError(e.info);
        else throw e;
      }
    }
  }
  return out;
}

/** Runs `fn` per VM; a CmdletError becomes that VM's non-terminating error. */
export function eachVm(ctx: CmdletContext<Machine>, vms: VmState[], fn: (vm: VmState) => void): void {
  for (const vm of vms) {
    try {
      fn(vm);
    } catch (e) {
      if (e instanceof CmdletError && !e.terminating) ctx.writeError(e.info);
      else throw e;
    }
  }
}

/** Lab wording: the real texts vary by state; the message names the VM and its state. */
function stateError(vm: VmState, verb: string): CmdletError {
  return new CmdletError(errorInfo(`Unable to ${verb} the virtual machine '${vm.name}': the operation cannot be performed while the virtual machine is in its current state (${vm.state}).`,
    'InvalidOperation', 'InvalidOperation', 'VirtualizationException', vm.name));
}

/** What -AsJob writes: a job the caller may wait on (the lab has no Wait-Job; poll Get-VM instead). */
function shutdownJob(vm: VmState): PsValue {
  return typed('Microsoft.HyperV.PowerShell.VMJob', [['Name', `Stop-VM ${vm.name}`], ['State', vm.state === 'Off' ? 'Completed' : 'Running'], ['Location', 'localhost']]);
}

function alreadyInState(ctx: CmdletContext<Machine>, vm: VmState): void {
  ctx.writeWarning(`The virtual machine '${vm.name}' is already in the specified state.`);
}

const requireOffFor = (vm: VmState, what: string): void => {
  if (vm.state !== 'Off') {
    throw new CmdletError(errorInfo(`Failed to modify the virtual machine settings: ${what} cannot be changed while the virtual machine "${vm.name}" is in its current state (${vm.state}). Turn off the virtual machine first.`,
      'InvalidOperation', 'InvalidOperation', 'VirtualizationException', vm.name));
  }
};

export const vmCmdlets: Cmdlet[] = [
  {
    name: 'Get-VM', module: HYPERV, commandType: hvCommand('GetVM'), input: 'none', available: hypervAvailable,
    params: [{ name: 'Name', aliases: ['VMName'], type: 'string[]', position: 0 }, { name: 'Id', type: 'string' }, { name: 'ComputerName', type: 'string[]' }],
    run(ctx, a) {
      const all = ctx.machine.state.hyperv.vms;
      const vms = a['Id'] !== undefined ? all.filter((v) => v.id === toStr(a['Id']).toLowerCase()) : a['Name'] === undefined ? all : targetVms(ctx, a);
      for (const vm of vms) ctx.write(vmObject(ctx.machine, vm));
    },
  },
  {
    name: 'Start-VM', module: HYPERV, commandType: hvCommand('StartVM'), input: 'each', available: hypervAvailable, supportsShouldProcess: true,
    params: [...VM_TARGET, { name: 'AsJob', type: 'switch' }],
    run(ctx, a) {
      eachVm(ctx, targetVms(ctx, a), (vm) => {
        if (vm.state === 'Running') return alreadyInState(ctx, vm);
        if (!ctx.shouldProcess(vm.name, 'Start-VM')) return;
        startVm(ctx.machine.state, vm);
        if (a['Passthru']) ctx.write(vmObject(ctx.machine, vm));
      });
    },
  },
  {
    name: 'Stop-VM', module: HYPERV, commandType: hvCommand('StopVM'), input: 'each', available: hypervAvailable, supportsShouldProcess: true,
    params: [...VM_TARGET, { name: 'Force', type: 'switch' }, { name: 'TurnOff', type: 'switch' }, { name: 'Save', type: 'switch' }, { name: 'AsJob', type: 'switch' }],
    run(ctx, a) {
      eachVm(ctx, targetVms(ctx, a), (vm) => {
        const target = a['Save'] ? 'Saved' : 'Off';
        if (vm.state === target) return alreadyInState(ctx, vm);
        if (!ctx.shouldProcess(vm.name, 'Stop-VM')) return;
        if (a['TurnOff']) {
          // Turning off discards a saved state or a paused guest's memory, like pulling the plug.
          stopVm(vm);
        } else if (a['Save']) {
          if (vm.state !== 'Running') throw stateError(vm, 'save');
          vm.state = 'Saved';
          vm.stops++;
        } else {
          // A graceful shutdown asks the guest through the shutdown integration service.
          if (vm.state !== 'Running') throw stateError(vm, 'shut down');
          if (vm.ignoresShutdown) {
            // -AsJob returns at once (the request stays pending); without it the cmdlet gives up.
            if (a['AsJob']) return void ctx.write(shutdownJob(vm));
            throw new CmdletError(errorInfo(`Failed to shut down the virtual machine '${vm.name}': the guest did not respond to the shutdown request. Use -TurnOff to turn it off.`,
              'OperationTimeout', 'OperationTimeout', 'VirtualizationException', vm.name));
          }
          stopVm(vm);
          if (a['AsJob']) return void ctx.write(shutdownJob(vm));
        }
        if (a['Passthru']) ctx.write(vmObject(ctx.machine, vm));
      });
    },
  },
  {
    name: 'Remove-VMSavedState', module: HYPERV, commandType: hvCommand('RemoveVMSavedState'), input: 'each', available: hypervAvailable, supportsShouldProcess: true,
    params: VM_TARGET,
    run(ctx, a) {
      eachVm(ctx, targetVms(ctx, a), (vm) => {
        if (vm.state !== 'Saved') throw stateError(vm, 'delete the saved state of');
        if (ctx.shouldProcess(vm.name, 'Remove-VMSavedState')) vm.state = 'Off';
      });
    },
  },
  {
    name: 'Set-VM', module: HYPERV, commandType: hvCommand('SetVM'), input: 'each', available: hypervAvailable, supportsShouldProcess: true,
    params: [
      ...VM_TARGET,
      { name: 'AutomaticStopAction', type: 'string', validateSet: ['TurnOff', 'Save', 'ShutDown'] },
      { name: 'AutomaticStartAction', type: 'string', validateSet: ['Nothing', 'StartIfRunning', 'Start'] },
      { name: 'GuestControlledCacheTypes', type: 'bool' },
      { name: 'LowMemoryMappedIoSpace', type: 'uint64', dotnetType: 'System.UInt32' },
      { name: 'HighMemoryMappedIoSpace', type: 'uint64' },
      { name: 'ProcessorCount', type: 'long' },
      { name: 'MemoryStartupBytes', type: 'long' },
      { name: 'DynamicMemory', type: 'switch' },
      { name: 'StaticMemory', type: 'switch' },
      { name: 'Notes', type: 'string' },
    ],
    run(ctx, a) {
      eachVm(ctx, targetVms(ctx, a), (vm) => {
        if (!ctx.shouldProcess(vm.name, 'Set-VM')) return;
        if (a['GuestControlledCacheTypes'] !== undefined) {
          requireOffFor(vm, 'GuestControlledCacheTypes');
          vm.guestControlledCacheTypes = toBool(a['GuestControlledCacheTypes']);
        }
        if (a['LowMemoryMappedIoSpace'] !== undefined) {
          requireOffFor(vm, 'LowMemoryMappedIoSpace');
          vm.lowMemoryMappedIoSpace = toNumber(a['LowMemoryMappedIoSpace']);
        }
        if (a['HighMemoryMappedIoSpace'] !== undefined) {
          requireOffFor(vm, 'HighMemoryMappedIoSpace');
          vm.highMemoryMappedIoSpace = toNumber(a['HighMemoryMappedIoSpace']);
        }
        if (a['ProcessorCount'] !== undefined) {
          requireOffFor(vm, 'ProcessorCount');
          vm.processorCount = toNumber(a['ProcessorCount']);
        }
        if (a['MemoryStartupBytes'] !== undefined) {
          requireOffFor(vm, 'MemoryStartupBytes');
          vm.memoryStartup = toNumber(a['MemoryStartupBytes']);
        }
        if (a['DynamicMemory'] || a['StaticMemory']) {
          requireOffFor(vm, 'DynamicMemoryEnabled');
          vm.dynamicMemory = !!a['DynamicMemory'];
        }
        if (a['AutomaticStopAction'] !== undefined) {
          const wanted = toStr(a['AutomaticStopAction']).toLowerCase();
          vm.automaticStopAction = wanted === 'turnoff' ? 'TurnOff' : wanted === 'save' ? 'Save' : 'ShutDown';
        }
        if (a['Passthru']) ctx.write(vmObject(ctx.machine, vm));
      });
    },
  },
];
