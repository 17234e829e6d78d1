import { describe, expect, it } from 'vitest';
import { DelayLine, departure, type Clock } from '../../bench/wan/delay-line.js';
import { netemArgs } from '../../bench/wan/netem.js';
import { describeWan } from '../../bench/wan/profile.js';

describe('netem arguments', () => {
  it('delay on a device, with jitter only when asked', () => {
    expect(netemArgs('fl0n0', { delayMs: 20, jitterMs: 0 })).toEqual(['qdisc', 'replace', 'dev', 'fl0n0', 'root', 'netem', 'delay', '20ms']);
    expect(netemArgs('eth0', { delayMs: 12.5, jitterMs: 2 })).toEqual(['qdisc', 'replace', 'dev', 'eth0', 'root', 'netem', 'delay', '12.5ms', '2ms']);
    expect(() => netemArgs('eth0', { delayMs: -1, jitterMs: 0 })).toThrow(/must be >= 0/);
  });

  it('the profile says how the delay was made', () => {
    expect(describeWan({ delayMs: 20, jitterMs: 0, method: 'netem' })).toMatch(/20 ms each way \(40 ms round trip\) .*tc netem/);
    expect(describeWan({ delayMs: 20, jitterMs: 3, method: 'relay' })).toMatch(/± 3 ms jitter .*user-space TCP relay/);
  });
});

describe('the user-space delay line', () => {
  it('a chunk leaves after the delay ± jitter, never before the one ahead of it', () => {
    const shape = { delayMs: 20, jitterMs: 5 };
    expect(departure(100, 0, { delayMs: 20, jitterMs: 0 }, 0.9)).toBe(120);
    expect(departure(100, 0, shape, 0)).toBe(115);
    expect(departure(100, 0, shape, 1)).toBe(125);
    expect(departure(101, 125, shape, 0)).toBe(125); // would overtake: waits for the one ahead
    expect(departure(0, 0, { delayMs: 1, jitterMs: 1 }, 0)).toBe(0);
  });

  it('delivers in arrival order at the due times (a fake clock)', () => {
    let now = 0;
    const timers: { at: number; fn: () => void }[] = [];
    const clock: Clock = { now: () => now, setTimer: (fn, ms) => void timers.push({ at: now + ms, fn }) };
    const got: [number, string][] = [];
    const randoms = [1, 0, 0.5];
    const line = new DelayLine<string>({ delayMs: 20, jitterMs: 10 }, (x) => got.push([now, x]), clock, () => randoms.shift()!);
    line.push('a'); // due 30
    now = 2;
    line.push('b'); // 12, but after a: 30
    now = 15;
    line.push('c'); // 35
    expect(line.pending).toBe(3);
    const advance = () => {
      timers.sort((x, y) => x.at - y.at);
      const t = timers.shift()!;
      now = t.at;
      t.fn();
    };
    advance();
    expect(got).toEqual([[30, 'a'], [30, 'b']]);
    advance();
    expect(got).toEqual([[30, 'a'], [30, 'b'], [35, 'c']]);
    expect(line.pending).toBe(0);
    expect(timers).toEqual([]);
  });
});
