import { describe, expect, it } from 'vitest';
import { splitKeyValues } from '../../src/cli/key-values.js';

describe('splitKeyValues', () => {
  it('splits plain and quoted values', () => {
    expect(splitKeyValues(`a=1 b="two words" c='x y' d=p\\ q`, '-e')).toEqual([
      ['a', '1'],
      ['b', 'two words'],
      ['c', 'x y'],
      ['d', 'p q'],
    ]);
  });
  it('points at the bad word', () => {
    expect(() => splitKeyValues('a=1 oops', '-e #1')).toThrow(/-e #1:1:5: expected key=value, got 'oops'/);
  });
  it('rejects an unterminated quote', () => {
    expect(() => splitKeyValues('a="x', '-e')).toThrow(/unterminated " quote/);
  });
});
