// PLAY RECAP counting exactly as ansible-core does it (lib/ansible/plugins/strategy): `ok` counts
// every task that did not fail or skip, so it INCLUDES changed ones; an ignored failure is ok +
// ignored; a failure caught by a rescue is `rescued`, not `failed`; an ignored unreachable host is
// ok + ignored.
import type { HostStats, TaskResult } from '../contract/events.js';
import { ExitCode } from '../contract/diagnostics.js';

export function emptyStats(): HostStats {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
}

/** Adds one task result to a host's counters. */
export function countResult(stats: HostStats, r: Pick<TaskResult, 'status' | 'ignored' | 'rescued'>): void {
  switch (r.status) {
    case 'ok':
      stats.ok++;
      return;
    case 'changed':
      stats.ok++;
      stats.changed++;
      return;
    case 'skipped':
      stats.skipped++;
      return;
    case 'unreachable':
      if (r.ignored) {
        stats.ok++;
        stats.ignored++;
      } else stats.unreachable++;
      return;
    case 'failed':
      if (r.ignored) {
        stats.ok++;
        stats.ignored++;
      } else if (r.rescued) stats.rescued++;
      else stats.failed++;
      return;
  }
}

/**
 * ansible-playbook's exit status: interrupted wins, then any host that is still failed (2), then
 * any unreachable host (4). A host whose failure was rescued, ignored or cleared is not failed.
 */
export function exitCodeFor(s: { interrupted: boolean; failedHosts: number; unreachableHosts: number }): ExitCode {
  if (s.interrupted) return ExitCode.interrupted;
  if (s.failedHosts > 0) return ExitCode.hostFailed;
  if (s.unreachableHosts > 0) return ExitCode.unreachable;
  return ExitCode.ok;
}
