// The shard split: every host in exactly one shard, the same answer on every run and machine, and
// few hosts moving when the fleet or the shard count changes.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/engine/contract/diagnostics.js';
import { parseShard, selectShard, shardOf } from '../../src/cli/shard.js';

const fleet = Array.from({ length: 3000 }, (_, i) => `node${String(i).padStart(4, '0')}`);

describe('parseShard', () => {
  it('reads k/n', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
  });

  it.each([
    ['0/3', 'k must be between 1 and 3'],
    ['4/3', 'k must be between 1 and 3'],
    ['1/0', 'n must be between 1'],
    ['3', 'not of the form k/n'],
    ['a/b', 'not of the form k/n'],
    ['-1/3', 'not of the form k/n'],
    ['1.5/3', 'not of the form k/n'],
  ])('refuses %s as a usage error', (text, why) => {
    expect(() => parseShard(text)).toThrow(UsageError);
    expect(() => parseShard(text)).toThrow(why);
  });
});

describe('shardOf', () => {
  it('puts every host in exactly one shard, and the shards together are the fleet', () => {
    const parts = [1, 2, 3].map((k) => selectShard(fleet, { index: k, count: 3 }));
    expect(parts.flat().sort()).toEqual([...fleet].sort());
    expect(new Set(parts.flat()).size).toBe(fleet.length);
  });

  it('is balanced: each of 3 shards gets about a third', () => {
    for (const k of [1, 2, 3]) {
      const n = selectShard(fleet, { index: k, count: 3 }).length;
      expect(n).toBeGreaterThan(fleet.length / 3 - 150);
      expect(n).toBeLessThan(fleet.length / 3 + 150);
    }
  });

  it('is stable: fixed answers for fixed names (the split must not change between releases)', () => {
    expect(['node0000', 'node0001', 'node0002', 'web1', 'db1'].map((h) => shardOf(h, 3))).toEqual([3, 3, 2, 3, 3]);
  });

  it('keeps the order of the given hosts', () => {
    const part = selectShard(fleet, { index: 2, count: 3 });
    expect(part).toEqual([...part].sort());
  });

  it('moves no other host when a host is added or removed', () => {
    const before = new Map(fleet.map((h) => [h, shardOf(h, 5)]));
    const grown = [...fleet, 'newcomer'];
    for (const h of grown.slice(0, -1)) expect(shardOf(h, 5)).toBe(before.get(h));
  });

  it('moves only about 1/(n+1) of the hosts when a shard is added, all of them to the new shard', () => {
    const moved = fleet.filter((h) => shardOf(h, 4) !== shardOf(h, 3));
    expect(moved.every((h) => shardOf(h, 4) === 4)).toBe(true);
    expect(moved.length).toBeGreaterThan(fleet.length / 4 - 150);
    expect(moved.length).toBeLessThan(fleet.length / 4 + 150);
  });

  it('with one shard runs everything', () => {
    expect(selectShard(fleet, { index: 1, count: 1 })).toEqual(fleet);
  });
});
