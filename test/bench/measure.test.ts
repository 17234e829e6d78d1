import { describe, expect, it } from 'vitest';
import { parseCpuStat } from '../../bench/measure/cgroup.js';
import { parseGnuTime } from '../../bench/measure/gnu-time.js';
import { parsePssKb } from '../../bench/measure/pss-sampler.js';
import { parseBusyMs } from '../../bench/measure/machine-cpu.js';
import { hostTaskTimes } from '../../bench/json-report.js';

describe('bench measurement parsers', () => {
  it('GNU time output, also after a "terminated by signal" line', () => {
    expect(parseGnuTime('fbtime 1.52 1.28 0.20 157836\n')).toEqual({ elapsedMs: 1520, userMs: 1280, sysMs: 200, maxRssKb: 157836 });
    expect(parseGnuTime('Command terminated by signal 9\nfbtime 0.50 0.01 0.00 1500\n')?.maxRssKb).toBe(1500);
    expect(parseGnuTime('')).toBeUndefined();
  });

  it('cgroup v2 cpu.stat in microseconds → ms', () => {
    expect(parseCpuStat('usage_usec 190053\nuser_usec 150000\nsystem_usec 40053\nnice_usec 0\n')).toEqual({ userMs: 150, sysMs: 40.053 });
    expect(() => parseCpuStat('usage_usec 1\n')).toThrow(/no user_usec/);
  });

  it('machine busy time from /proc/stat: everything but idle and iowait, in ms', () => {
    expect(parseBusyMs('cpu  100 5 50 9000 40 3 2 1 0 0\ncpu0 50 2 25 4500 20 1 1 0 0 0\n')).toBe((100 + 5 + 50 + 3 + 2 + 1) * 10);
    expect(() => parseBusyMs('intr 1 2\n')).toThrow(/no cpu line/);
  });

  it('PSS from smaps_rollup', () => {
    expect(parsePssKb('Rss:              12345 kB\nPss:               6789 kB\nPss_Anon:  100 kB\n')).toBe(6789);
    expect(parsePssKb('')).toBe(0);
  });

  it('per-host total task time from a fleetplay JSON report, handlers included', () => {
    const report = {
      plays: [
        {
          tasks: [
            { results: [{ host: 'a', durationMs: 10 }, { host: 'b', durationMs: 30 }] },
            { isHandler: true, results: [{ host: 'a', durationMs: 5 }, { host: 'b' }] },
          ],
        },
      ],
    };
    expect(hostTaskTimes(report)).toEqual(new Map([['a', 15], ['b', 30]]));
    expect(() => hostTaskTimes({})).toThrow(/no plays/);
  });
});
