// Failover clustering cmdlets, present only when the host is configured as a cluster node (otherwise
// the FailoverClusters module is absent and the names are "not recognized", as on a standalone host).
// Each clustered VM is a group (role) holding a resource of type "Virtual Machine"; their names are
// whatever made the VM highly available chose (System Center: "SCVMM <vm>", "SCVMM <vm> Resource"),
// so a client must find them from the VM (Get-ClusterGroup -VMId), never from the VM's name.

import type { VmState } from '../model/state.js';
import { errorInfo } from '../ps/errors.js';
import { enumerate, PsEnum, PsObject, toNumber, toStr, type PsValue } from '../ps/values.js';
import type { CmdletContext } from '../ps/cmdlet.js';
import { typed, type Cmdlet, type Machine } from './machine.js';

const MODULE = 'FailoverClusters';
const cmd = (n: string): string => `Microsoft.FailoverClusters.PowerShell.${n}Command`;
const available = (m: Machine): boolean => m.state.cluster !== null;
const RESOURCE_TYPE = 'Microsoft.FailoverClusters.PowerShell.ClusterResource';
const GROUP_TYPE = 'Microsoft.FailoverClusters.PowerShell.ClusterGroup';

const resourceName = (vm: VmState): string => vm.clusterResource;

function resourceObject(m: Machine, vm: VmState): PsObject {
  return typed(RESOURCE_TYPE, [
    ['Name', resourceName(vm)],
    ['State', new PsEnum('Microsoft.FailoverClusters.PowerShell.ClusterResourceState', vm.state === 'Running' ? 'Online' : 'Offline', vm.state === 'Running' ? 2 : 3)],
    ['OwnerGroup', vm.clusterGroup],
    ['ResourceType', typed('Microsoft.FailoverClusters.PowerShell.ClusterResourceType', [['Name', 'Virtual Machine'], ['DisplayName', 'Virtual Machine']], 'Virtual Machine')],
    ['OwnerNode', m.state.computerName],
    ['Cluster', m.state.cluster?.name ?? ''],
    ['Id', vm.id],
  ], resourceName(vm));
}

function groupObject(m: Machine, vm: VmState): PsObject {
  return typed(GROUP_TYPE, [
    ['Name', vm.clusterGroup],
    ['OwnerNode', m.state.computerName],
    ['State', new PsEnum('Microsoft.FailoverClusters.PowerShell.ClusterGroupState', vm.state === 'Running' ? 'Online' : 'Offline', vm.state === 'Running' ? 0 : 1)],
    ['GroupType', 'VirtualMachine'],
    ['Cluster', m.state.cluster?.name ?? ''],
  ], vm.clusterGroup);
}

const clustered = (m: Machine): VmState[] => m.state.hyperv.vms.filter((v) => v.clustered);

function resourcesFor(ctx: CmdletContext<Machine>, a: Record<string, PsValue>): VmState[] {
  const vms = clustered(ctx.machine);
  const out: VmState[] = [];
  for (const o of enumerate(a['InputObject'] ?? [])) {
    const group = o instanceof PsObject ? toStr(o.get(o.typeName === GROUP_TYPE ? 'Name' : 'OwnerGroup')) : toStr(o);
    out.push(...vms.filter((v) => v.clusterGroup.toLowerCase() === group.toLowerCase()));
  }
  for (const n of enumerate(a['Name'] ?? []).map(toStr)) {
    const vm = vms.find((v) => resourceName(v).toLowerCase() === n.toLowerCase());
    if (vm) out.push(vm);
    else {
      ctx.writeError(errorInfo(`An error occurred opening resource '${n}'. The cluster resource could not be found.`, 'ObjectNotFound',
        'ClusterCmdletNonTerminatingException', 'ClusterCmdletException', n));
    }
  }
  if (a['InputObject'] === undefined && a['Name'] === undefined) out.push(...vms);
  return out;
}

const OFFLINE_ACTION = 'OfflineAction';

