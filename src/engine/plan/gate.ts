// The engine's side of saved plans: every module unit (one task on one host, one loop item) passes
// the gate after its plan is made. Recording (`fleetplay plan`) stores what was read and planned;
// checking (`fleetplay apply`) compares the same unit with what was stored and names what drifted.
import type { DiffItem, Plan } from '../contract/module.js';

/** What the executor hands the gate for one unit. */
export interface GateUnit {
  host: string;
  /** The task's stable id in the run ("play0/t3") and its display name. */
  taskId: string;
  taskName: string;
  module: string;
  /** Loop item index (0 without a loop). */
  item: number;
  /** What read returned, as far as it says whether the host changed (Module.planState). */
  state: unknown;
  plan: Plan;
  /** The module's check mode is 'none' (command, shell…): a planned change is "will run". */
  unpredictable: boolean;
  /** The module can show after apply that the host matches the plan. */
  verifiable: boolean;
  noLog: boolean;
  /** A handler's unit (saved plans list the handlers that ran). */
  handler: boolean;
  /** The unit runs for real (not check mode): its changes are about to be applied. */
  applying: boolean;
}

export interface PlanGate {
  /** Returns why the host must stop (it drifted since the plan), or undefined to go on. */
  unit(u: GateUnit): string | undefined;
  /** Whether a notified handler may run on the host (saved plans: only the handlers the plan ran). */
  allowHandler?(host: string, handler: string): boolean;
}

/** The planned change, as a reviewer reads it: a diff and a sentence, never a secret. */
export type UnitStatus = 'change' | 'ok' | 'will-run' | 'failed';

export function unitStatus(plan: Plan, unpredictable: boolean): UnitStatus {
  if (plan.failed) return 'failed';
  if (plan.changes.length === 0) return 'ok';
  return unpredictable ? 'will-run' : 'change';
}

/** What a plan digest covers: what the unit will do and show, not timings in `result`. */
export function planSubject(plan: Plan): unknown {
  return { changes: plan.changes, diff: plan.diff, failed: plan.failed, setVars: plan.setVars, facts: plan.facts };
}

export type { DiffItem };
