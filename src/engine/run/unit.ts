// One module execution on one host (one loop item): template and validate the args, open the
// connection, then read → plan → (apply unless check mode), with until/retries around it and
// changed_when/failed_when after it. Check mode is enforced here and nowhere else.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from '../contract/connection.js';
import { formatDiagnostic } from '../contract/diagnostics.js';
import type { Module, Plan, PlanContext } from '../contract/module.js';
import type { TaskNode } from '../contract/playbook.js';
import type { VarLayer } from '../contract/template.js';
import type { Evaluator } from './conditions.js';
import { delegation, hostConnection, resolveBecome, resolveEnvironment } from './connect.js';
import { RunHostContext } from './host-context.js';
import type { HostState } from './host-state.js';
import type { Keywords } from './inherit.js';
import type { PlayRun, Scope } from './play-state.js';
import { failedOutcome, skippedOutcome, withLines, type Outcome } from './result.js';
import { valueLayer } from './vars.js';
import { verifiable, verifyApplied } from './verify.js';

/** A task as it runs in one play, with its effective keywords. */
export interface TaskExec {
  pr: PlayRun;
  task: TaskNode;
  scope: Scope;
  module: Module | undefined;
  kw: Keywords;
  name: string;
  check: boolean;
  diff: boolean;
  /** Reads already done by a cluster preflight, keyed `host#itemIndex`. */
  readCache?: Map<string, unknown>;
  /** Before the first read on a host: lets the reads of the following tasks go out with it (read-ahead.ts). */
  beforeRead?: (tx: TaskExec, h: HostState, p: PreparedUnit, pooled: Connection | undefined) => Promise<void>;
}

export interface PreparedUnit {
  args: Record<string, unknown>;
  ctx: RunHostContext;
  planCtx: PlanContext;
  delegatedTo?: string;
  /** The host's pooled connection (before per-task tracing), when the module uses one. */
  pooled?: Connection;
}

export function isOutcome(x: PreparedUnit | Outcome): x is Outcome {
  return 'status' in x;
}

/** Templated, validated args and a HostContext; or the failure that prevents running. */
export async function prepareUnit(tx: TaskExec, module: Module, h: HostState, layers: readonly VarLayer[], ev: Evaluator): Promise<PreparedUnit | Outcome> {
  const { task, pr } = tx;
  const run = pr.run;
  // The templater drops arguments that render to `omit`.
  const rendered = ev.render(task.args, layers, task.loc, task.argLocs);
  if (!rendered || typeof rendered !== 'object' || Array.isArray(rendered)) return failedOutcome(`the arguments of '${task.module}' must be a mapping`);
  const { args, diagnostics } = run.services.prepareArgs(module, rendered as Record<string, unknown>, task.argLocs, task.loc);
  const problems = diagnostics.filter((d) => d.severity !== 'warning');
  if (problems.length) return failedOutcome(problems.map(formatDiagnostic).join('\n'));
  const env = resolveEnvironment(tx.kw, layers, task.loc, ev);
  const become = resolveBecome(run, tx.kw, layers, task.loc, ev);
  const del = delegation(run, h, tx.kw, layers, task.loc, ev);
  let conn: Connection | undefined;
  let opened: Connection | undefined;
  if (module.meta.runsOn !== 'controller') {
    const open = () => (del ? del.conn() : hostConnection(run, h, layers, task.loc));
    // A lazy module (wait_for_connection) connects itself: a host that is down is what it waits for.
    opened = module.meta.connect === 'lazy' ? await open().catch(() => undefined) : await open();
    conn = opened && run.connections.forTask(opened, !!tx.kw.noLog);
  }
  const reopen = del || module.meta.runsOn === 'controller'
    ? undefined
    : async (o: { connectTimeoutMs?: number }) => {
        await run.connections.reset(h.name);
        return run.connections.forTask(await hostConnection(run, h, layers, task.loc, o.connectTimeoutMs), !!tx.kw.noLog);
      };
  const ctx = new RunHostContext({
    host: h.name,
    conn,
    moduleName: module.meta.name,
    become,
    env,
    facts: h.facts,
    checkMode: tx.check,
    signal: run.killSignal,
    role: task.role,
    baseDir: task.baseDir,
    playbookDir: run.playbookDir,
    layers,
    renderTemplateFile: run.services.renderTemplateFile,
    loadVarsFile: run.services.loadVarsFile,
    reopen,
  });
  const planCtx: PlanContext = {
    host: h.name,
    checkMode: tx.check,
    facts: h.facts,
    evaluate: (expr) => {
      ev.guardText(expr);
      return run.templater.evaluate(expr, layers, task.loc);
    },
    evaluateCondition: (expr) => ev.condition(expr, layers, task.loc),
  };
  return { args, ctx, planCtx, delegatedTo: del?.target, pooled: del ? undefined : conn && opened };
}

