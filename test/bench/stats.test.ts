import { describe, expect, it } from 'vitest';
import { formatMegabytes, formatRatio, formatSeconds, median, ratio, spread } from '../../bench/stats.js';

describe('bench stats', () => {
  it('medians of odd and even counts, unsorted input untouched', () => {
    const v = [5, 1, 3];
    expect(median(v)).toBe(3);
    expect(v).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('spreads and ratios', () => {
    expect(spread([3, 9, 1])).toEqual({ min: 1, median: 3, max: 9, count: 3 });
    expect(spread([]).count).toBe(0);
    expect(ratio(70, 5)).toBe(14);
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(Number.NaN, 2)).toBeNaN();
  });

  it('formats for the report', () => {
    expect(formatRatio(14)).toBe('14.0×');
    expect(formatRatio(1.234)).toBe('1.23×');
    expect(formatRatio(Number.NaN)).toBe('—');
    expect(formatSeconds(412)).toBe('0.412 s');
    expect(formatSeconds(6310)).toBe('6.31 s');
    expect(formatSeconds(71_234)).toBe('71.2 s');
    expect(formatMegabytes(80 * 1024)).toBe('80 MB');
    expect(formatMegabytes(7.8 * 1024)).toBe('7.8 MB');
    expect(formatMegabytes(Number.NaN)).toBe('—');
  });
});
