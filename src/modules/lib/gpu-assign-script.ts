// The PowerShell that carries out one VM's planned GPU-P change. Hyper-V changes partition adapters
// and the VM settings GPU-P needs only while the VM is off, so the script records the VM's state,
// brings it off the gentlest allowed way, changes it, and restores the state it found.
import { ps } from './hyperv.js';
import type { AdapterAction, Setting } from './gpu-assign-plan.js';

export interface VmChange {
  vm: string;
  /** The power state read at plan time (the script re-reads it). */
  state: string;
  /** Some change needs the VM off (adapter or prerequisites). */
  needsOff: boolean;
  adapter: AdapterAction;
  settings: Setting[];
  shutdownTimeout: number;
  forceOff: boolean;
  discardSavedState: boolean;
  /** Start it again afterwards if it was running. */
  restart: boolean;
}

/** Polling step of the graceful-shutdown wait, seconds. */
const POLL_S = 2;

function offScript(c: VmChange): string[] {
  const vm = ps(c.vm);
  const hung = `VM ${c.vm} did not shut down within ${c.shutdownTimeout} s (the guest ignored or is still processing the shutdown request)`;
  return [
    // Graceful first: -AsJob returns at once, so a guest that ignores the request cannot hang the run.
    "if ($prior -eq 'Running') {",
    `  Stop-VM -Name ${vm} -Force -AsJob | Out-Null`,
    `  for ($i = 0; $i -lt ${Math.ceil(c.shutdownTimeout / POLL_S)}; $i++) { if ([string](Get-VM -Name ${vm}).State -eq 'Off') { break }; Start-Sleep -Seconds ${POLL_S} }`,
    `  if ([string](Get-VM -Name ${vm}).State -ne 'Off') {`,
    c.forceOff ? `    Stop-VM -Name ${vm} -TurnOff -Force` : `    throw ${ps(`${hung}; set force_off: true to turn it off`)}`,
    '  }',
    "} elseif ($prior -eq 'Saved') {",
    // A saved state cannot be resumed once the VM's devices change.
    c.discardSavedState ? `  Remove-VMSavedState -VMName ${vm}` : `  throw ${ps(`VM ${c.vm} is in a saved state, which cannot be resumed after a device change; set discard_saved_state: true to discard it`)}`,
    "} elseif ($prior -ne 'Off') {",
    c.forceOff ? `  Stop-VM -Name ${vm} -TurnOff -Force` : `  throw (${ps(`VM ${c.vm} is `)} + $prior + '; set force_off: true to turn it off')`,
    '}',
  ];
}

function adapterScript(a: AdapterAction, vm: string): string[] {
  switch (a.kind) {
    case 'none':
      return [];
    case 'add':
      return [[`Add-VMGpuPartitionAdapter -VMName ${vm} -InstancePath ${ps(a.gpu)}`, ...a.flags].join(' ')];
    case 'set':
      return [[`Set-VMGpuPartitionAdapter -VMName ${vm}`, ...a.flags].join(' ')];
    case 'move':
      return [`Remove-VMGpuPartitionAdapter -VMName ${vm}`, [`Add-VMGpuPartitionAdapter -VMName ${vm} -InstancePath ${ps(a.gpu)}`, ...a.flags].join(' ')];
    case 'remove':
      return [`Remove-VMGpuPartitionAdapter -VMName ${vm}`];
  }
}

export function applyScript(c: VmChange): string {
  const vm = ps(c.vm);
  const live = c.settings.filter((s) => !s.offline).map((s) => s.command);
  if (!c.needsOff) return ["$ErrorActionPreference = 'Stop'", ...live].join('\n');
  const body = [...c.settings.filter((s) => s.offline).map((s) => s.command), ...adapterScript(c.adapter, vm)];
  const start = `if ($prior -eq 'Running') { Start-VM -Name ${vm} }`;
  return [
    "$ErrorActionPreference = 'Stop'",
    `$prior = [string](Get-VM -Name ${vm}).State`,
    ...live,
    ...offScript(c),
    'try {',
    ...body.map((l) => `  ${l}`),
    '} catch {',
    // Put a running VM back even when the change failed, then report the failure.
    `  ${start}`,
    '  throw $_',
    '}',
    c.restart ? start : '',
  ].join('\n');
}
