// Service cmdlets over the lab's Service Control Manager model: Get-Service, Set-Service,
// Start-Service, Stop-Service, Restart-Service (ServiceController objects and 5.1's messages),
// the Win32_Service CIM class, and sc.exe's config/delete/query verbs.

import { deleteService, dependents, findService, ScmError, services, startService, stopService, type ServiceState } from '../model/services.js';
import type { CmdletContext, NativeResult } from '../ps/cmdlet.js';
import { CmdletError, errorInfo } from '../ps/errors.js';
import { hasWildcard, wildcardToRegExp } from '../ps/operators.js';
import { enumerate, PsEnum, PsObject, toStr, type PsValue } from '../ps/values.js';
import { typed, type Cmdlet, type Machine } from './machine.js';

const MGMT = 'Microsoft.PowerShell.Management';
const cmd = (n: string): string => `Microsoft.PowerShell.Commands.${n}Command`;
const STATUS: Record<string, number> = { Stopped: 1, Running: 4 };
const START: Record<string, [string, number]> = { Auto: ['Automatic', 2], Manual: ['Manual', 3], Disabled: ['Disabled', 4] };

function controller(m: Machine, x: ServiceState, nested = true): PsObject {
  const [startName, startNum] = START[x.startMode]!;
  const props: [string, PsValue][] = [
    ['Status', new PsEnum('System.ServiceProcess.ServiceControllerStatus', x.status, STATUS[x.status]!)], ['Name', x.name], ['DisplayName', x.displayName],
    ['ServiceName', x.name], ['StartType', new PsEnum('System.ServiceProcess.ServiceStartMode', startName, startNum)], ['CanStop', x.status === 'Running' && x.canStop],
    ['CanPauseAndContinue', false], ['ServiceType', new PsEnum('System.ServiceProcess.ServiceType', 'Win32OwnProcess', 16)], ['MachineName', '.'],
  ];
  if (nested) {
    props.push(['ServicesDependedOn', x.dependsOn.map((d) => findService(m.state, d)).filter((d): d is ServiceState => !!d).map((d) => controller(m, d, false))],
      ['DependentServices', dependents(m.state, x.name).map((d) => controller(m, d, false))]);
  }
  return typed('System.ServiceProcess.ServiceController', props, x.name);
}

export function win32Service(x: ServiceState): [string, PsValue][] {
  return [['Name', x.name], ['DisplayName', x.displayName], ['Description', x.description], ['State', x.status], ['Status', 'OK'], ['StartMode', x.startMode],
    ['DelayedAutoStart', x.delayedAutoStart], ['PathName', x.pathName], ['StartName', x.startName], ['AcceptStop', x.status === 'Running' && x.canStop],
    ['ProcessId', x.status === 'Running' ? 1000 + x.name.length * 7 : 0], ['ServiceType', 'Own Process'], ['Started', x.status === 'Running']];
}

const label = (x: ServiceState): string => `${x.displayName} (${x.name})`;

/** Services named by -Name (wildcards allowed), -DisplayName, or piped ServiceControllers. */
function selected(ctx: CmdletContext<Machine>, a: Record<string, PsValue>): ServiceState[] {
  const out: ServiceState[] = [];
  const all = services(ctx.machine.state);
  const input = a['InputObject'];
  for (const o of input === undefined ? [] : enumerate(input)) {
    const x = o instanceof PsObject ? findService(ctx.machine.state, toStr(o.get('Name'))) : undefined;
    if (x) out.push(x);
  }
  for (const [param, key] of [['Name', 'name'], ['DisplayName', 'displayName']] as const) {
    for (const n of a[param] === undefined ? [] : enumerate(a[param]).map(toStr)) {
      const hits = all.filter((x) => (hasWildcard(n) ? wildcardToRegExp(n).test(x[key]) : x[key].toLowerCase() === n.toLowerCase()));
      if (!hits.length && !hasWildcard(n)) {
        ctx.writeError(errorInfo(`Cannot find any service with service ${param === 'Name' ? 'name' : 'display name'} '${n}'.`, 'ObjectNotFound', `NoServiceFoundForGiven${param}`, 'ServiceCommandException', n));
      }
      out.push(...hits);
    }
  }
  return out;
}

function act(ctx: CmdletContext<Machine>, x: ServiceState, verb: 'start' | 'stop', force: boolean): boolean {
  try {
    if (verb === 'start') startService(ctx.machine.state, x);
    else stopService(ctx.machine.state, x, force);
    return true;
  } catch (e) {
    if (!(e instanceof ScmError)) throw e;
    if (e.code === 2401) {
      ctx.writeError(errorInfo(`Cannot stop service '${label(x)}' because it has dependent services. It can only be stopped if the Force flag is set.`, 'InvalidOperation', 'ServiceHasDependentServices', 'ServiceCommandException', x.name));
    } else if (verb === 'start') {
      ctx.writeError(errorInfo(`Service '${label(x)}' cannot be started due to the following error: Cannot start service ${x.name} on computer '.'.`, 'OpenError', 'CouldNotStartService', 'ServiceCommandException', x.name));
    } else {
      ctx.writeError(errorInfo(`Service '${label(x)}' cannot be stopped due to the following error: Cannot stop ${x.name} service on computer '.'.`, 'CloseError', 'CouldNotStopService', 'ServiceCommandException', x.name));
    }
    return false;
  }
}

const SELECT = [
  { name: 'Name', aliases: ['ServiceName'], type: 'string[]' as const, position: 0, pipeline: { byValue: true, byPropertyName: true } },
  { name: 'DisplayName', type: 'string[]' as const },
  { name: 'InputObject', type: 'any' as const, pipeline: { byValue: true } },
];
const PASS = { name: 'PassThru', type: 'switch' as const };

