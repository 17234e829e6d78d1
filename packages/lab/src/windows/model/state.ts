// The lab Windows host's whole mutable state, persisted as JSON after every change (tests read it,
// and check-mode tests hash it). File contents live beside it as content-addressed blobs so the JSON
// stays small and only changes when the model does.

import { createHash } from 'node:crypto';
import type { InstallState } from './features.js';
import type { ServiceState } from './services.js';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export type VmPowerState = 'Running' | 'Off' | 'Saved' | 'Paused' | 'Stopping';
export type StopAction = 'TurnOff' | 'Save' | 'ShutDown';

export interface GpuState {
  /** PCI instance path as Get-VMHostPartitionableGpu reports it. */
  name: string;
  /** Marketing name (Win32_VideoController.Name), e.g. "NVIDIA A2". */
  model: string;
  /** PNP device id: PCI\VEN_10DE&DEV_25B6&... */
  pnpDeviceId: string;
  validPartitionCounts: number[];
  partitionCount: number;
  totalVRAM: number;
  totalEncode: number;
  totalDecode: number;
  totalCompute: number;
  /** The host GPU driver version (Win32_VideoController.DriverVersion); clusters must match. */
  driverVersion: string;
  /** Partitions of this GPU can live-migrate (IOMMU DMA bit tracking; Msvm_GpuPartition.SupportsOutgoingLiveMigration). */
  supportsLiveMigration: boolean;
  /** partitionable: GPU-P driver bound; dda: dismounted for Discrete Device Assignment; none: no GPU-P driver. */
  mode: 'partitionable' | 'dda' | 'none';
}

export interface AdapterState {
  id: string;
  instancePath: string;
  partitionId: number;
  /** Requested resources; null when Add-VMGpuPartitionAdapter was given none (a full partition). */
  minPartitionVRAM: number | null;
  maxPartitionVRAM: number | null;
  optimalPartitionVRAM: number | null;
  minPartitionEncode: number | null;
  maxPartitionEncode: number | null;
  optimalPartitionEncode: number | null;
  minPartitionDecode: number | null;
  maxPartitionDecode: number | null;
  optimalPartitionDecode: number | null;
  minPartitionCompute: number | null;
  maxPartitionCompute: number | null;
  optimalPartitionCompute: number | null;
}

export interface VmState {
  name: string;
  id: string;
  state: VmPowerState;
  generation: 1 | 2;
  automaticStopAction: StopAction;
  guestControlledCacheTypes: boolean;
  lowMemoryMappedIoSpace: number;
  highMemoryMappedIoSpace: number;
  memoryStartup: number;
  processorCount: number;
  /** A role of the failover cluster (has a "Virtual Machine <name>" resource). */
  clustered: boolean;
  /** The VM's cluster group (role) and its "Virtual Machine" resource: names chosen by whoever made it highly available. */
  clusterGroup: string;
  clusterResource: string;
  dynamicMemory: boolean;
  /** The guest ignores a shutdown request (hung, or no shutdown integration service): only -TurnOff stops it. */
  ignoresShutdown: boolean;
  /** Cluster resource private property OfflineAction (1 = save, 3 = force shutdown...). */
  offlineAction: number;
  gpuAdapters: AdapterState[];
  /** How many times the VM was started/stopped by cmdlets (lets tests assert restarts). */
  starts: number;
  stops: number;
}

/** `version`: the file version (VersionInfo) of files an installer wrote. */
export type FileEntry = { type: 'file'; path: string; sha256: string; size: number; mtimeMs: number; version?: string } | { type: 'dir'; path: string; mtimeMs: number };

export interface InstallRecord {
  file: string;
  arguments: string;
  exitCode: number;
  version: string | null;
  firmwareUpdate: boolean;
}

/** A registry value: String/ExpandString text, DWord/QWord number, MultiString lines, Binary bytes. */
export type RegistryValue = string | number | string[] | number[];
export type RegistryValueKind = 'String' | 'ExpandString' | 'Binary' | 'DWord' | 'MultiString' | 'QWord';

export interface RegistryKeyState {
  path: string;
  values: Record<string, RegistryValue>;
  /** Kinds of values that are not plain String (text) or DWord (number); absent = inferred. */
  kinds?: Record<string, RegistryValueKind>;
}

export interface LabState {
  version: 1;
  computerName: string;
  hyperv: { enabled: boolean; reservePartitionsAt: 'assign' | 'start'; gpus: GpuState[]; vms: VmState[] };
  cluster: { name: string } | null;
  winof2: { installerExitCode: number };
  /** Registry keys (display path, e.g. HKLM:\SOFTWARE\...) → value name → value (and its kind when not String/DWord). */
  registry: Record<string, RegistryKeyState>;
  /** Lowercased absolute path → entry. */
  files: Record<string, FileEntry>;
  env: Record<string, string>;
  /** Windows services (model/services.ts); absent in states written before services were modelled. */
  services?: ServiceState[];
  /** Server Manager features (model/features.ts); absent in states written before features were modelled. */
  features?: Record<string, InstallState>;
  reboots: number;
  /** When the host last booted (ms since the epoch); absent until its first reboot in the lab. */
  bootTimeMs?: number;
  pendingReboot: boolean;
  installs: InstallRecord[];
  /** Counter feeding deterministic ids (adapter ids). */
  nextId: number;
}

/** Holds the state and its blobs; `commit()` after each mutation writes the JSON atomically. */
export class StateStore {
  private readonly blobs = new Map<string, Buffer>();

  constructor(
    public state: LabState,
    private readonly stateFile: string,
  ) {}

  static open(stateFile: string, initial: () => LabState): StateStore {
    if (existsSync(stateFile)) {
      const text = readFileSync(stateFile, 'utf8');
      const parsed = JSON.parse(text) as LabState;
      if (parsed.version === 1) {
        const store = new StateStore(parsed, stateFile);
        store.written = text;
        return store;
      }
    }
    const store = new StateStore(initial(), stateFile);
    store.commit();
    return store;
  }

  private get blobDir(): string {
    return `${this.stateFile}.blobs`;
  }

  putBlob(data: Buffer): string {
    const sha = createHash('sha256').update(data).digest('hex');
    if (!this.blobs.has(sha)) {
      this.blobs.set(sha, data);
      mkdirSync(this.blobDir, { recursive: true });
      const path = `${this.blobDir}/${sha}`;
      if (!existsSync(path)) writeFileSync(path, data);
    }
    return sha;
  }

  getBlob(sha: string): Buffer {
    let b = this.blobs.get(sha);
    if (!b) {
      b = readFileSync(`${this.blobDir}/${sha}`);
      this.blobs.set(sha, b);
    }
    return b;
  }

  private written = '';

  commit(): void {
    const text = JSON.stringify(this.state, null, 2) + '\n';
    const tmp = `${this.stateFile}.tmp-${process.pid}`;
    writeFileSync(tmp, text);
    renameSync(tmp, this.stateFile);
    this.written = text;
  }

  /** Writes the state file only when the model changed since the last write. */
  commitIfChanged(): void {
    if (JSON.stringify(this.state, null, 2) + '\n' !== this.written) this.commit();
  }
}
