// fleetplay from this checkout, run the way a user runs it (bin/fleetplay.js), with forks = N and a
// JSON report (per-host task durations for the scale run). With a profile directory, node writes a
// .cpuprofile of the run there.
import { join } from 'node:path';
import type { Invocation, RunKind, Tool, ToolContext } from './tool.js';

export interface FleetplayOptions {
  /**
   * Directory for `node --cpu-prof` output of a run of this kind; undefined = no profiling. One
   * directory per run: node writes one profile per thread (the TypeScript loader runs in a worker)
   * and a fixed --cpu-prof-name would make the threads overwrite each other.
   */
  cpuProfDir?: (kind: RunKind) => string;
  /** The bin/fleetplay.js to run (default: the checkout's). */
  bin?: string;
}

export function fleetplayTool(opts: FleetplayOptions = {}): Tool {
  return {
    name: 'fleetplay',
    async prepare(kind: RunKind, runDir: string, ctx: ToolContext): Promise<Invocation> {
      const json = join(runDir, 'report.json');
      const prof = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir(kind)}`] : [];
      return {
        argv: [
          process.execPath,
          ...prof,
          opts.bin ?? join(ctx.repoRoot, 'bin', 'fleetplay.js'),
          ctx.playbookArg,
          '-i',
          ctx.lab.inventory,
          '-f',
          String(ctx.forks),
          ...(kind === 'check' ? ['--check', '--diff'] : []),
          '--json',
          json,
        ],
        jsonReport: json,
      };
    },
  };
}
