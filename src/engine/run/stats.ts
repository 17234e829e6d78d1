// The run's exit status; the recap counting itself is part of the event contract
// (contract/stats.ts), so the reporters' running counters and the recap cannot disagree.
import { ExitCode } from '../contract/diagnostics.js';


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
