import { describe, expect, it } from 'vitest';
import { areaOf, bundleMapper, formatSummary, shortUrl, summarizeProfile, type CpuProfile } from '../../bench/profile/summarize.js';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

describe('bench profile summary', () => {
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 3, 4, 5] },
      { id: 2, callFrame: frame('(idle)') },
      { id: 3, callFrame: frame('decrypt', 'file:///repo/node_modules/ssh2/lib/protocol/crypto.js', 99) },
      { id: 4, callFrame: frame('render', 'file:///repo/src/engine/template/render.ts', 9) },
      { id: 5, callFrame: frame('(garbage collector)') },
    ],
    startTime: 0,
    endTime: 1_000_000,
    samples: [2, 3, 3, 4, 5, 2],
    timeDeltas: [100_000, 300_000, 200_000, 100_000, 50_000, 250_000],
  };

  it('charges each interval to its sample, groups by area and function, leaves idle out of busy time', () => {
    const s = summarizeProfile(profile, 10);
    expect(s.wallMs).toBe(1000);
    expect(s.busyMs).toBe(650);
    expect(s.byArea[0]).toEqual({ name: 'ssh2 (SSH protocol, crypto)', ms: 500 });
    expect(s.byArea).toContainEqual({ name: '(idle)', ms: 350 });
    expect(s.byArea).toContainEqual({ name: 'ssh2 (SSH protocol, crypto)', ms: 500 });
    expect(s.byArea).toContainEqual({ name: 'templating (fleetplay)', ms: 100 });
    expect(s.byFunction).toContainEqual({ name: 'decrypt  node_modules/ssh2/lib/protocol/crypto.js:100', ms: 500 });
    const text = formatSummary(s, 'p.cpuprofile');
    expect(text).toContain('p.cpuprofile: 1000 ms profiled, 650 ms not idle');
    expect(text).toMatch(/ 500 ms  76\.9 %  ssh2 \(SSH protocol, crypto\)/);
    expect(text).not.toMatch(/\(idle\)/);
  });

  it('names areas and shortens paths', () => {
    expect(areaOf(frame('x', 'file:///r/src/engine/report/live-rows.ts'))).toBe('live renderer (fleetplay rows and frames)');
    expect(areaOf(frame('x', 'file:///r/src/engine/report/text-reporter.ts'))).toBe('reporters');
    expect(areaOf(frame('x', 'file:///r/node_modules/listr2/dist/index.js'))).toBe('live renderer (listr2 and its deps)');
    expect(areaOf(frame('x', 'node:internal/streams/readable'))).toBe('node: streams and sockets');
    expect(areaOf(frame('x', 'file:///r/src/engine/connection/ssh/connection.ts'))).toBe('fleetplay SSH connection');
    expect(shortUrl('file:///work/main/src/engine/run/task-runner.ts')).toBe('src/engine/run/task-runner.ts');
    expect(shortUrl('file:///a/node_modules/x/node_modules/y/i.js')).toBe('node_modules/y/i.js');
  });
});

describe('bench profile summary over several threads', () => {
  it('adds the self times of every profile', () => {
    const p = (fn: string, url: string, us: number): CpuProfile => ({
      nodes: [{ id: 1, callFrame: frame(fn, url) }],
      startTime: 0,
      endTime: us,
      samples: [1],
      timeDeltas: [us],
    });
    const s = summarizeProfile([p('run', 'file:///r/src/engine/run/a.ts', 2000), p('transform', 'file:///r/node_modules/esbuild/lib/main.js', 3000)]);
    expect(s.busyMs).toBe(5);
    expect(s.wallMs).toBe(3);
    expect(s.byArea).toEqual([
      { name: 'startup: TypeScript transpile (tsx)', ms: 3 },
      { name: 'executor', ms: 2 },
    ]);
  });
});

describe('profiles of the bundled CLI', () => {
  it("maps a bundle line back to the module esbuild placed there, by the '// path' line heading each module", () => {
    const bundle = ['import x;', '// node_modules/ssh2/lib/client.js', 'a', 'b', '// dist/src/engine/run/unit.js', 'c', 'd', 'e'].join('\n');
    const map = bundleMapper(bundle);
    const url = 'file:///tmp/x/dist/fleetplay.mjs';
    expect(map(frame('f', url, 3))).toEqual({ functionName: 'f', url: 'bundle:/node_modules/ssh2/lib/client.js', lineNumber: 1 });
    expect(map(frame('g', url, 6))).toEqual({ functionName: 'g', url: 'bundle:/src/engine/run/unit.js', lineNumber: 1 });
    expect(map(frame('h', url, 0))).toEqual(frame('h', url, 0));
    // Built where node_modules is a link to another checkout (the bench's snapshot).
    const linked = bundleMapper(['x', '// ../../../w/main/node_modules/ajv/dist/core.js', 'y'].join('\n'));
    expect(linked(frame('k', url, 2)).url).toBe('bundle:/node_modules/ajv/dist/core.js');
    const mapped = map(frame('g', url, 6));
    expect(areaOf(mapped)).toBe('executor');
    expect(shortUrl(mapped.url)).toBe('src/engine/run/unit.js');
  });
});
