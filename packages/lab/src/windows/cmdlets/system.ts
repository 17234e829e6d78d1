// Host-level cmdlets: Get-CimInstance / Get-WmiObject (the classes facts need), Start-Process (runs
// programs and installers on the lab disk), Restart-Computer (a real reboot of the lab host: see
// Machine.reboot); services are in services.ts, features in features.ts.

import { lastBootTime } from '../model/boot.js';
import { partitionableGpus } from '../model/hyperv.js';
import { installedWinof2Version } from '../model/winof2.js';
import type { CmdletContext } from '../ps/cmdlet.js';
import { CmdletError, errorInfo } from '../ps/errors.js';
import { enumerate, toStr, type PsObject, type PsValue } from '../ps/values.js';
import { typed, type Cmdlet, type Machine } from './machine.js';
import { runNative } from './natives.js';
import { services } from '../model/services.js';
import { win32Service } from './services.js';

const cmd = (n: string): string => `Microsoft.PowerShell.Commands.${n}Command`;
const GIB = 2 ** 30;

function cimClass(m: Machine, cls: string): PsObject[] | null {
  const s = m.state;
  const cim = (name: string, props: [string, PsValue][]): PsObject => typed(`Microsoft.Management.Infrastructure.CimInstance#root/cimv2/${name}`, props, name);
  switch (cls.toLowerCase()) {
    case 'win32_operatingsystem':
      return [cim('Win32_OperatingSystem', [['Caption', m.facts.osCaption], ['Version', m.facts.osVersion], ['BuildNumber', m.facts.osVersion.split('.')[2] ?? ''],
        ['OSArchitecture', '64-bit'], ['CSName', s.computerName], ['ProductType', 3], ['SystemDirectory', 'C:\\Windows\\system32'],
        ['LastBootUpTime', lastBootTime(s)], ['TotalVisibleMemorySize', 512 * 1024 * 1024]])];
    case 'win32_computersystem':
      return [cim('Win32_ComputerSystem', [['Name', s.computerName], ['Domain', m.facts.domain], ['PartOfDomain', m.facts.domain.toUpperCase() !== 'WORKGROUP'],
        ['Manufacturer', 'fleetplay lab'], ['Model', 'Hyper-V host'], ['TotalPhysicalMemory', 512 * GIB], ['NumberOfLogicalProcessors', 64],
        ['HypervisorPresent', s.hyperv.enabled]])];
    case 'win32_videocontroller':
      return s.hyperv.gpus.filter((g) => g.mode !== 'dda').map((g) => cim('Win32_VideoController', [
        ['Name', g.model], ['PNPDeviceID', g.pnpDeviceId], ['AdapterRAM', 4293918720], ['DriverVersion', g.driverVersion], ['Status', 'OK'],
        ['VideoProcessor', g.model.replace(/^NVIDIA /, '')], ['GpuPartitioningSupported', partitionableGpus(s).includes(g)]]));
    case 'win32_pnpsigneddriver': {
      const v = installedWinof2Version(s);
      return v ? [cim('Win32_PnPSignedDriver', [['DeviceName', 'Mellanox ConnectX-6 Adapter'], ['Manufacturer', 'Mellanox Technologies Ltd.'],
        ['DriverProviderName', 'Mellanox Technologies Ltd.'], ['DriverVersion', v], ['InfName', 'mlx5.inf'], ['DeviceClass', 'NET']])] : [];
    }
    case 'win32_service':
      return services(s).map((x) => cim('Win32_Service', win32Service(x)));
    default:
      return null;
  }
}

