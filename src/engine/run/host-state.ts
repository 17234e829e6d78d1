// Everything the executor remembers about one host for the whole run: its variables that change at
// run time (facts, registered results, set_fact), its failure state, notified handlers and stats.
import type { HostStats } from '../contract/events.js';
import type { HandlerNode, Loc } from '../contract/index.js';
import type { VarLayer } from '../contract/template.js';
import { emptyStats } from '../contract/stats.js';

export interface FailureInfo {
  task: string;
  loc?: Loc;
  result: Record<string, unknown>;
}

export class HostState {
  readonly name: string;
  /** Inventory vars merged by the inventory (groups then host); trusted, templated on use. */
  readonly inventoryLayer: VarLayer;
  /** ansible_facts plus the ansible_<name> aliases; values came from the host: never templated. */
  readonly factsLayer: VarLayer;
  /** include_vars results: from the playbook's files, so templated on use; below set_fact. */
  readonly includedLayer: VarLayer;
  /** register and set_fact results: the same precedence level in Ansible; never templated. */
  readonly runtimeLayer: VarLayer;
  readonly facts: Record<string, unknown> = {};
  groupNames: readonly string[];
  readonly stats: HostStats = emptyStats();
  /** Registered names whose task was skipped in check mode → the task's name (for "undetermined"). */
  readonly undetermined = new Map<string, string>();
  /** Handlers notified and not yet run (run in definition order at the next flush). */
  readonly notified = new Set<HandlerNode>();

  /** Failed and not (yet) cleared: takes no further tasks in this run except `always`/rescue. */
  failed = false;
  /** The failure happened where an enclosing block's rescue will catch it. */
  failedRescuable = false;
  unreachable = false;
  /** meta: end_host / end_play for this play. */
  ended = false;
  /** Grows at each `meta: clear_host_errors`: an `always` section that saw it grow leaves the host's failure cleared. */
  errorsCleared = 0;
  /** The task this host started last (reported on interrupt). */
  lastTask?: string;
  /** The failure a rescue section sees as ansible_failed_task / ansible_failed_result. */
  lastFailure?: FailureInfo;

  private readonly factsVars: Record<string, unknown>;
  private readonly runtimeVars: Record<string, unknown> = {};
  private readonly includedVars: Record<string, unknown> = {};
  private changes = 0;

  constructor(name: string, inventoryVars: Record<string, unknown>, groupNames: readonly string[]) {
    this.name = name;
    this.groupNames = groupNames;
    this.inventoryLayer = { name: `inventory vars of ${name}`, vars: inventoryVars, trusted: true };
    this.factsVars = { ansible_facts: this.facts };
    this.factsLayer = { name: `facts of ${name}`, vars: this.factsVars, trusted: false };
    this.includedLayer = { name: `include_vars of ${name}`, vars: this.includedVars, trusted: true };
    this.runtimeLayer = { name: `registered vars and set_fact of ${name}`, vars: this.runtimeVars, trusted: false };
  }

  /** The inventory changed at run time (add_host, group_by): the layer object stays, its vars are replaced. */
  refreshInventory(vars: Record<string, unknown>, groupNames: readonly string[]): void {
    const mine = this.inventoryLayer.vars as Record<string, unknown>;
    for (const k of Object.keys(mine)) delete mine[k];
    Object.assign(mine, vars);
    this.groupNames = groupNames;
    this.changes++;
  }

  /** Grows whenever this host's variables change: what was worked out from them may be stale. */
  get version(): number {
    return this.changes;
  }

  get inventoryVars(): Readonly<Record<string, unknown>> {
    return this.inventoryLayer.vars;
  }

  get runtime(): Readonly<Record<string, unknown>> {
    return this.runtimeVars;
  }

  /** Active = still takes tasks in the current play. */
  get active(): boolean {
    return !this.failed && !this.unreachable && !this.ended;
  }

  mergeFacts(facts: Record<string, unknown>): void {
    this.changes++;
    for (const [k, v] of Object.entries(facts)) {
      const short = k.startsWith('ansible_') ? k.slice('ansible_'.length) : k;
      this.facts[short] = v;
      this.factsVars[`ansible_${short}`] = v;
    }
  }

  /** register / set_fact; a value set for real makes the name determined again. */
  setVar(name: string, value: unknown, undeterminedBecause?: string): void {
    this.runtimeVars[name] = value;
    this.changes++;
    if (undeterminedBecause) this.undetermined.set(name, undeterminedBecause);
    else this.undetermined.delete(name);
  }

  /** include_vars: later files win; a name set for real is determined again. */
  includeVars(vars: Record<string, unknown>): void {
    Object.assign(this.includedVars, vars);
    this.changes++;
    for (const k of Object.keys(vars)) this.undetermined.delete(k);
  }

  markFailed(rescuable: boolean, failure: FailureInfo): void {
    this.failed = true;
    this.failedRescuable = rescuable;
    this.lastFailure = failure;
  }
}
