// The user-facing contract for bad input, as checks the fuzzers share: a rejection is an
// InvalidInputError whose every diagnostic has a real place (file:line:col) and a message written for
// a person, not a JavaScript error leaking through; nothing else may escape.
import { expect } from 'vitest';
import { InvalidInputError, UsageError, formatDiagnostic, type Diagnostic } from '../../src/engine/contract/diagnostics.js';

/** A JavaScript stack frame in output (`    at fn (file.ts:12:3)`). */
export const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

/** Phrases of JavaScript runtime errors that must never reach a user as a diagnostic. */
const JS_ERROR_TEXT = /\[object Object\]|Cannot read propert|Cannot set propert|is not a function|cannot read property Symbol|is not a constructor|Maximum call stack|undefined \(reading|Unexpected token .* in JSON|Invalid array length|ERR_[A-Z_]+/;

export interface Outcome {
  accepted: boolean;
  messages: string[];
}

export function checkDiagnostic(d: Diagnostic, input: string): void {
  const where = `${formatDiagnostic(d)}\n--- input ---\n${input}`;
  expect(d.loc, `diagnostic without a location: ${where}`).toBeDefined();
  expect(d.loc!.file, where).toMatch(/\S/);
  expect(Number.isInteger(d.loc!.line) && d.loc!.line >= 1, `bad line in ${where}`).toBe(true);
  expect(Number.isInteger(d.loc!.col) && d.loc!.col >= 1, `bad column in ${where}`).toBe(true);
  expect(d.message, where).toMatch(/\S/);
  expect(d.message, where).not.toMatch(JS_ERROR_TEXT);
}

/**
 * Runs `work`; it must resolve, or reject with a located InvalidInputError. `input` is shown when the
 * contract is broken, so a failure reads as a reproduction.
 */
export async function expectResolvesOrLocated(work: () => unknown, input: string, opts: { usage?: RegExp } = {}): Promise<Outcome> {
  const protoBefore = Object.getOwnPropertyNames(Object.prototype).join();
  try {
    await work();
    return { accepted: true, messages: [] };
  } catch (err) {
    // Command-line values (a missing -e @file) are usage errors: exit 5, no file to place them in.
    if (opts.usage && err instanceof UsageError && opts.usage.test(err.message)) return { accepted: false, messages: [err.message] };
    if (!(err instanceof InvalidInputError)) {
      const e = err as Error;
      throw new Error(`not an InvalidInputError: ${e?.name}: ${e?.message}\n${e?.stack ?? ''}\n--- input ---\n${input}`);
    }
    expect(err.diagnostics.length, input).toBeGreaterThan(0);
    for (const d of err.diagnostics) checkDiagnostic(d, input);
    return { accepted: false, messages: err.diagnostics.map((d) => d.message) };
  } finally {
    // A YAML key like `__proto__` must stay data, never reach Object.prototype.
    expect(Object.getOwnPropertyNames(Object.prototype).join(), `prototype polluted by: ${input}`).toBe(protoBefore);
  }
}

/** Tallies outcomes so a test can show (and assert) that inputs reached different layers. */
export class Tally {
  total = 0;
  accepted = 0;
  readonly kinds = new Map<string, number>();

  add(o: Outcome, classify: (message: string) => string | undefined = () => undefined): void {
    this.total++;
    if (o.accepted) this.accepted++;
    // Counted per input: how many inputs produced at least one diagnostic of each kind.
    const kinds = new Set(o.messages.map(classify).filter((k): k is string => k !== undefined));
    for (const k of kinds) this.kinds.set(k, (this.kinds.get(k) ?? 0) + 1);
  }

  get rejected(): number {
    return this.total - this.accepted;
  }

  summary(what: string): string {
    const kinds = [...this.kinds].map(([k, n]) => `${k}=${n}`).join(' ');
    return `fuzzed ${this.total} ${what}: ${this.rejected} rejected with located diagnostics, ${this.accepted} accepted${kinds ? ` (${kinds})` : ''}`;
  }
}