export async function runUnit(tx: TaskExec, module: Module, h: HostState, layers: readonly VarLayer[], ev: Evaluator, itemIndex: number): Promise<Outcome> {
  const prepared = await prepareUnit(tx, module, h, layers, ev);
  if (isOutcome(prepared)) return prepared;
  const { task } = tx;
  const run = tx.pr.run;
  if (belowVerbosity(module, prepared.args, run.opts.verbosity ?? 0)) return skippedOutcome('verbosity threshold not met');
  const until = task.until?.length ? task.until : undefined;
  const attempts = until ? Math.max(1, (ev.count(task.retries, layers, 'retries') ?? 3) + 1) : 1;
  const delayMs = until ? Math.max(0, ev.count(task.delay, layers, 'delay') ?? 5) * 1000 : 0;
  const cacheKey = `${h.name}#${itemIndex}`;
  const regEv = task.register ? ev.shadowing(task.register) : ev;
  let outcome!: Outcome;
  const preread = attempt1Cached(tx, cacheKey);
  if (!preread && tx.beforeRead && itemIndex === 0) await tx.beforeRead(tx, h, prepared, prepared.pooled).catch(() => undefined);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const current = attempt === 1 && preread ? tx.readCache!.get(cacheKey) : await module.read(prepared.ctx, prepared.args);
    outcome = await planAndApply(tx, module, prepared, current, itemIndex);
    outcome.delegatedTo = prepared.delegatedTo;
    if (outcome.status === 'skipped' || outcome.status === 'unreachable' || outcome.fatal) return outcome;
    postConditions(task, outcome, layers, regEv);
    if (!until) break;
    outcome.data.attempts = attempt;
    if (regEv.all(until, withRegister(task, layers, outcome.data), task.loc)) break;
    if (attempt === attempts || run.interrupted) {
      const why = run.interrupted ? 'interrupted before the until condition held' : `until condition not met after ${attempt} attempts`;
      outcome.status = 'failed';
      outcome.data.failed = true;
      // Ansible's count when the retries run out: the retries, not the runs (retries + 1).
      if (!run.interrupted) outcome.data.attempts = attempt - 1;
      outcome.msg = typeof outcome.data.msg === 'string' && outcome.data.msg ? `${outcome.data.msg} (${why})` : why;
      outcome.data.msg = outcome.msg;
      break;
    }
    if (delayMs > 0) await sleep(delayMs, undefined, { signal: run.killSignal }).catch(() => undefined);
  }
  return outcome;
}

const attempt1Cached = (tx: TaskExec, key: string) => tx.readCache?.has(key) ?? false;

