// The lab host's Windows services, as the Service Control Manager keeps them: status, start mode
// (with delayed auto-start), dependencies, and the SCM's rules — starting a service starts what it
// depends on, a service with running dependents stops only when they stop too, a disabled one never
// starts, some (RpcSs) refuse to stop, and a running service deleted is gone once it stops.
// Hosts whose state predates services get the default set on first use.

import type { LabState } from './state.js';

export type ServiceStatus = 'Running' | 'Stopped';
export type StartMode = 'Auto' | 'Manual' | 'Disabled';

export interface ServiceState {
  name: string;
  displayName: string;
  description: string;
  status: ServiceStatus;
  startMode: StartMode;
  delayedAutoStart: boolean;
  dependsOn: string[];
  pathName: string;
  startName: string;
  canStop: boolean;
  /** Deleted while running: removed when it stops (DeleteService marks it). */
  deletePending?: boolean;
  starts: number;
  stops: number;
}

const svc = (name: string, displayName: string, status: ServiceStatus, startMode: StartMode, dependsOn: string[], pathName: string, description: string, extra: Partial<ServiceState> = {}): ServiceState => ({
  name, displayName, description, status, startMode, delayedAutoStart: false, dependsOn, pathName, startName: 'LocalSystem', canStop: true, starts: 0, stops: 0, ...extra,
});

const SVCHOST = (group: string): string => `C:\\Windows\\system32\\svchost.exe -k ${group} -p`;

export function defaultServices(s: Pick<LabState, 'hyperv' | 'cluster'>): ServiceState[] {
  const list = [
    svc('RpcSs', 'Remote Procedure Call (RPC)', 'Running', 'Auto', [], SVCHOST('rpcss'), 'The RPCSS service is the Service Control Manager for COM and DCOM servers.', { canStop: false, startName: 'NT AUTHORITY\\NetworkService' }),
    svc('WinRM', 'Windows Remote Management (WS-Management)', 'Running', 'Auto', ['RpcSs'], SVCHOST('NetworkService'), 'Windows Remote Management (WinRM) service implements the WS-Management protocol for remote management.', { startName: 'NT AUTHORITY\\NetworkService' }),
    svc('LanmanWorkstation', 'Workstation', 'Running', 'Auto', [], SVCHOST('NetworkService'), 'Creates and maintains client network connections to remote servers using the SMB protocol.', { startName: 'NT AUTHORITY\\NetworkService' }),
    svc('Netlogon', 'Netlogon', 'Stopped', 'Manual', ['LanmanWorkstation'], 'C:\\Windows\\system32\\lsass.exe', 'Maintains a secure channel between this computer and the domain controller.'),
    svc('Spooler', 'Print Spooler', 'Running', 'Auto', ['RpcSs'], 'C:\\Windows\\System32\\spoolsv.exe', 'This service spools print jobs and handles interaction with the printer.'),
    svc('W32Time', 'Windows Time', 'Stopped', 'Manual', [], SVCHOST('LocalService'), 'Maintains date and time synchronization on all clients and servers in the network.', { startName: 'NT AUTHORITY\\LocalService' }),
    svc('wuauserv', 'Windows Update', 'Stopped', 'Manual', ['RpcSs'], SVCHOST('netsvcs'), 'Enables the detection, download, and installation of updates for Windows and other programs.'),
  ];
  if (s.hyperv.enabled) list.push(svc('vmms', 'Hyper-V Virtual Machine Management', 'Running', 'Auto', ['RpcSs'], 'C:\\Windows\\system32\\vmms.exe', 'Management service for Hyper-V, provides service to run multiple virtual machines.'));
  if (s.cluster) list.push(svc('ClusSvc', 'Cluster Service', 'Running', 'Auto', ['RpcSs'], 'C:\\Windows\\Cluster\\clussvc.exe -s', 'Enables servers to work together as a cluster.'));
  return list;
}

export function services(s: LabState): ServiceState[] {
  return (s.services ??= defaultServices(s));
}

export function findService(s: LabState, name: string): ServiceState | undefined {
  return services(s).find((x) => x.name.toLowerCase() === name.toLowerCase() || x.displayName.toLowerCase() === name.toLowerCase());
}

export const dependents = (s: LabState, name: string): ServiceState[] => services(s).filter((x) => x.dependsOn.some((d) => d.toLowerCase() === name.toLowerCase()));

export class ScmError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** StartService: dependencies first; error 1058 for a disabled service, 1068 for a dependency that cannot start. */
export function startService(s: LabState, x: ServiceState, depth = 0): void {
  if (x.status === 'Running') return;
  if (x.startMode === 'Disabled') throw new ScmError(depth ? 1068 : 1058, depth ? 'The dependency service or group failed to start.' : 'The service cannot be started, either because it is disabled or because it has no enabled devices associated with it.');
  for (const d of x.dependsOn) {
    const dep = findService(s, d);
    if (!dep) throw new ScmError(1075, 'The dependency service does not exist or has been marked for deletion.');
    try {
      startService(s, dep, depth + 1);
    } catch (e) {
      throw e instanceof ScmError ? new ScmError(1068, 'The dependency service or group failed to start.') : e;
    }
  }
  x.status = 'Running';
  x.starts++;
}

/** ControlService(STOP); with `force` running dependents stop first (what Stop-Service -Force does). */
export function stopService(s: LabState, x: ServiceState, force: boolean): void {
  if (x.status === 'Stopped') return;
  if (!x.canStop) throw new ScmError(1052, 'The requested control is not valid for this service.');
  const running = dependents(s, x.name).filter((d) => d.status === 'Running');
  if (running.length && !force) throw new ScmError(2401, 'has dependent services');
  for (const d of running) stopService(s, d, true);
  x.status = 'Stopped';
  x.stops++;
  if (x.deletePending) s.services = services(s).filter((y) => y !== x);
}

export function deleteService(s: LabState, x: ServiceState): void {
  if (x.status === 'Running') x.deletePending = true;
  else s.services = services(s).filter((y) => y !== x);
}
