// The state a fresh lab host starts with, built from its config: PCI instance paths for the GPUs,
// stable VM ids, a user profile on C:, the environment, and the WinOF-2 uninstall entry if the config
// says a driver is already installed.

import { defaultServices } from './services.js';
import { createHash } from 'node:crypto';
import type { GpuConfig, WindowsHostConfig } from '../config.js';
import type { GpuState, LabState, VmState } from './state.js';

const MB = 2 ** 20;
export const UNINSTALL_KEY = 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall';
/** Product code of the WinOF-2 MSI in the lab (the real one changes per release). */
export const WINOF2_PRODUCT_KEY = `${UNINSTALL_KEY}\\{0C9F6C6F-6D5A-4B1E-9F3A-4D4C4C4E4F32}`;

function stableGuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function gpuFromConfig(host: string, g: GpuConfig, index: number): GpuState {
  const ven = (g.vendorId ?? '10DE').toUpperCase();
  const dev = g.deviceId.toUpperCase();
  const subsys = `${(g.subsystemId ?? '0000').toUpperCase()}${ven}`;
  const instance = `4&${createHash('sha1').update(`${host}:${index}`).digest('hex').slice(0, 8)}&0&00${(index * 8).toString(16).toUpperCase().padStart(2, '0')}`;
  const pnp = `PCI\\VEN_${ven}&DEV_${dev}&SUBSYS_${subsys}&REV_A1\\${instance}`;
  return {
    name: g.name ?? `\\\\?\\PCI#VEN_${ven}&DEV_${dev}&SUBSYS_${subsys}&REV_A1#${instance}#{064092b3-625e-43bf-9eb5-dc845897dd59}\\GPUPARAV`,
    model: g.model,
    pnpDeviceId: pnp,
    validPartitionCounts: [...g.validPartitionCounts],
    partitionCount: g.partitionCount,
    totalVRAM: g.totalVRAM,
    totalEncode: g.totalEncode,
    totalDecode: g.totalDecode,
    totalCompute: g.totalCompute,
    mode: g.mode ?? 'partitionable',
    driverVersion: g.driverVersion ?? '32.0.15.6094',
    supportsLiveMigration: g.supportsLiveMigration ?? true,
  };
}

const BASE_DIRS = ['C:\\Windows', 'C:\\Windows\\System32', 'C:\\Windows\\Temp', 'C:\\Users', 'C:\\Users\\Administrator',
  'C:\\Users\\Administrator\\AppData', 'C:\\Users\\Administrator\\AppData\\Local', 'C:\\Users\\Administrator\\AppData\\Local\\Temp',
  'C:\\Program Files', 'C:\\ProgramData'];

export function initialState(config: WindowsHostConfig): LabState {
  const host = config.name.toUpperCase();
  const files: LabState['files'] = {};
  for (const d of BASE_DIRS) files[d.toLowerCase()] = { type: 'dir', path: d, mtimeMs: 0 };
  const vms: VmState[] = config.hyperv.vms.map((v) => ({
    name: v.name,
    id: stableGuid(`${host}/${v.name}`),
    state: v.state ?? 'Off',
    generation: v.generation ?? 2,
    automaticStopAction: v.automaticStopAction ?? 'Save',
    guestControlledCacheTypes: v.guestControlledCacheTypes ?? false,
    lowMemoryMappedIoSpace: v.lowMemoryMappedIoSpace ?? 128 * MB,
    highMemoryMappedIoSpace: v.highMemoryMappedIoSpace ?? 512 * MB,
    memoryStartup: v.memoryStartupBytes ?? 4096 * MB,
    processorCount: v.processorCount ?? 4,
    clustered: v.clustered ?? !!config.cluster,
    clusterGroup: v.clusterGroup ?? `SCVMM ${v.name}`,
    clusterResource: v.clusterResource ?? `${v.clusterGroup ?? `SCVMM ${v.name}`} Resource`,
    dynamicMemory: v.dynamicMemory ?? false,
    ignoresShutdown: v.ignoresShutdown ?? false,
    offlineAction: 1,
    gpuAdapters: [],
    starts: 0,
    stops: 0,
  }));
  const registry: LabState['registry'] = {
    [UNINSTALL_KEY.toLowerCase()]: { path: UNINSTALL_KEY, values: {} },
  };
  const installed = config.winof2?.installedVersion;
  if (installed) registry[WINOF2_PRODUCT_KEY.toLowerCase()] = { path: WINOF2_PRODUCT_KEY, values: winof2UninstallValues(installed) };
  return {
    version: 1,
    computerName: host,
    hyperv: {
      enabled: config.hyperv.enabled ?? true,
      reservePartitionsAt: config.hyperv.reservePartitionsAt ?? 'assign',
      gpus: config.hyperv.gpus.map((g, i) => gpuFromConfig(host, g, i)),
      vms,
    },
    cluster: config.cluster ?? null,
    winof2: { installerExitCode: config.winof2?.installerExitCode ?? 3010 },
    registry,
    files,
    env: {
      COMPUTERNAME: host, USERNAME: config.user, USERDOMAIN: host, USERPROFILE: 'C:\\Users\\Administrator',
      HOMEDRIVE: 'C:', HOMEPATH: '\\Users\\Administrator', TEMP: 'C:\\Users\\Administrator\\AppData\\Local\\Temp',
      TMP: 'C:\\Users\\Administrator\\AppData\\Local\\Temp', SystemRoot: 'C:\\Windows', windir: 'C:\\Windows',
      SystemDrive: 'C:', ProgramFiles: 'C:\\Program Files', ProgramData: 'C:\\ProgramData', OS: 'Windows_NT',
      PROCESSOR_ARCHITECTURE: 'AMD64', NUMBER_OF_PROCESSORS: '64', PATHEXT: '.COM;.EXE;.BAT;.CMD;.VBS;.JS;.WS;.MSC',
      Path: 'C:\\Windows\\system32;C:\\Windows;C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\',
      PSModulePath: 'C:\\Program Files\\WindowsPowerShell\\Modules;C:\\Windows\\system32\\WindowsPowerShell\\v1.0\\Modules',
    },
    services: defaultServices({ hyperv: { enabled: config.hyperv.enabled ?? true } as LabState['hyperv'], cluster: config.cluster ?? null }),
    reboots: 0,
    pendingReboot: false,
    installs: [],
    nextId: 1,
  };
}

export function winof2UninstallValues(version: string): Record<string, string | number> {
  return {
    DisplayName: 'MLNX_WinOF2',
    DisplayVersion: version,
    Publisher: 'Mellanox Technologies Ltd.',
    InstallLocation: 'C:\\Program Files\\Mellanox\\MLNX_WinOF2\\',
    SystemComponent: 0,
  };
}
