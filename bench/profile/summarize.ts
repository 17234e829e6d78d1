// Where a fleetplay run spends controller CPU, from a V8 .cpuprofile (node --cpu-prof): self time
// per function and per area of the code (SSH protocol, templating, reporters, executor, startup…).

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber?: number;
}

export interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Entry {
  name: string;
  ms: number;
}

export interface ProfileSummary {
  /** Profile duration (wall) in ms. */
  wallMs: number;
  /**
   * Time in samples other than (idle): running JavaScript, GC, or inside a native call — which
   * includes time blocked in a syscall or waiting for a core, so on a loaded machine it exceeds
   * the CPU time the kernel accounts (compare with the bench's controller CPU).
   */
  busyMs: number;
  byArea: Entry[];
  byFunction: Entry[];
}

/** Areas, first match wins; `url` is a file URL or node:… specifier. */
const AREAS: [RegExp, string][] = [
  [/\/node_modules\/ssh2\//, 'ssh2 (SSH protocol, crypto)'],
  [/\/src\/engine\/connection\/ssh\//, 'fleetplay SSH connection'],
  [/\/src\/engine\/connection\/posix-files/, 'fleetplay file ops (posix-files)'],
  [/\/src\/engine\/connection\//, 'fleetplay connection (other)'],
  [/\/node_modules\/nunjucks\//, 'templating (nunjucks)'],
  [/\/src\/engine\/template\//, 'templating (fleetplay)'],
  [/\/node_modules\/listr2\/|\/node_modules\/(string-width|wrap-ansi|cli-truncate|log-update|ansi-|strip-ansi|eventemitter3|rfdc|colorette)/, 'live renderer (listr2 and its deps)'],
  [/\/src\/engine\/report\/(live-|terminal-frame)/, 'live renderer (fleetplay rows and frames)'],
  [/\/src\/engine\/report\//, 'reporters'],
  [/\/src\/engine\/run\//, 'executor'],
  [/\/src\/modules\//, 'modules'],
  [/\/src\/engine\/(load|validate)\/|\/node_modules\/(ajv|ajv-formats|yaml|fast-uri)\//, 'load + validate (yaml, ajv)'],
  [/\/src\/engine\/inventory\//, 'inventory'],
  [/\/node_modules\/(tsx|esbuild|get-tsconfig|source-map)/, 'startup: TypeScript transpile (tsx)'],
  [/\/src\/cli\//, 'CLI'],
  [/\/node_modules\/diff\//, 'diffs (diff)'],
  [/\/node_modules\/typebox\//, 'schemas (typebox)'],
  [/\/node_modules\/([^/]+)\//, 'other packages'],
  [/^node:internal\/(streams|stream_base|net|tcp)/, 'node: streams and sockets'],
  [/^node:internal\/crypto|^node:crypto/, 'node: crypto'],
  [/^node:internal\/modules|^node:internal\/(main|bootstrap)|^node:module/, 'node: module loading'],
  [/^node:/, 'node: other internals'],
];

/** The areas that make up the live TTY renderer (for its cost). */
export const RENDERER_AREAS: readonly string[] = ['live renderer (listr2 and its deps)', 'live renderer (fleetplay rows and frames)'];

const SPECIAL = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

export function areaOf(frame: CallFrame): string {
  if (SPECIAL.has(frame.functionName)) return frame.functionName;
  if (!frame.url) return '(native or unknown)';
  for (const [re, name] of AREAS) if (re.test(frame.url)) return name;
  return 'other';
}

/** `file:///x/y/src/engine/run/task.ts` → `src/engine/run/task.ts`; node_modules paths keep the package. */
export function shortUrl(url: string): string {
  const clean = url.replace(/^file:\/\/|^bundle:\//, '');
  const nm = clean.lastIndexOf('/node_modules/');
  if (nm >= 0) return clean.slice(nm + 1);
  const src = /(?:^|\/)((?:src|bench|bin|test)\/.*)$/.exec(clean);
  return src ? src[1]! : clean;
}

function functionKey(f: CallFrame): string {
  if (SPECIAL.has(f.functionName)) return f.functionName;
  const name = f.functionName || '(anonymous)';
  return f.url ? `${name}  ${shortUrl(f.url)}:${f.lineNumber + 1}` : name;
}

function top(map: Map<string, number>, n: number): Entry[] {
  return [...map].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms).slice(0, n);
}

/**
 * The CLI runs from one bundle (dist/fleetplay.mjs), where esbuild heads each module's code with a
 * `// path` comment line. Given the bundle's text, maps a bundle line back to the module it came
 * from, so areas and names stay as meaningful as in an unbundled run.
 */
export function bundleMapper(bundleText: string): (frame: CallFrame) => CallFrame {
  const starts: { line: number; path: string }[] = [];
  bundleText.split('\n').forEach((text, line) => {
    // Paths are relative to where the bundle was built: `node_modules/x`, `dist/src/y`, or
    // `../../w/node_modules/x` when node_modules is a link (the bench's snapshot).
    const m = /^\/\/ (?:\S*\/)?((?:node_modules|dist\/src)\/\S+\.[cm]?js)$/.exec(text);
    if (m) starts.push({ line, path: m[1]!.replace(/^dist\/src\//, 'src/') });
  });
  return (frame) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]!.line <= frame.lineNumber) [found, lo] = [mid, mid + 1];
      else hi = mid - 1;
    }
    if (found < 0) return frame;
    const start = starts[found]!;
    return { ...frame, url: `bundle:/${start.path}`, lineNumber: frame.lineNumber - start.line - 1 };
  };
}

/** One summary over one or more profiles (e.g. every thread of a run): self times add up. */
export function summarizeProfile(profiles: CpuProfile | readonly CpuProfile[], topN = 25, mapFrame: (f: CallFrame) => CallFrame = (f) => f): ProfileSummary {
  const list: readonly CpuProfile[] = Array.isArray(profiles) ? profiles : [profiles as CpuProfile];
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busyMs = 0;
  let wallMs = 0;
  for (const p of list) {
    wallMs = Math.max(wallMs, (p.endTime - p.startTime) / 1000);
    const byId = new Map(p.nodes.map((n) => [n.id, mapFrame(n.callFrame)]));
    const self = new Map<number, number>();
    // timeDeltas[i] is the time since the previous sample: charged to sample i.
    p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));
    for (const [id, ms] of self) {
      const f = byId.get(id);
      if (!f) continue;
      if (f.functionName !== '(idle)') busyMs += ms;
      byArea.set(areaOf(f), (byArea.get(areaOf(f)) ?? 0) + ms);
      byFunction.set(functionKey(f), (byFunction.get(functionKey(f)) ?? 0) + ms);
    }
  }
  return { wallMs, busyMs, byArea: top(byArea, byArea.size), byFunction: top(byFunction, topN) };
}

export function formatSummary(s: ProfileSummary, title: string): string {
  const pct = (ms: number) => `${((ms / (s.busyMs || 1)) * 100).toFixed(1).padStart(5)} %`;
  const line = (e: Entry) => `${e.ms.toFixed(0).padStart(7)} ms ${pct(e.ms)}  ${e.name}`;
  return [
    `${title}: ${s.wallMs.toFixed(0)} ms profiled, ${s.busyMs.toFixed(0)} ms not idle (percentages of that; native calls include time blocked in syscalls)`,
    '',
    'By area (self time):',
    ...s.byArea.filter((e) => e.name !== '(idle)').map(line),
    '',
    `Top ${s.byFunction.length} functions by self time:`,
    ...s.byFunction.filter((e) => e.name !== '(idle)').map(line),
  ].join('\n');
}
