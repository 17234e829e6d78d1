// The saved plan (`fleetplay plan --out plan.fpplan`): what a check-mode run read and planned, per
// host and per task, bound to the inputs it was made from. Secrets never enter it: diffs and changes
// pass the run's redactor, no_log units keep only their digests, and digests are salted per plan so
// that a digest cannot be matched against a table of guessed values.
import { createHash, randomBytes } from 'node:crypto';
import type { DiffItem } from '../contract/module.js';
import { planDigest } from './codec.js';
import type { UnitStatus } from './gate.js';
import type { PlanInputs, PlanInvocation, PlanSummary } from './schema.js';

export const PLAN_FORMAT = 'fleetplay-plan';
export const PLAN_VERSION = 1 as const;

export interface SavedUnit {
  /** Task id in the run ("play0/t3") and its display name. */
  task: string;
  name: string;
  module: string;
  item: number;
  status: UnitStatus;
  reason?: string;
  /** Salted digests of what read returned and of what the plan will do. */
  state: string;
  plan: string;
  /** The planned changes for review (redacted; content as size + digest). */
  changes?: unknown;
  diff?: DiffItem[];
  handler?: boolean;
  /** The module cannot show after apply that the host matches (command, a restart...). */
  notVerifiable?: boolean;
  noLog?: boolean;
}

export interface HostPlan {
  units: SavedUnit[];
  /** Handlers the plan ran on this host (a real run runs these and no others). */
  handlers: string[];
}

export interface SavedPlan {
  format: typeof PLAN_FORMAT;
  version: typeof PLAN_VERSION;
  created: string;
  fleetplay: string;
  salt: string;
  /** What the plan was made from (digests; checked again by apply). */
  inputs: PlanInputs;
  /** How to run it again: playbook and inventory paths, options (no secret values). */
  invocation: PlanInvocation;
  hosts: Record<string, HostPlan>;
  /** Ed25519 signature over the plan without this field (fleetplay plan --sign-key). */
  signature?: string;
  summary?: PlanSummary;
}

export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

/** sha256 over the salt and the value's canonical form. */
export function saltedDigest(salt: string, value: unknown): string {
  return createHash('sha256').update(salt).update(planDigest(value)).digest('hex');
}

const LONG_TEXT = 400;

/**
 * The changes as a reviewer sees them: Buffers and long strings become their size and digest (the
 * diff shows content), everything passes the redactor.
 */
export function reviewValue(value: unknown, redact: (text: string) => string): unknown {
  const walk = (v: unknown): unknown => {
    if (Buffer.isBuffer(v)) return `<${v.length} bytes, sha256:${createHash('sha256').update(v).digest('hex').slice(0, 16)}>`;
    if (typeof v === 'string') {
      const r = redact(v);
      return r.length > LONG_TEXT ? `<${r.length} characters, sha256:${createHash('sha256').update(v).digest('hex').slice(0, 16)}>` : r;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value);
}

export function redactDiff(diff: DiffItem[] | undefined, redact: (text: string) => string): DiffItem[] | undefined {
  if (!diff?.length) return undefined;
  return diff.map((d) =>
    d.kind === 'text'
      ? { ...d, before: redact(d.before), after: redact(d.after) }
      : { ...d, fields: d.fields.map((f) => ({ key: f.key, before: reviewValue(f.before, redact), after: reviewValue(f.after, redact) })) },
  );
}
