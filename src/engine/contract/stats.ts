// PLAY RECAP counting exactly as ansible-core does it (lib/ansible/plugins/strategy): `ok` counts
// every task that did not fail or skip, so it INCLUDES changed ones; an ignored failure is ok +
// ignored (+ changed when the failed task changed, e.g. a command that exited non-zero); a failure
// caught by a rescue is `rescued`, not `failed`; an ignored unreachable host is ok + ignored. The executor counts the recap with it and the live rows count with it, so both agree.
import type { HostStats, TaskResult } from './events.js';

export function emptyStats(): HostStats {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
}

/** Adds one task result to a host's counters. */
export function countResult(stats: HostStats, r: Pick<TaskResult, 'status' | 'ignored' | 'rescued'> & { data?: Record<string, unknown> }): void {
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
        // Ansible counts the change of an ignored failure (a command that ran and exited non-zero).
        if (r.data?.changed === true) stats.changed++;
      } else if (r.rescued) stats.rescued++;
      else stats.failed++;
      return;
  }
}
