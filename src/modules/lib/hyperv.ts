// Hyper-V GPU-P facts: one PowerShell script reads the host's partitionable GPUs, its VMs and the
// partition adapters assigned to them, as JSON (the list view truncates), and a pure parser turns it
// into typed data. Works with both cmdlet generations (WS2025/Azure Local and the WS2022 previews).
import { psQuote } from '../../engine/connection/quote.js';

export interface PartitionableGpu {
  name: string;
  validPartitionCounts: number[];
  partitionCount: number;
  totalVram: number;
  availableVram: number;
  minPartitionVram: number;
  maxPartitionVram: number;
  optimalPartitionVram: number;
  totalEncode: number;
  totalDecode: number;
  totalCompute: number;
  /** Host driver version of this GPU (Win32_VideoController.DriverVersion), '' when unknown. */
  driverVersion: string;
}

/** The resources an adapter was given (null = not set: a full partition's share). */
export type AdapterResources = Record<ResourceKey, number | null>;
export const RESOURCE_KEYS = (['VRAM', 'Encode', 'Decode', 'Compute'] as const).flatMap((r) => (['Min', 'Max', 'Optimal'] as const).map((b) => `${b}Partition${r}` as const));
export type ResourceKey = (typeof RESOURCE_KEYS)[number];

export interface GpuAdapter {
  vm: string;
  instancePath: string;
  id?: string;
  resources: AdapterResources;
  /** Whether the running partition can live-migrate; null when the host does not say. */
  liveMigration: boolean | null;
}

export interface HostVm {
  name: string;
  id: string;
  state: string;
  generation: number;
  dynamicMemory: boolean;
  automaticStopAction: string;
  guestControlledCacheTypes: boolean;
  lowMmio: number;
  highMmio: number;
  /** Get-VM's IsClustered: clustering is a property of each VM, not of the host. */
  clustered: boolean;
  /** For a clustered VM: its role (cluster group) and that group's "Virtual Machine" resource. */
  clusterGroup: string | null;
  clusterResource: string | null;
  /** The resource's OfflineAction (0 turn off, 1 save, 2 shut down, 3 forced shutdown); null if unknown. */
  offlineAction: number | null;
}

export interface HypervFacts {
  /** Which Get cmdlet answered, or null when the host has no GPU-P cmdlets at all. */
  cmdlet: string | null;
  gpus: PartitionableGpu[];
  vms: HostVm[];
  adapters: GpuAdapter[];
  /** The host is a failover-cluster node (the FailoverClusters cmdlets exist). */
  cluster: boolean;
}

/**
 * Read-only: Get-* cmdlets only. Emits one JSON document on stdout. A clustered VM's role is found
 * from the VM's id and the role's resource by its type, because their names are whatever the tool
 * that made the VM highly available chose (Failover Cluster Manager, System Center, Windows Admin
 * Center name them differently).
 */
export const HYPERV_FACTS_SCRIPT = `
$ErrorActionPreference = 'Stop'
$getCmd = $null
if (Get-Command Get-VMHostPartitionableGpu -ErrorAction SilentlyContinue) { $getCmd = 'Get-VMHostPartitionableGpu' }
elseif (Get-Command Get-VMPartitionableGpu -ErrorAction SilentlyContinue) { $getCmd = 'Get-VMPartitionableGpu' }
$gpus = @()
if ($getCmd -eq 'Get-VMHostPartitionableGpu') { $gpus = @(Get-VMHostPartitionableGpu) }
elseif ($getCmd -eq 'Get-VMPartitionableGpu') { $gpus = @(Get-VMPartitionableGpu) }
$drivers = @{}
foreach ($vc in @(Get-CimInstance -ClassName Win32_VideoController -ErrorAction SilentlyContinue)) { if ($vc.PNPDeviceID) { $drivers[[string]$vc.PNPDeviceID] = [string]$vc.DriverVersion } }
$gpuOut = @()
foreach ($g in $gpus) {
  $pnp = ([string]$g.Name -replace '^\\\\\\\\\\?\\\\', '' -replace '#\\{.*$', '') -replace '#', '\\'
  $gpuOut += [pscustomobject]@{
    Name = $g.Name; ValidPartitionCounts = $g.ValidPartitionCounts; PartitionCount = $g.PartitionCount
    TotalVRAM = $g.TotalVRAM; AvailableVRAM = $g.AvailableVRAM; MinPartitionVRAM = $g.MinPartitionVRAM; MaxPartitionVRAM = $g.MaxPartitionVRAM; OptimalPartitionVRAM = $g.OptimalPartitionVRAM
    TotalEncode = $g.TotalEncode; TotalDecode = $g.TotalDecode; TotalCompute = $g.TotalCompute; DriverVersion = $drivers[$pnp]
  }
}
$cluster = [bool](Get-Command Get-ClusterGroup -ErrorAction SilentlyContinue)
$vms = @()
$adapters = @()
if (Get-Command Get-VM -ErrorAction SilentlyContinue) {
  foreach ($vm in @(Get-VM)) {
    $group = $null; $res = $null; $offline = $null
    if ($vm.IsClustered -and $cluster) {
      $g = Get-ClusterGroup -VMId $vm.VMId -ErrorAction SilentlyContinue
      if ($g) {
        $group = [string]$g.Name
        $r = @($g | Get-ClusterResource | Where-Object { [string]$_.ResourceType.Name -eq 'Virtual Machine' -or [string]$_.ResourceType -eq 'Virtual Machine' }) | Select-Object -First 1
        if ($r) { $res = [string]$r.Name; $offline = ($r | Get-ClusterParameter -Name OfflineAction).Value }
      }
    }
    $vms += [pscustomobject]@{
      Name = $vm.Name; Id = [string]$vm.VMId; State = [string]$vm.State; Generation = $vm.Generation; DynamicMemoryEnabled = $vm.DynamicMemoryEnabled
      AutomaticStopAction = [string]$vm.AutomaticStopAction; GuestControlledCacheTypes = $vm.GuestControlledCacheTypes
      LowMemoryMappedIoSpace = $vm.LowMemoryMappedIoSpace; HighMemoryMappedIoSpace = $vm.HighMemoryMappedIoSpace
      IsClustered = [bool]$vm.IsClustered; ClusterGroup = $group; ClusterResource = $res; OfflineAction = $offline
    }
    foreach ($a in @(Get-VMGpuPartitionAdapter -VMName $vm.Name)) {
      $adapters += [pscustomobject]@{
        VMName = $vm.Name; InstancePath = $a.InstancePath; Id = $a.Id; SupportsOutgoingLiveMigration = $a.SupportsOutgoingLiveMigration
        ${RESOURCE_KEYS.map((k) => `${k} = $a.${k}`).join('; ')}
      }
    }
  }
}
[pscustomobject]@{ Cmdlet = $getCmd; Gpus = $gpuOut; Vms = $vms; Adapters = $adapters; Cluster = $cluster } | ConvertTo-Json -Depth 5 -Compress
`;

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : num(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === null || v === undefined ? [] : [v]);
type Obj = Record<string, unknown>;