export const clusterCmdlets: Cmdlet[] = [
  {
    name: 'Get-ClusterResource', module: MODULE, commandType: cmd('GetClusterResource'), input: 'each', available,
    params: [{ name: 'Name', type: 'string[]', position: 0 }, { name: 'InputObject', type: 'any', pipeline: { byValue: true } }, { name: 'Cluster', type: 'string' }],
    run(ctx, a) {
      for (const vm of resourcesFor(ctx, a)) ctx.write(resourceObject(ctx.machine, vm));
    },
  },
  {
    name: 'Get-ClusterGroup', module: MODULE, commandType: cmd('GetClusterGroup'), input: 'none', available,
    params: [{ name: 'Name', type: 'string[]', position: 0 }, { name: 'VMId', type: 'string' }, { name: 'Cluster', type: 'string' }],
    run(ctx, a) {
      const vms = clustered(ctx.machine);
      if (a['VMId'] !== undefined) {
        const id = toStr(a['VMId']).toLowerCase();
        const vm = vms.find((v) => v.id === id);
        if (vm) ctx.write(groupObject(ctx.machine, vm));
        else ctx.writeError(errorInfo(`An error occurred looking up the clustered role of the virtual machine with ID '${id}'. The group could not be found.`, 'ObjectNotFound', 'ClusterCmdletNonTerminatingException', 'ClusterCmdletException', id));
        return;
      }
      if (a['Name'] === undefined) return vms.forEach((v) => ctx.write(groupObject(ctx.machine, v)));
      for (const n of enumerate(a['Name']).map(toStr)) {
        const vm = vms.find((v) => v.clusterGroup.toLowerCase() === n.toLowerCase());
        if (vm) ctx.write(groupObject(ctx.machine, vm));
        else ctx.writeError(errorInfo(`An error occurred opening cluster group '${n}'. The group could not be found.`, 'ObjectNotFound', 'ClusterCmdletNonTerminatingException', 'ClusterCmdletException', n));
      }
    },
  },
  {
    name: 'Get-ClusterParameter', module: MODULE, commandType: cmd('GetClusterParameter'), input: 'each', available,
    params: [{ name: 'Name', type: 'string[]', position: 0 }, { name: 'InputObject', type: 'any', pipeline: { byValue: true } }],
    run(ctx, a) {
      const targets = a['InputObject'] !== undefined ? resourcesFor(ctx, { InputObject: a['InputObject'] }) : clustered(ctx.machine);
      for (const vm of targets) {
        const params: [string, PsValue][] = [[OFFLINE_ACTION, vm.offlineAction], ['VmID', vm.id], ['ShutdownAction', 0], ['CheckHeartbeat', 1]];
        const wanted = a['Name'] !== undefined ? enumerate(a['Name']).map((n) => toStr(n).toLowerCase()) : null;
        for (const [n, v] of params) {
          if (wanted && !wanted.includes(n.toLowerCase())) continue;
          ctx.write(typed('Microsoft.FailoverClusters.PowerShell.ClusterParameter', [
            ['ClusterObject', resourceName(vm)], ['Name', n], ['IsReadOnly', n === 'VmID'], ['ParameterType', typeof v === 'number' ? 'UInt32' : 'String'], ['Value', v],
          ]));
        }
      }
    },
  },
  {
    name: 'Set-ClusterParameter', module: MODULE, commandType: cmd('SetClusterParameter'), input: 'each', available,
    params: [{ name: 'Name', type: 'string', position: 0 }, { name: 'Value', type: 'any', position: 1 }, { name: 'InputObject', type: 'any', pipeline: { byValue: true } },
      { name: 'Create', type: 'switch' }, { name: 'Delete', type: 'switch' }, { name: 'Multiple', type: 'hashtable' }],
    run(ctx, a) {
      if (a['InputObject'] === undefined) {
        ctx.writeError(errorInfo('Set-ClusterParameter needs the cluster object: pipe a resource into it (Get-ClusterResource -Name <name> | Set-ClusterParameter ...).', 'InvalidArgument', 'InvalidParameter', 'ClusterCmdletException'));
        return;
      }
      // -Name is the parameter's name here, not a resource's.
      for (const vm of resourcesFor(ctx, { InputObject: a['InputObject'] })) {
        const name = toStr(a['Name']);
        if (name.toLowerCase() !== OFFLINE_ACTION.toLowerCase()) {
          ctx.writeError(errorInfo(`Unable to set the parameter '${name}' on the resource '${resourceName(vm)}': the lab models only ${OFFLINE_ACTION}.`, 'NotImplemented', 'ClusterCmdletNonTerminatingException', 'ClusterCmdletException', name));
          continue;
        }
        vm.offlineAction = toNumber(a['Value']);
      }
    },
  },
];