function runCim(ctx: CmdletContext<Machine>, cls: string, filter: PsValue, properties: PsValue): void {
  const items = cimClass(ctx.machine, cls);
  if (!items) {
    throw new CmdletError(errorInfo('Invalid class ', 'MetadataError', 'HRESULT 0x80041010', 'CimException', `root\\cimv2:${cls}`), true);
  }
  let out = items;
  if (filter !== undefined) {
    const m = /^\s*(\w+)\s*(=|like)\s*'([^']*)'\s*$/i.exec(toStr(filter));
    if (m) {
      const re = m[2]!.toLowerCase() === 'like' ? new RegExp(`^${m[3]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'i') : null;
      out = out.filter((o) => (re ? re.test(toStr(o.get(m[1]!))) : toStr(o.get(m[1]!)).toLowerCase() === m[3]!.toLowerCase()));
    }
  }
  const wanted = properties !== undefined ? enumerate(properties).map((p) => toStr(p).toLowerCase()) : null;
  for (const o of out) {
    if (wanted) for (const n of o.names()) if (!wanted.includes(n.toLowerCase())) o.set(n, null);
    ctx.write(o);
  }
}

function processObject(id: number, name: string, exitCode: number): PsObject {
  const o = typed('System.Diagnostics.Process', [['Id', id], ['ProcessName', name], ['HasExited', true], ['ExitCode', exitCode], ['StartTime', new Date()]], `System.Diagnostics.Process (${name})`);
  o.methods = { waitforexit: () => true, kill: () => undefined, refresh: () => undefined };
  return o;
}

export const systemCmdlets: Cmdlet[] = [
  {
    name: 'Get-CimInstance', module: 'CimCmdlets', commandType: 'Microsoft.Management.Infrastructure.CimCmdlets.GetCimInstanceCommand', input: 'none',
    params: [{ name: 'ClassName', aliases: ['Class'], type: 'string', position: 0 }, { name: 'Namespace', type: 'string' }, { name: 'Filter', type: 'string' },
      { name: 'Property', type: 'string[]' }, { name: 'ComputerName', type: 'string[]' }, { name: 'Query', type: 'string' }],
    run(ctx, a) {
      const q = a['Query'] !== undefined ? /from\s+(\w+)/i.exec(toStr(a['Query']))?.[1] : undefined;
      runCim(ctx, toStr(a['ClassName'] ?? q ?? ''), a['Filter'], a['Property']);
    },
  },
  {
    name: 'Get-WmiObject', module: 'Microsoft.PowerShell.Management', commandType: cmd('GetWmiObject'), input: 'none',
    params: [{ name: 'Class', type: 'string', position: 0 }, { name: 'Namespace', type: 'string' }, { name: 'Filter', type: 'string' }, { name: 'Property', type: 'string[]', position: 1 }],
    run(ctx, a) {
      runCim(ctx, toStr(a['Class'] ?? ''), a['Filter'], a['Property']);
    },
  },
  {
    name: 'Start-Process', module: 'Microsoft.PowerShell.Management', commandType: cmd('StartProcess'), input: 'none', supportsShouldProcess: true,
    params: [{ name: 'FilePath', aliases: ['PSPath', 'Path'], type: 'string', position: 0, mandatory: true }, { name: 'ArgumentList', aliases: ['Args'], type: 'string[]', position: 1 },
      { name: 'Wait', type: 'switch' }, { name: 'PassThru', type: 'switch' }, { name: 'NoNewWindow', type: 'switch' }, { name: 'WindowStyle', type: 'string' },
      { name: 'Verb', type: 'string' }, { name: 'WorkingDirectory', type: 'string' }, { name: 'RedirectStandardOutput', type: 'string' }, { name: 'RedirectStandardError', type: 'string' }],
    run(ctx, a) {
      const file = toStr(a['FilePath']);
      const args = enumerate(a['ArgumentList'] ?? []).map(toStr);
      if (!ctx.shouldProcess(file, 'Start-Process')) return;
      const r = runNative(ctx.machine, [file, ...args], '', true);
      if (!r) {
        throw new CmdletError(errorInfo('This command cannot be run due to the error: The system cannot find the file specified.', 'InvalidOperation',
          'InvalidOperationException', 'InvalidOperationException'), true);
      }
      ctx.sleep(r.delayMs ?? 0);
      if (a['RedirectStandardOutput'] !== undefined) ctx.machine.fs.write(toStr(a['RedirectStandardOutput']), Buffer.from(r.stdout, 'utf8'));
      if (a['PassThru']) ctx.write(processObject(4000 + ctx.machine.state.installs.length, file.replace(/^.*\\/, '').replace(/\.exe$/i, ''), r.exitCode));
    },
  },
  {
    name: 'Restart-Computer', module: 'Microsoft.PowerShell.Management', commandType: cmd('RestartComputer'), input: 'none', supportsShouldProcess: true,
    params: [{ name: 'ComputerName', type: 'string[]', position: 0 }, { name: 'Force', type: 'switch' }, { name: 'Wait', type: 'switch' }, { name: 'Timeout', type: 'int' }],
    run(ctx) {
      if (!ctx.shouldProcess(ctx.machine.state.computerName, 'Restart-Computer')) return;
      ctx.machine.reboot();
    },
  },
];
