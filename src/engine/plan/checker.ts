// `fleetplay apply`: the gate that compares each unit with the saved plan.
//
// Two passes use it. The drift check is a check-mode run over the saved plan's hosts: the host has
// not changed since the plan exactly when every unit reads and plans what was saved, in the same
// order; the first difference names the task and what differs, and the host is not applied. The real
// run then checks each unit again just before it changes anything (a change made between the two
// passes stops the host). Once an earlier task of this run changed the host, a later task may read
// what that change left (two edits of one file): its changes may then differ from the saved ones,
// but a task the plan left unchanged (or never reached) must not change anything.
import type { GateUnit, PlanGate } from './gate.js';
import { planSubject, unitStatus } from './gate.js';
import { saltedDigest, type HostPlan, type SavedUnit } from './saved-plan.js';

export type CheckPass = 'drift-check' | 'apply';

interface HostCursor {
  at: number;
  changed: boolean;
  drift?: string;
}

export class PlanChecker implements PlanGate {
  private readonly cursors = new Map<string, HostCursor>();
  /** Units that ran after earlier changes of the same host with other changes than planned. */
  readonly followedEarlierChanges: Array<{ host: string; task: string }> = [];

  constructor(
    private readonly hosts: Readonly<Record<string, HostPlan>>,
    private readonly salt: string,
    private readonly pass: CheckPass,
    private readonly redact: (text: string) => string,
  ) {}

  unit(u: GateUnit): string | undefined {
    const plan = this.hosts[u.host];
    if (!plan) return this.stop(u, 'the host is not in the plan');
    const cur = this.cursor(u.host);
    const status = unitStatus(u.plan, u.unpredictable);
    const state = saltedDigest(this.salt, u.state ?? null);
    const planned = saltedDigest(this.salt, planSubject(u.plan));
    const idx = this.find(plan.units, cur.at, u);
    const now = this.describe(u);
    if (this.pass === 'drift-check' || !cur.changed) {
      if (idx !== cur.at) {
        const expected = plan.units[cur.at];
        return this.stop(u, expected ? `the plan's next task is '${label(expected)}', but the run reached '${u.taskName}'` : `'${u.taskName}' is not in the plan`);
      }
      const saved = plan.units[idx]!;
      cur.at = idx + 1;
      if (saved.plan !== planned) return this.stop(u, `planned: ${saved.reason ?? saved.status}; now: ${now}`);
      if (saved.state !== state) return this.stop(u, `what ${u.module} read is not what it read when the plan was made (planned: ${saved.reason ?? saved.status})`);
      if (u.applying && status !== 'ok') cur.changed = true;
      return undefined;
    }
    // The host already changed in this run: later reads may see those changes.
    if (idx < 0) {
      if (status === 'ok') return undefined;
      return this.stop(u, `'${u.taskName}' would ${now}, which the plan does not hold`);
    }
    const saved = plan.units[idx]!;
    cur.at = idx + 1;
    if (saved.plan === planned) return undefined;
    if (status !== 'ok' && saved.status === 'ok') return this.stop(u, `planned: nothing to do; now: ${now}`);
    if (status !== 'ok') this.followedEarlierChanges.push({ host: u.host, task: u.taskName });
    return undefined;
  }

  allowHandler(host: string, handler: string): boolean {
    return this.hosts[host]?.handlers.includes(handler) ?? false;
  }

  /** Hosts that drifted, with the first difference found. */
  drifted(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [h, c] of this.cursors) if (c.drift) out.set(h, c.drift);
    return out;
  }

  /** Planned units a host never reached (the drift check ran a shorter path). */
  unreached(host: string): SavedUnit[] {
    const plan = this.hosts[host];
    if (!plan) return [];
    return plan.units.slice(this.cursors.get(host)?.at ?? 0);
  }

  private cursor(host: string): HostCursor {
    let c = this.cursors.get(host);
    if (!c) this.cursors.set(host, (c = { at: 0, changed: false }));
    return c;
  }

  /** Where this unit is in the host's saved list, at or after `from` (-1: not there). */
  private find(units: readonly SavedUnit[], from: number, u: GateUnit): number {
    for (let i = from; i < units.length; i++) if (units[i]!.task === u.taskId && units[i]!.item === u.item) return i;
    return -1;
  }

  private describe(u: GateUnit): string {
    if (u.noLog) return 'something else (details hidden by no_log)';
    if (u.plan.failed) return `fails: ${this.redact(u.plan.failed)}`;
    if (!u.plan.changes.length) return 'nothing to do';
    return this.redact(u.plan.reason ?? `${u.plan.changes.length} change(s)`);
  }

  /** The unit's failure says why; the host's drift record also names the task. */
  private stop(u: GateUnit, why: string): string {
    const c = this.cursor(u.host);
    c.drift ??= `${label({ name: u.taskName, item: u.item })}: ${why}`;
    return why;
  }
}

const label = (u: Pick<SavedUnit, 'name' | 'item'>) => (u.item ? `${u.name} (item ${u.item})` : u.name);
