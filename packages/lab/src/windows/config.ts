// Configuration of one lab Windows Hyper-V host: where it listens, its Administrator account, and the
// Hyper-V inventory it models (GPUs and VMs are configurable per host to build mixed clusters).
// The type is derived from the schema; loadWindowsHostConfig validates a JSON file against it.

import { readFileSync } from 'node:fs';
import Ajv from 'ajv/dist/2020.js';
import Type, { type Static } from 'typebox';

const GpuSchema = Type.Object({
  model: Type.String({ description: 'Marketing name, e.g. "NVIDIA A2".' }),
  vendorId: Type.Optional(Type.String({ pattern: '^[0-9A-Fa-f]{4}$' })),
  deviceId: Type.String({ pattern: '^[0-9A-Fa-f]{4}$', description: 'PCI device id, e.g. 25B6 for an A2 or A16.' }),
  subsystemId: Type.Optional(Type.String({ pattern: '^[0-9A-Fa-f]{4}$', description: 'PCI subsystem id (the board), e.g. 157E for an A2.' })),
  /** Overrides the generated PCI instance path. */
  name: Type.Optional(Type.String()),
  validPartitionCounts: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1 }),
  partitionCount: Type.Integer({ minimum: 1 }),
  totalVRAM: Type.Integer({ minimum: 1, description: 'Bytes usable for partitions.' }),
  totalEncode: Type.Integer({ minimum: 0 }),
  totalDecode: Type.Integer({ minimum: 0 }),
  totalCompute: Type.Integer({ minimum: 0 }),
  mode: Type.Optional(Type.Union([Type.Literal('partitionable'), Type.Literal('dda'), Type.Literal('none')])),
  driverVersion: Type.Optional(Type.String({ description: 'Host GPU driver version (Win32_VideoController.DriverVersion); default 32.0.15.6094.' })),
  supportsLiveMigration: Type.Optional(Type.Boolean({ description: 'Partitions can live-migrate (IOMMU DMA bit tracking); default true.' })),
}, { additionalProperties: false });

const VmSchema = Type.Object({
  name: Type.String({ minLength: 1 }),
  state: Type.Optional(Type.Union([Type.Literal('Running'), Type.Literal('Off'), Type.Literal('Saved'), Type.Literal('Paused'), Type.Literal('Stopping')])),
  generation: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2)])),
  automaticStopAction: Type.Optional(Type.Union([Type.Literal('TurnOff'), Type.Literal('Save'), Type.Literal('ShutDown')])),
  memoryStartupBytes: Type.Optional(Type.Integer({ minimum: 1 })),
  processorCount: Type.Optional(Type.Integer({ minimum: 1 })),
  guestControlledCacheTypes: Type.Optional(Type.Boolean()),
  lowMemoryMappedIoSpace: Type.Optional(Type.Integer({ minimum: 0 })),
  highMemoryMappedIoSpace: Type.Optional(Type.Integer({ minimum: 0 })),
  clustered: Type.Optional(Type.Boolean()),
  /** Cluster group (role) name; default "SCVMM <name>" as System Center names the roles it creates. */
  clusterGroup: Type.Optional(Type.String({ minLength: 1 })),
  /** The group's "Virtual Machine" resource name; default "<group> Resource". */
  clusterResource: Type.Optional(Type.String({ minLength: 1 })),
  dynamicMemory: Type.Optional(Type.Boolean()),
  /** The guest ignores graceful shutdown: Stop-VM without -TurnOff leaves it running. */
  ignoresShutdown: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const WindowsHostConfigSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 15, description: 'NetBIOS computer name ($env:COMPUTERNAME).' }),
  listenAddress: Type.String(),
  httpPort: Type.Integer({ minimum: 0, maximum: 65535, description: '5985 on a lab node; 0 = ephemeral.' }),
  httpsPort: Type.Integer({ minimum: 0, maximum: 65535 }),
  user: Type.String({ minLength: 1 }),
  password: Type.String({ minLength: 1 }),
  certDir: Type.String({ description: 'Holds ca.pem and <name>.pem/<name>-key.pem (see ensureLabCa).' }),
  stateFile: Type.String(),
  readyFile: Type.Optional(Type.String()),
  domain: Type.Optional(Type.String({ description: 'Win32_ComputerSystem.Domain; default WORKGROUP.' })),
  maxEnvelopeSizeKb: Type.Optional(Type.Integer({ minimum: 32 })),
  maxShellsPerUser: Type.Optional(Type.Integer({ minimum: 1 })),
  /**
   * WinRM's Service\Auth\CbtHardeningLevel for NTLM over HTTPS: Relaxed (the default) checks a
   * channel binding when the client sends one, Strict requires one, None ignores it.
   */
  cbtHardeningLevel: Type.Optional(Type.Union([Type.Literal('None'), Type.Literal('Relaxed'), Type.Literal('Strict')])),
  hyperv: Type.Object({
    enabled: Type.Optional(Type.Boolean()),
    /** 'assign': a partition is taken at Add-VMGpuPartitionAdapter; 'start': only while the VM runs. */
    reservePartitionsAt: Type.Optional(Type.Union([Type.Literal('assign'), Type.Literal('start')])),
    gpus: Type.Array(GpuSchema),
    vms: Type.Array(VmSchema),
  }, { additionalProperties: false }),
  cluster: Type.Optional(Type.Union([Type.Null(), Type.Object({ name: Type.String() }, { additionalProperties: false })])),
  winof2: Type.Optional(Type.Object({
    installedVersion: Type.Optional(Type.Union([Type.Null(), Type.String()])),
    /**
     * What a silent run of a well-named package exits with: 0 or 3010 (success, reboot required) install
     * it; 1603 (fatal error during installation) and 1618 (another installation in progress) fail
     * without changing anything.
     */
    installerExitCode: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(3010), Type.Literal(1603), Type.Literal(1618)])),
  }, { additionalProperties: false })),
  quirks: Type.Optional(Type.Object({
    /** powershell.exe's "Preparing modules for first use." progress record in the stderr CLIXML. */
    progressClixml: Type.Optional(Type.Boolean()),
  }, { additionalProperties: false })),
  /** How long a reboot keeps the WinRM listener down, in ms (default 1500); Restart-Computer and shutdown /r reboot for real. */
  rebootDowntimeMs: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Fault injection for reliability tests (see wsman/faults.ts). */
  faults: Type.Optional(Type.Object({
    http500Rate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    stallReceiveAfterMs: Type.Optional(Type.Integer({ minimum: 0 })),
    stallAllAfterMs: Type.Optional(Type.Integer({ minimum: 0 })),
    dropConnectionRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  }, { additionalProperties: false })),
}, { additionalProperties: false });

