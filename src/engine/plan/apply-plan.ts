// Applying a saved plan: first a drift check (a check-mode run of the plan's hosts through a
// PlanChecker), then the real run on the hosts that did not drift, each unit checked again before it
// changes anything, handlers limited to those the plan ran, and every change verified after apply.
import { ExitCode, type ExitCode as Code } from '../contract/diagnostics.js';
import type { RunSummary } from '../run/options.js';
import { PlanChecker } from './checker.js';
import type { PlanGate } from './gate.js';
import type { SavedPlan } from './saved-plan.js';

export interface PassOptions {
  checkMode: boolean;
  gate: PlanGate;
  hosts: string[];
  /** The drift check's output is the CLI's own summary, not the usual task lines. */
  quiet: boolean;
}

export interface ApplyPlanResult {
  /** host → why it drifted (not applied). */
  drifted: Map<string, string>;
  /** The real run's summary; none when nothing was applied (all drifted, or all-or-nothing). */
  summary?: RunSummary;
  /** Units that planned other changes than saved because an earlier change of the run came first. */
  followed: Array<{ host: string; task: string }>;
  exitCode: Code;
}

export async function applySavedPlan(
  saved: SavedPlan,
  runPass: (o: PassOptions) => Promise<RunSummary>,
  opts: { hosts: string[]; allOrNothing: boolean; redact: (text: string) => string },
): Promise<ApplyPlanResult> {
  const check = new PlanChecker(saved.hosts, saved.salt, 'drift-check', opts.redact);
  const checked = await runPass({ checkMode: true, gate: check, hosts: opts.hosts, quiet: true });
  const drifted = check.drifted();
  for (const host of opts.hosts) {
    if (drifted.has(host) || checked.stats[host]?.unreachable) continue;
    const left = check.unreached(host);
    if (left.length) drifted.set(host, `the run no longer reaches '${left[0]!.name}' (the plan's next task)`);
  }
  const go = opts.hosts.filter((h) => !drifted.has(h));
  if (!go.length || (opts.allOrNothing && drifted.size > 0)) {
    return { drifted, followed: [], exitCode: drifted.size ? ExitCode.hostFailed : checked.exitCode };
  }
  const apply = new PlanChecker(saved.hosts, saved.salt, 'apply', opts.redact);
  const summary = await runPass({ checkMode: false, gate: apply, hosts: go, quiet: false });
  const late = apply.drifted();
  for (const [h, why] of late) drifted.set(h, why);
  // A drifted host is a failed host: it outranks unreachable ones, an interrupt outranks both.
  const exitCode = drifted.size && (summary.exitCode === ExitCode.ok || summary.exitCode === ExitCode.unreachable) ? ExitCode.hostFailed : summary.exitCode;
  return { drifted, summary, followed: apply.followedEarlierChanges, exitCode };
}