function control(name: 'Start-Service' | 'Stop-Service' | 'Restart-Service'): Cmdlet {
  return {
    name, module: MGMT, commandType: cmd(name.replace('-', '')), input: 'each', supportsShouldProcess: true,
    params: [...SELECT, PASS, ...(name === 'Start-Service' ? [] : [{ name: 'Force', type: 'switch' as const }, { name: 'NoWait', type: 'switch' as const }])],
    run(ctx, a) {
      for (const x of selected(ctx, a)) {
        if (!ctx.shouldProcess(label(x), name)) continue;
        const force = !!a['Force'];
        let ok = true;
        if (name !== 'Start-Service') ok = act(ctx, x, 'stop', force);
        if (ok && name !== 'Stop-Service') ok = act(ctx, x, 'start', false);
        if (ok && a['PassThru']) ctx.write(controller(ctx.machine, x));
      }
    },
  };
}

export const serviceCmdlets: Cmdlet[] = [
  {
    name: 'Get-Service', module: MGMT, commandType: cmd('GetService'), input: 'each',
    params: SELECT,
    run(ctx, a) {
      const pick = a['Name'] === undefined && a['DisplayName'] === undefined && a['InputObject'] === undefined ? services(ctx.machine.state) : selected(ctx, a);
      for (const x of [...pick].sort((p, q) => p.name.localeCompare(q.name))) ctx.write(controller(ctx.machine, x));
    },
  },
  {
    name: 'Set-Service', module: MGMT, commandType: cmd('SetService'), input: 'each', supportsShouldProcess: true,
    params: [...SELECT.filter((p) => p.name !== 'DisplayName'), { name: 'DisplayName', type: 'string' as const }, { name: 'Description', type: 'string' as const },
      { name: 'StartupType', aliases: ['StartMode', 'SM', 'ST'], type: 'string' as const, validateSet: ['Automatic', 'Manual', 'Disabled'] },
      { name: 'Status', type: 'string' as const, validateSet: ['Running', 'Stopped', 'Paused'] }, PASS],
    run(ctx, a) {
      for (const x of selected(ctx, { Name: a['Name'], InputObject: a['InputObject'] })) {
        if (!ctx.shouldProcess(label(x), 'Set-Service')) continue;
        if (a['DisplayName'] !== undefined) x.displayName = toStr(a['DisplayName']);
        if (a['Description'] !== undefined) x.description = toStr(a['Description']);
        const t = a['StartupType'] === undefined ? undefined : toStr(a['StartupType']).toLowerCase();
        if (t) {
          x.startMode = t === 'automatic' ? 'Auto' : t === 'manual' ? 'Manual' : 'Disabled';
          x.delayedAutoStart = false;
        }
        const st = a['Status'] === undefined ? undefined : toStr(a['Status']).toLowerCase();
        if (st === 'running') act(ctx, x, 'start', false);
        if (st === 'stopped') act(ctx, x, 'stop', false);
        if (a['PassThru']) ctx.write(controller(ctx.machine, x));
      }
    },
  },
  control('Start-Service'),
  control('Stop-Service'),
  control('Restart-Service'),
];

const SC_NO_SERVICE = (): NativeResult => ({ stdout: '[SC] OpenService FAILED 1060:\r\n\r\nThe specified service does not exist as an installed service.\r\n\r\n', stderr: '', exitCode: 1060 });
const SC_MODES: Record<string, [ServiceState['startMode'], boolean]> = { auto: ['Auto', false], demand: ['Manual', false], disabled: ['Disabled', false], 'delayed-auto': ['Auto', true] };

/** sc.exe <config|delete|qc> <name> [start= <mode>] — the verbs modules use. */
export function runSc(m: Machine, args: string[]): NativeResult {
  const [verb = '', name = '', ...rest] = args;
  const x = findService(m.state, name);
  switch (verb.toLowerCase()) {
    case 'config': {
      if (!x) return SC_NO_SERVICE();
      const at = rest.findIndex((r) => r.toLowerCase() === 'start=');
      const mode = at >= 0 ? SC_MODES[(rest[at + 1] ?? '').toLowerCase()] : undefined;
      if (!mode) return { stdout: 'DESCRIPTION:\r\n        Modifies a service entry in the registry and Service Database.\r\nUSAGE:\r\n        sc <server> config [service name] <option1> <option2>...\r\n', stderr: '', exitCode: 1639 };
      [x.startMode, x.delayedAutoStart] = mode;
      return { stdout: '[SC] ChangeServiceConfig SUCCESS\r\n', stderr: '', exitCode: 0 };
    }
    case 'delete':
      if (!x) return SC_NO_SERVICE();
      deleteService(m.state, x);
      return { stdout: '[SC] DeleteService SUCCESS\r\n', stderr: '', exitCode: 0 };
    case 'qc': {
      if (!x) return SC_NO_SERVICE();
      const start = x.startMode === 'Auto' ? (x.delayedAutoStart ? '2   AUTO_START  (DELAYED)' : '2   AUTO_START') : x.startMode === 'Manual' ? '3   DEMAND_START' : '4   DISABLED';
      return { stdout: `[SC] QueryServiceConfig SUCCESS\r\n\r\nSERVICE_NAME: ${x.name}\r\n        START_TYPE         : ${start}\r\n        BINARY_PATH_NAME   : ${x.pathName}\r\n        DISPLAY_NAME       : ${x.displayName}\r\n        DEPENDENCIES       : ${x.dependsOn.join('\r\n                           : ')}\r\n`, stderr: '', exitCode: 0 };
    }
    default:
      return { stdout: `[SC] The lab host models sc.exe config, delete and qc only (not '${verb}').\r\n`, stderr: '', exitCode: 1 };
  }
}

export { CmdletError };
