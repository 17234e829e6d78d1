// Secrets never reach output: every event a reporter receives (text, -vvv, live, JSON report) and every
// error message the CLI prints passes through a Redactor, which masks known secret values wherever
// they appear, even inside longer strings (a command line, a diff, an error from a host).
//
// What is secret (besides whole results of `no_log: true` tasks, which the executor already hides):
// the value of any variable — at any depth of a dict — whose name contains `password`, `passwd`,
// `passphrase`, `secret`, `token`, `api_key`/`apikey` or `private_key`, or ends in `_pass`/`_pw`
// (case-insensitive): `ansible_password`, `ansible_become_password`, `ansible_ssh_pass`,
// `ansible_winrm_password`, `vault_db_secret`, `client_token`, ... Sources: inventory and host/group
// vars, `-e` extra vars, play vars and vars_files, and `set_fact` results as they happen. Values
// shorter than MIN_SECRET_LENGTH are not masked (masking every "ab" in all output would garble it).
import type { Reporter, RunEvent } from '../contract/events.js';

export const MASK = '********';
export const MIN_SECRET_LENGTH = 4;

import { isSecretName } from '../contract/secret-names.js';

export { isSecretName };

/** Every scalar under a secret-named key of `vars` (recursively), as strings. */
export function secretValues(vars: unknown, underSecret = false, out: string[] = []): string[] {
  if (vars === null || vars === undefined) return out;
  if (Array.isArray(vars)) {
    for (const v of vars) secretValues(v, underSecret, out);
  } else if (typeof vars === 'object') {
    for (const [k, v] of Object.entries(vars)) secretValues(v, underSecret || isSecretName(k), out);
  } else if (underSecret && (typeof vars === 'string' || typeof vars === 'number' || typeof vars === 'bigint')) {
    out.push(String(vars));
  }
  return out;
}

export class Redactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  get size(): number {
    return this.secrets.size;
  }

  add(values: Iterable<string>): void {
    for (const v of values) {
      if (v.length < MIN_SECRET_LENGTH || this.secrets.has(v)) continue;
      this.secrets.add(v);
      this.pattern = undefined;
      // A secret also leaks through its common encodings in output (JSON strings, shell quoting).
      const json = JSON.stringify(v).slice(1, -1);
      if (json !== v) this.secrets.add(json);
    }
  }

  text(s: string): string {
    if (this.secrets.size === 0 || s.length < MIN_SECRET_LENGTH) return s;
    // Longest first, so a secret containing another is masked whole.
    this.pattern ??= new RegExp([...this.secrets].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
    return s.replace(this.pattern, MASK);
  }

  /** A deep copy of `v` with every string masked (keys too: a secret may be used as a dict key). */
  value<T>(v: T): T {
    if (this.secrets.size === 0) return v;
    return this.walk(v, new Map()) as T;
  }

  private walk(v: unknown, seen: Map<object, unknown>): unknown {
    if (typeof v === 'string') return this.text(v);
    if (v === null || typeof v !== 'object') return v;
    const prior = seen.get(v);
    if (prior) return prior;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      for (const item of v) out.push(this.walk(item, seen));
      return out;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v;
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const [k, item] of Object.entries(v)) {
      Object.defineProperty(out, this.text(k), { value: this.walk(item, seen), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Wraps a reporter: secrets set with set_fact are learned as results arrive; every event is masked. */
export function createRedactingReporter(inner: Reporter, redactor: Redactor): Reporter {
  return {
    on(event: RunEvent) {
      if (event.type === 'host_result') {
        const facts = event.result.data.ansible_facts;
        if (facts && typeof facts === 'object' && !event.result.noLog) redactor.add(secretValues(facts));
      }
      inner.on(redactor.value(event));
    },
    close: () => inner.close(),
  };
}