export type WindowsHostConfig = Static<typeof WindowsHostConfigSchema>;
export type GpuConfig = Static<typeof GpuSchema>;
export type VmConfig = Static<typeof VmSchema>;

const MB = 2 ** 20;

/** An NVIDIA A2 (16 GB) as GPU-P sees it: 14592 MiB for partitions, so 4 partitions get 3648 MiB each. */
export function nvidiaA2(partitionCount = 4): GpuConfig {
  return {
    model: 'NVIDIA A2', vendorId: '10DE', deviceId: '25B6', subsystemId: '157E', validPartitionCounts: [16, 8, 4, 2, 1], partitionCount,
    totalVRAM: 14592 * MB, totalEncode: 16, totalDecode: 32, totalCompute: 18000,
  };
}

/** An NVIDIA A16 GPU (one of the card's four, 16 GB each) for mixed-cluster tests. */
export function nvidiaA16(partitionCount = 4): GpuConfig {
  return {
    model: 'NVIDIA A16', vendorId: '10DE', deviceId: '25B6', subsystemId: '14A9', validPartitionCounts: [16, 8, 4, 2, 1], partitionCount,
    totalVRAM: 15360 * MB, totalEncode: 16, totalDecode: 32, totalCompute: 17900,
  };
}

/** Defaults for the parts a lab usually leaves out: two A2s, three Gen2 VMs (one running). */
export function defaultHyperv(): WindowsHostConfig['hyperv'] {
  return {
    enabled: true,
    reservePartitionsAt: 'assign',
    gpus: [nvidiaA2(), nvidiaA2()],
    vms: [
      { name: 'vm-gpu-01', state: 'Running', generation: 2, automaticStopAction: 'Save' },
      { name: 'vm-gpu-02', state: 'Off', generation: 2, automaticStopAction: 'Save' },
      { name: 'vm-gpu-03', state: 'Off', generation: 2, automaticStopAction: 'Save' },
    ],
  };
}

export function defaultWindowsHostConfig(overrides: Partial<WindowsHostConfig> & Pick<WindowsHostConfig, 'certDir' | 'stateFile'>): WindowsHostConfig {
  return {
    name: 'WINHOST1',
    listenAddress: '127.0.0.1',
    httpPort: 5985,
    httpsPort: 5986,
    user: 'Administrator',
    password: 'Lab-Passw0rd!',
    hyperv: defaultHyperv(),
    ...overrides,
  };
}

export const DEFAULT_MAX_ENVELOPE_KB = 500;

/** Reads and validates a config file; throws an Error listing every problem with its JSON path. */
export function loadWindowsHostConfig(path: string): WindowsHostConfig {
  const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const ajv = new Ajv.default({ allErrors: true, strict: false });
  const validate = ajv.compile(WindowsHostConfigSchema);
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => `${path}: ${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    throw new Error(`invalid Windows lab host config:\n${problems.join('\n')}`);
  }
  return data as WindowsHostConfig;
}