export function parseHypervFacts(stdout: string): HypervFacts {
  const start = stdout.indexOf('{');
  if (start < 0) throw new Error(`Hyper-V facts: no JSON in the output: ${stdout.slice(0, 200)}`);
  const raw = JSON.parse(stdout.slice(start)) as Obj;
  return {
    cmdlet: typeof raw.Cmdlet === 'string' && raw.Cmdlet ? raw.Cmdlet : null,
    gpus: list(raw.Gpus).map((g) => {
      const o = g as Obj;
      return {
        name: String(o.Name),
        validPartitionCounts: list(o.ValidPartitionCounts).map(num),
        partitionCount: num(o.PartitionCount),
        totalVram: num(o.TotalVRAM),
        availableVram: num(o.AvailableVRAM),
        minPartitionVram: num(o.MinPartitionVRAM),
        maxPartitionVram: num(o.MaxPartitionVRAM),
        optimalPartitionVram: num(o.OptimalPartitionVRAM),
        totalEncode: num(o.TotalEncode),
        totalDecode: num(o.TotalDecode),
        totalCompute: num(o.TotalCompute),
        driverVersion: String(o.DriverVersion ?? ''),
      };
    }),
    vms: list(raw.Vms).map((v) => {
      const o = v as Obj;
      return {
        name: String(o.Name),
        id: String(o.Id ?? ''),
        state: String(o.State),
        generation: num(o.Generation),
        dynamicMemory: o.DynamicMemoryEnabled === true,
        automaticStopAction: String(o.AutomaticStopAction ?? ''),
        guestControlledCacheTypes: o.GuestControlledCacheTypes === true,
        lowMmio: num(o.LowMemoryMappedIoSpace),
        highMmio: num(o.HighMemoryMappedIoSpace),
        clustered: o.IsClustered === true,
        clusterGroup: strOrNull(o.ClusterGroup),
        clusterResource: strOrNull(o.ClusterResource),
        offlineAction: numOrNull(o.OfflineAction),
      };
    }),
    adapters: list(raw.Adapters).map((a) => {
      const o = a as Obj;
      return {
        vm: String(o.VMName),
        instancePath: String(o.InstancePath),
        id: strOrNull(o.Id) ?? undefined,
        resources: Object.fromEntries(RESOURCE_KEYS.map((k) => [k, numOrNull(o[k])])) as AdapterResources,
        liveMigration: typeof o.SupportsOutgoingLiveMigration === 'boolean' ? o.SupportsOutgoingLiveMigration : null,
      };
    }),
    cluster: raw.Cluster === true,
  };
}

/**
 * `VEN_10DE&DEV_25B6&SUBSYS_157E10DE` from a PCI instance path: the GPU model as the host sees it.
 * The subsystem id is part of it because one chip ships on different boards (an A2 and an A16 share
 * DEV_25B6).
 */
export function gpuModel(name: string): string {
  const m = /VEN_([0-9A-F]{4})&DEV_([0-9A-F]{4})(?:&SUBSYS_([0-9A-F]{8}))?/i.exec(name);
  if (!m) return name;
  return `VEN_${m[1]!.toUpperCase()}&DEV_${m[2]!.toUpperCase()}${m[3] ? `&SUBSYS_${m[3].toUpperCase()}` : ''}`;
}

/** A short, readable label for a GPU instance path (the PCI location part). */
export function gpuLabel(name: string): string {
  const parts = name.split('#');
  return parts.length >= 3 ? `${gpuModel(name)}#${parts[2]}` : name;
}

export const mib = (bytes: number): string => `${Math.floor(bytes / (1024 * 1024))} MB`;

/** VRAM each partition gets with `count` partitions (the driver reports it as MinPartitionVRAM). */
export function vramPerPartition(gpu: PartitionableGpu, count: number): number {
  return count > 0 ? Math.floor(gpu.totalVram / count) : 0;
}

export function globToRegExp(glob: string): RegExp {
  const re = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i');
}

export function selectGpus(gpus: PartitionableGpu[], selector: string | undefined): PartitionableGpu[] {
  if (!selector || selector === 'all' || selector === '*') return gpus;
  const re = globToRegExp(selector);
  return gpus.filter((g) => g.name.toLowerCase() === selector.toLowerCase() || re.test(g.name));
}

export const ps = psQuote;
