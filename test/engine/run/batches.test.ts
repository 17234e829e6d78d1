import { describe, expect, it } from 'vitest';
import { batchSize, computeBatches, exceedsMaxFail } from '../../../src/engine/run/batches.js';

const hosts = (n: number) => Array.from({ length: n }, (_, i) => `h${i + 1}`);

describe('computeBatches', () => {
  it('puts every host in one batch without serial', () => {
    expect(computeBatches(hosts(5), [])).toEqual([hosts(5)]);
    expect(computeBatches(hosts(3), [0])).toEqual([hosts(3)]);
  });

  it('splits by a count, the last batch taking the rest', () => {
    expect(computeBatches(hosts(5), [2])).toEqual([['h1', 'h2'], ['h3', 'h4'], ['h5']]);
  });

  it('cycles the last entry of a list', () => {
    expect(computeBatches(hosts(10), [1, 3])).toEqual([['h1'], ['h2', 'h3', 'h4'], ['h5', 'h6', 'h7'], ['h8', 'h9', 'h10']]);
  });

  it('takes percentages of all hosts, rounded down but at least one', () => {
    expect(computeBatches(hosts(10), ['30%'])).toEqual([['h1', 'h2', 'h3'], ['h4', 'h5', 'h6'], ['h7', 'h8', 'h9'], ['h10']]);
    expect(batchSize('10%', 5)).toBe(1);
    expect(computeBatches(hosts(4), ['1', '50%'])).toEqual([['h1'], ['h2', 'h3'], ['h4']]);
  });

  it('rejects nonsense', () => {
    expect(() => batchSize('lots', 4)).toThrow(/invalid serial value 'lots'/);
  });

  it('returns no batch for no hosts', () => {
    expect(computeBatches([], [2])).toEqual([]);
  });
});

describe('exceedsMaxFail', () => {
  it('is strictly greater than the limit', () => {
    expect(exceedsMaxFail(2, 4, 50)).toBe(false);
    expect(exceedsMaxFail(3, 4, 50)).toBe(true);
    expect(exceedsMaxFail(1, 10, 0)).toBe(true);
    expect(exceedsMaxFail(0, 10, 0)).toBe(false);
  });

  it('never triggers without a limit', () => {
    expect(exceedsMaxFail(10, 10, undefined)).toBe(false);
  });
});
