// What a boot of the lab host changes in its model: a new boot time, no pending reboot, pending
// feature changes done, and services as the Service Control Manager starts them (automatic ones
// running, the rest stopped, deleted ones gone). The WinRM listener's downtime is the server's part.

import { bootFeatures } from './features.js';
import { services } from './services.js';
import type { LabState } from './state.js';

/** The boot time a host that never rebooted in the lab reports (one minute later per recorded reboot). */
export function lastBootTime(s: LabState): Date {
  return new Date(s.bootTimeMs ?? Date.UTC(2025, 0, 1) + s.reboots * 60_000);
}

export function bootHost(s: LabState, now = Date.now()): void {
  s.reboots++;
  // Strictly later, even for two boots within one clock tick.
  s.bootTimeMs = Math.max(now, lastBootTime(s).getTime() + 1000);
  s.pendingReboot = false;
  bootFeatures(s);
  s.services = services(s).filter((x) => !x.deletePending);
  for (const x of s.services) x.status = x.startMode === 'Auto' ? 'Running' : 'Stopped';
}