async function planAndApply(tx: TaskExec, module: Module, p: PreparedUnit, current: unknown, item: number): Promise<Outcome> {
  const plan: Plan = module.plan(p.args, current, p.planCtx);
  const drift = passGate(tx, module, p, current, plan, item);
  if (drift) return { ...failedOutcome(drift), fatal: true };
  const base: Record<string, unknown> = { ...plan.result };
  const warnings = [...(plan.warnings ?? [])];
  const diff = tx.diff && plan.diff?.length ? plan.diff : undefined;
  if (plan.failed) return { ...failedOutcome(plan.failed, base), diff, warnings };
  const facts = plan.facts;
  if (plan.changes.length === 0) return finish('ok', base, { reason: plan.reason, setVars: plan.setVars, includeVars: plan.includeVars, inventory: plan.inventory, facts, warnings });
  if (tx.check) {
    if (module.meta.checkMode === 'none') return skippedOutcome('not supported in check mode', { undetermined: true, checkMode: true, warnings });
    return finish('changed', base, { checkMode: true, diff, reason: plan.reason, setVars: plan.setVars, includeVars: plan.includeVars, inventory: plan.inventory, facts, warnings });
  }
  const applied = await module.apply(p.ctx, plan);
  Object.assign(base, applied.result);
  warnings.push(...(applied.warnings ?? []));
  const allFacts = applied.facts ? { ...facts, ...applied.facts } : facts;
  if (applied.failed) {
    const o: Outcome = { ...failedOutcome(applied.failed, withLines(base)), diff, warnings };
    // A command that ran and exited non-zero still ran: Ansible reports it changed (recap counts it
    // when the failure is ignored, and failed_when: false turns it into a change).
    if (applied.changed === true) o.data.changed = true;
    return o;
  }
  const changed = applied.changed ?? true;
  if (changed && tx.pr.run.opts.verifyAfterApply && verifiable(module)) {
    const left = await verifyApplied(module, p.args, p.ctx, p.planCtx);
    if (left.length) return { ...failedOutcome(`after apply the host does not match the plan: ${left.join('; ')}`, withLines(base)), diff, warnings };
  }
  return finish(changed ? 'changed' : 'ok', base, { diff: changed ? diff : undefined, reason: plan.reason, setVars: plan.setVars, includeVars: plan.includeVars, inventory: plan.inventory, facts: allFacts, warnings });
}

/** Saved plans: records the unit, or compares it with the stored one ("drifted since plan: ..."). */
function passGate(tx: TaskExec, module: Module, p: PreparedUnit, current: unknown, plan: Plan, item: number): string | undefined {
  const gate = tx.pr.run.opts.planGate;
  if (!gate) return undefined;
  const why = gate.unit({
    host: p.ctx.host,
    taskId: tx.task.id,
    taskName: tx.name,
    module: module.meta.name,
    item,
    state: module.planState ? module.planState(current) : current,
    plan,
    unpredictable: module.meta.checkMode === 'none',
    verifiable: verifiable(module),
    noLog: tx.kw.noLog,
    handler: tx.scope.handler,
    applying: !tx.check,
  });
  return why === undefined ? undefined : `drifted since plan: ${tx.name} on ${p.ctx.host}: ${why}`;
}

/**
 * debug's `verbosity: N` prints only at -v×N or more. A module never sees the run's -v level (its
 * plan must not depend on how loud the output is), so the engine honours the argument, as Ansible's
 * debug action does, with Ansible's skip reason.
 */
function belowVerbosity(module: Module, args: Record<string, unknown>, verbosity: number): boolean {
  return module.meta.name === 'debug' && typeof args.verbosity === 'number' && args.verbosity > verbosity;
}

function finish(status: 'ok' | 'changed', base: Record<string, unknown>, extra: Partial<Outcome>): Outcome {
  const data = withLines({ ...base, changed: status === 'changed', failed: false });
  const o: Outcome = { status, data, ...extra };
  if (typeof base.msg === 'string') o.msg = base.msg;
  if (!o.warnings?.length) delete o.warnings;
  return o;
}

function withRegister(task: TaskNode, layers: readonly VarLayer[], data: Record<string, unknown>): readonly VarLayer[] {
  return task.register ? [...layers, valueLayer('this result', { [task.register]: data })] : layers;
}

/** changed_when, then failed_when (Ansible's order), with the registered name bound to this result. */
function postConditions(task: TaskNode, o: Outcome, layers: readonly VarLayer[], ev: Evaluator): void {
  if (task.changedWhen === undefined && task.failedWhen === undefined) return;
  const condLayers = withRegister(task, layers, o.data);
  if (task.changedWhen !== undefined) {
    const changed = ev.all(task.changedWhen, condLayers, task.loc);
    o.data.changed = changed;
    if (o.status !== 'failed') o.status = changed ? 'changed' : 'ok';
    if (!changed) delete o.diff;
  }
  if (task.failedWhen !== undefined) {
    const failed = ev.all(task.failedWhen, condLayers, task.loc);
    o.data.failed = failed;
    o.data.failed_when_result = failed;
    if (failed && o.status !== 'failed') {
      o.status = 'failed';
      o.msg = typeof o.data.msg === 'string' && o.data.msg ? o.data.msg : 'the failed_when condition is true';
    } else if (!failed && o.status === 'failed') o.status = o.data.changed ? 'changed' : 'ok';
  }
}
