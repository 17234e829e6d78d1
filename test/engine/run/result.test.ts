import { describe, expect, it } from 'vitest';
import { aggregateItems, failedOutcome, HIDDEN, skippedOutcome, toTaskResult, withLines, type Outcome } from '../../../src/engine/run/result.js';

const item = (o: Outcome, label: string) => ({ ...o, label });
const ok = (changed: boolean): Outcome => ({ status: changed ? 'changed' : 'ok', data: { changed, failed: false } });

describe('aggregateItems', () => {
  it('is changed when any item changed, skipped only when all were', () => {
    expect(aggregateItems([item(ok(false), 'a'), item(ok(true), 'b')]).status).toBe('changed');
    expect(aggregateItems([item(skippedOutcome('x'), 'a'), item(ok(false), 'b')]).status).toBe('ok');
    const all = aggregateItems([item(skippedOutcome('no'), 'a')]);
    expect(all.status).toBe('skipped');
    expect(all.data).toMatchObject({ skipped: true, changed: false });
  });

  it('fails when an item failed, keeping the results in order', () => {
    const agg = aggregateItems([item(ok(true), 'a'), item(failedOutcome('bad b'), 'b')]);
    expect(agg.status).toBe('failed');
    expect(agg.msg).toBe('bad b');
    expect((agg.data.results as unknown[]).length).toBe(2);
  });

  it('merges set_fact values and marks undetermined results', () => {
    const a: Outcome = { ...ok(false), setVars: { x: 1 } };
    const b: Outcome = { ...skippedOutcome('not supported in check mode'), undetermined: true };
    const agg = aggregateItems([item(a, 'a'), item(b, 'b')]);
    expect(agg.setVars).toEqual({ x: 1 });
    expect(agg.undetermined).toBe(true);
  });
});

describe('toTaskResult', () => {
  it('hides data, message and diff under no_log', () => {
    const o: Outcome = { status: 'failed', msg: 'password hunter2 rejected', data: { msg: 'password hunter2 rejected', changed: false }, diff: [{ kind: 'text', path: 'p', before: 'a', after: 'hunter2' }] };
    const r = toTaskResult(o, { durationMs: 1, noLog: true });
    expect(JSON.stringify(r)).not.toContain('hunter2');
    expect(r).toMatchObject({ status: 'failed', noLog: true, data: { censored: HIDDEN, failed: true } });
  });
});

describe('withLines', () => {
  it('adds stdout_lines and stderr_lines', () => {
    expect(withLines({ stdout: 'a\nb\n', stderr: '' })).toMatchObject({ stdout_lines: ['a', 'b'], stderr_lines: [] });
  });
});
