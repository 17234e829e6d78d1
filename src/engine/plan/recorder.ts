// `fleetplay plan`: the gate of a check-mode run that writes down every unit as it passes.
import type { GateUnit, PlanGate } from './gate.js';
import { planSubject, unitStatus } from './gate.js';
import { redactDiff, reviewValue, saltedDigest, type HostPlan, type SavedUnit } from './saved-plan.js';

export class PlanRecorder implements PlanGate {
  readonly hosts: Record<string, HostPlan> = {};

  constructor(
    private readonly salt: string,
    private readonly redact: (text: string) => string,
  ) {}

  unit(u: GateUnit): undefined {
    const host = (this.hosts[u.host] ??= { units: [], handlers: [] });
    host.units.push(savedUnit(u, this.salt, this.redact));
    if (u.handler && !host.handlers.includes(u.taskName)) host.handlers.push(u.taskName);
    return undefined;
  }
}

export function savedUnit(u: GateUnit, salt: string, redact: (text: string) => string): SavedUnit {
  const status = unitStatus(u.plan, u.unpredictable);
  const unit: SavedUnit = {
    task: u.taskId,
    name: u.taskName,
    module: u.module,
    item: u.item,
    status,
    state: saltedDigest(salt, u.state ?? null),
    plan: saltedDigest(salt, planSubject(u.plan)),
  };
  if (u.handler) unit.handler = true;
  if (u.noLog) {
    unit.noLog = true;
    return unit;
  }
  const reason = u.plan.failed ?? u.plan.reason;
  if (reason) unit.reason = redact(reason);
  if (u.plan.changes.length) unit.changes = reviewValue(u.plan.changes, redact);
  const diff = redactDiff(u.plan.diff, redact);
  if (diff) unit.diff = diff;
  if ((status === 'change' || status === 'will-run') && !u.verifiable) unit.notVerifiable = true;
  return unit;
}
