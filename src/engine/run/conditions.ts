// Evaluating task expressions for one host. In check mode, a task skipped because its module
// cannot run in check mode registers a result with no real data; any later expression that reads
// that variable is "undetermined", and the task that holds it is reported skipped instead of
// crashing on a missing attribute or — worse — silently deciding on made-up data.
import type { Loc } from '../contract/diagnostics.js';
import type { Expr, LocMap } from '../contract/playbook.js';
import type { VarLayer } from '../contract/template.js';
import type { HostState } from './host-state.js';
import type { RunContext } from './run-context.js';

export class UndeterminedError extends Error {
  constructor(
    readonly varName: string,
    readonly fromTask: string,
  ) {
    super(`undetermined in check mode: depends on '${varName}' from a task skipped in check mode ('${fromTask}')`);
    this.name = 'UndeterminedError';
  }
}

export class Evaluator {
  constructor(
    private readonly run: RunContext,
    private readonly h: HostState,
    /** Names bound to fresh values here (the task's own register in changed_when/until). */
    private readonly shadowed?: ReadonlySet<string>,
  ) {}

  /** The same evaluator, for expressions where `name` means this task's fresh result. */
  shadowing(name: string): Evaluator {
    return new Evaluator(this.run, this.h, new Set([...(this.shadowed ?? []), name]));
  }

  /** Throws UndeterminedError when `text` reads a variable registered by a check-mode-skipped task. */
  guardText(text: string): void {
    if (this.h.undetermined.size === 0) return;
    let names: string[];
    try {
      names = this.run.templater.referencedVars(text);
    } catch {
      return; // a syntax error is reported by the evaluation itself, with its location
    }
    for (const n of names) {
      if (this.shadowed?.has(n)) continue;
      const from = this.h.undetermined.get(n);
      if (from !== undefined) throw new UndeterminedError(n, from);
    }
  }

  /** guardText over every templated string inside `value`. */
  guardValue(value: unknown): void {
    if (this.h.undetermined.size === 0) return;
    if (typeof value === 'string') {
      if (this.run.templater.isTemplated(value)) this.guardText(value);
    } else if (Array.isArray(value)) value.forEach((v) => this.guardValue(v));
    else if (value && typeof value === 'object') Object.values(value).forEach((v) => this.guardValue(v));
  }

  render(value: unknown, layers: readonly VarLayer[], loc: Loc, locs?: LocMap): unknown {
    this.guardValue(value);
    return this.run.templater.render(value, layers, loc, locs);
  }

  /** A `with_<name>` loop's items from its templated terms. */
  lookup(name: string, terms: unknown[], layers: readonly VarLayer[], loc: Loc): unknown[] {
    return this.run.templater.lookup(name, terms, layers, loc);
  }

  condition(expr: Expr | string | boolean, layers: readonly VarLayer[], loc: Loc): boolean {
    if (typeof expr === 'boolean') return expr;
    const text = typeof expr === 'string' ? expr : expr.text;
    this.guardText(text);
    return this.run.templater.evaluateCondition(text, layers, typeof expr === 'string' ? loc : expr.loc);
  }

  /** A boolean keyword that may be `{{ }}`: rendered, then read as Ansible reads a bool ("yes", "True", 1). */
  flag(v: boolean | Expr | undefined, layers: readonly VarLayer[]): boolean | undefined {
    if (v === undefined || typeof v === 'boolean') return v;
    const r = this.render(v.text, layers, v.loc);
    if (typeof r === 'boolean') return r;
    if (typeof r === 'number') return r !== 0;
    return /^\s*(yes|on|1|true|y|t)\s*$/i.test(String(r));
  }

  /** A number keyword (retries, delay) that may be `{{ }}`. */
  count(v: number | Expr | undefined, layers: readonly VarLayer[], what: string): number | undefined {
    if (v === undefined || typeof v === 'number') return v;
    const r = this.render(v.text, layers, v.loc);
    const n = typeof r === 'number' ? r : Number(String(r).trim());
    if (!Number.isFinite(n) || String(r).trim() === '') throw new Error(`'${what}' must be a number, got '${String(r)}' from '${v.text}'`);
    return n;
  }

  /** The first condition that is false, or undefined when all hold. */
  firstFalse(exprs: readonly Expr[], layers: readonly VarLayer[]): Expr | undefined {
    for (const e of exprs) if (!this.condition(e, layers, e.loc)) return e;
    return undefined;
  }

  /** changed_when / failed_when: a boolean, or a list that must all hold (Ansible's AND). */
  all(value: Expr[] | boolean, layers: readonly VarLayer[], loc: Loc): boolean {
    if (typeof value === 'boolean') return value;
    return value.every((e) => this.condition(e, layers, loc));
  }
}
