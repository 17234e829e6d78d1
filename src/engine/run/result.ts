// The result record of one task on one host: what reporters get (TaskResult) and what `register`
// stores (Ansible's registered form: changed, failed, skipped, msg, rc, stdout, stdout_lines, ...).
import type { HostStatus, TaskResult } from '../contract/events.js';
import type { InventoryChange } from '../contract/inventory.js';
import type { DiffItem } from '../contract/module.js';

export interface Outcome {
  status: HostStatus;
  msg?: string;
  reason?: string;
  diff?: DiffItem[];
  warnings?: string[];
  /** The registered form. */
  data: Record<string, unknown>;
  checkMode?: boolean;
  /** The registered value is not real (skipped in check mode, or itself undetermined). */
  undetermined?: boolean;
  setVars?: Record<string, unknown>;
  includeVars?: Record<string, unknown>;
  inventory?: InventoryChange[];
  facts?: Record<string, unknown>;
  items?: Array<Outcome & { label: string }>;
  /** delegate_to target, when not the host itself. */
  delegatedTo?: string;
  /** A failure no rescue, ignore_errors or failed_when may turn into success (drift from a saved plan). */
  fatal?: boolean;
}

export const HIDDEN = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

export function skippedOutcome(reason: string, extra: Partial<Outcome> = {}): Outcome {
  return { status: 'skipped', reason, data: { changed: false, skipped: true, skip_reason: reason }, ...extra };
}

export function failedOutcome(msg: string, data: Record<string, unknown> = {}): Outcome {
  return { status: 'failed', msg, data: { ...data, changed: false, failed: true, msg } };
}

export function unreachableOutcome(msg: string): Outcome {
  return { status: 'unreachable', msg, data: { changed: false, unreachable: true, msg } };
}

/** Adds stdout_lines / stderr_lines next to stdout / stderr, as Ansible's registered results have. */
export function withLines(data: Record<string, unknown>): Record<string, unknown> {
  for (const key of ['stdout', 'stderr']) {
    const text = data[key];
    if (typeof text === 'string' && !(`${key}_lines` in data)) data[`${key}_lines`] = splitLines(text);
  }
  return data;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** One loop task's result from its items' results. */
export function aggregateItems(items: Array<Outcome & { label: string }>): Outcome {
  const anyFailed = items.some((i) => i.status === 'failed');
  const anyUnreachable = items.some((i) => i.status === 'unreachable');
  const allSkipped = items.length > 0 && items.every((i) => i.status === 'skipped');
  const anyChanged = items.some((i) => i.status === 'changed');
  const status: HostStatus = anyUnreachable ? 'unreachable' : anyFailed ? 'failed' : allSkipped ? 'skipped' : anyChanged ? 'changed' : 'ok';
  const msg = anyFailed || anyUnreachable ? 'One or more items failed' : allSkipped ? 'All items skipped' : 'All items completed';
  const data: Record<string, unknown> = {
    changed: anyChanged,
    failed: anyFailed,
    msg,
    results: items.map((i) => i.data),
  };
  if (allSkipped) data.skipped = true;
  const out: Outcome = { status, msg: anyFailed ? msg : undefined, data, items, checkMode: items.some((i) => i.checkMode) };
  if (anyFailed) out.msg = items.find((i) => i.status === 'failed')?.msg ?? msg;
  const diff = items.flatMap((i) => i.diff ?? []);
  if (diff.length) out.diff = diff;
  const warnings = items.flatMap((i) => i.warnings ?? []);
  if (warnings.length) out.warnings = warnings;
  if (items.some((i) => i.undetermined)) out.undetermined = true;
  for (const i of items) {
    if (i.setVars) out.setVars = { ...out.setVars, ...i.setVars };
    if (i.includeVars) out.includeVars = { ...out.includeVars, ...i.includeVars };
    if (i.inventory) out.inventory = [...(out.inventory ?? []), ...i.inventory];
    if (i.facts) out.facts = { ...out.facts, ...i.facts };
  }
  if (allSkipped) out.reason = items[0]?.reason;
  return out;
}

/** What reporters receive; no_log hides everything but the status. */
export function toTaskResult(o: Outcome, extra: { durationMs: number; noLog: boolean; ignored?: boolean; rescued?: boolean; delegatedTo?: string }): TaskResult {
  if (extra.noLog) {
    const data: Record<string, unknown> = { censored: HIDDEN, changed: o.data.changed ?? false };
    if (o.status === 'failed') data.failed = true;
    if (o.status === 'skipped') data.skipped = true;
    return {
      status: o.status,
      ignored: extra.ignored,
      rescued: extra.rescued,
      reason: o.status === 'skipped' ? o.reason : undefined,
      data,
      items: o.items?.map((i) => ({ ...toTaskResult(i, { durationMs: 0, noLog: true }), label: '(censored)' })),
      checkMode: o.checkMode,
      noLog: true,
      durationMs: extra.durationMs,
      delegatedTo: extra.delegatedTo,
    };
  }
  const r: TaskResult = { status: o.status, data: o.data, durationMs: extra.durationMs };
  if (o.msg !== undefined) r.msg = o.msg;
  if (o.reason !== undefined) r.reason = o.reason;
  if (o.diff?.length) r.diff = o.diff;
  if (o.warnings?.length) r.warnings = o.warnings;
  if (o.items) r.items = o.items.map((i) => ({ ...toTaskResult(i, { durationMs: 0, noLog: false }), label: i.label }));
  if (o.checkMode) r.checkMode = true;
  if (extra.ignored) r.ignored = true;
  if (extra.rescued) r.rescued = true;
  if (extra.delegatedTo) r.delegatedTo = extra.delegatedTo;
  return r;
}
