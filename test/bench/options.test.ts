import { describe, expect, it } from 'vitest';
import { defaultTimeoutMs, parseBenchArgs } from '../../bench/options.js';
import { turnOrder } from '../../bench/compare.js';

describe('bench options', () => {
  it('defaults to the comparison at 10 and 50 hosts, 3 repetitions, every tool and run', () => {
    expect(parseBenchArgs([])).toEqual({
      hosts: [10, 50],
      reps: 3,
      tools: ['fleetplay', 'ansible', 'floor-steps', 'floor-script'],
      runs: ['first', 'second', 'check'],
      scale: [],
      scaleReps: 1,
      ttyCost: true,
      cpuProf: false,
      keepWork: false,
      build: true,
      profiles: ['lan'],
      wan: { delayMs: 20, jitterMs: 0, method: 'netem' },
    });
  });

  it('WAN profile: profiles in canonical order, delay and jitter in ms, the delay method; bad values named', () => {
    const o = parseBenchArgs(['--hosts', '50', '--profile', 'wan,lan', '--delay', '30ms', '--jitter', '2.5', '--delay-method', 'relay']);
    expect(o).toMatchObject({ profiles: ['lan', 'wan'], wan: { delayMs: 30, jitterMs: 2.5, method: 'relay' } });
    expect(() => parseBenchArgs(['--profile', 'moon'])).toThrow(/--profile: unknown 'moon'/);
    expect(() => parseBenchArgs(['--delay', '-5'])).toThrow(/--delay: '-5' is not a time in ms/);
    expect(() => parseBenchArgs(['--delay-method', 'tc'])).toThrow(/--delay-method: unknown 'tc'/);
    expect(() => parseBenchArgs(['--delay', '10', '--jitter', '15'])).toThrow(/--jitter \(15 ms\) must not exceed --delay \(10 ms\)/);
  });

  it('reads sizes, tools, runs (kept in canonical order), scale and profiling', () => {
    const o = parseBenchArgs(['--hosts', '10', '--reps', '1', '--tools', 'ansible,fleetplay', '--runs', 'check,first', '--scale', '200,500', '--no-tty-cost', '--cpu-prof', '--timeout', '90', '--no-build']);
    expect(o).toMatchObject({ hosts: [10], reps: 1, tools: ['ansible', 'fleetplay'], runs: ['first', 'check'], scale: [200, 500], ttyCost: false, cpuProf: true, timeout: 90, build: false });
  });

  it('a scale-only invocation compares nothing', () => {
    expect(parseBenchArgs(['--scale', '500']).hosts).toEqual([]);
  });

  it('rejects bad values with the flag named', () => {
    expect(() => parseBenchArgs(['--hosts', '10,x'])).toThrow(/--hosts: 'x' is not a host count/);
    expect(() => parseBenchArgs(['--hosts', '0'])).toThrow(/--hosts: '0'/);
    expect(() => parseBenchArgs(['--reps', '0'])).toThrow(/--reps: '0' is not a whole number/);
    expect(() => parseBenchArgs(['--tools', 'puppet'])).toThrow(/--tools: unknown 'puppet' \(known: fleetplay, ansible, floor-steps, floor-script\)/);
    expect(() => parseBenchArgs(['--runs', 'second'])).toThrow(/'second' needs 'first'/);
    expect(() => parseBenchArgs(['--bogus'])).toThrow(/unknown option '--bogus'/);
    expect(() => parseBenchArgs(['extra'])).toThrow(/unexpected argument 'extra'|too many arguments/);
  });

  it('gives every run a bounded time that grows with the fleet', () => {
    expect(defaultTimeoutMs(10)).toBe(120_000);
    expect(defaultTimeoutMs(500)).toBe(1_500_000);
  });

  it('rotates the tools between repetitions so none always goes first', () => {
    const tools = ['a', 'b', 'c'];
    expect(turnOrder(tools, 1)).toEqual(['a', 'b', 'c']);
    expect(turnOrder(tools, 2)).toEqual(['b', 'c', 'a']);
    expect(turnOrder(tools, 4)).toEqual(['a', 'b', 'c']);
  });
});
