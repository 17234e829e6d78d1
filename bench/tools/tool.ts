// What the harness needs from each contender: the command line of one run. Every tool runs the same
// workload file, against the same inventory and lab, measured the same way.
import type { BenchLab } from '../lab/bench-lab.js';
import type { LoadedWorkload } from '../workload.js';

export const TOOL_NAMES = ['fleetplay', 'ansible', 'floor-steps', 'floor-script'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export const RUN_KINDS = ['first', 'second', 'check'] as const;
/** first: fresh hosts; second: right after first (a no-op); check: --check --diff on fresh hosts. */
export type RunKind = (typeof RUN_KINDS)[number];

export interface ToolContext {
  lab: BenchLab;
  workload: LoadedWorkload;
  /** Repository root (cwd of every run). */
  repoRoot: string;
  /** The playbook as given to the tools (relative to repoRoot when it lies beside the checkout). */
  playbookArg: string;
  forks: number;
}

export interface Invocation {
  argv: string[];
  env?: NodeJS.ProcessEnv;
  /** Written by the run when the tool supports it (fleetplay --json). */
  jsonReport?: string;
  /** Removed after the run (e.g. ControlMaster socket directories outside runDir). */
  cleanupDirs?: string[];
}

export interface Tool {
  name: ToolName;
  /** Per-run setup outside the timing (config files, floor scripts); returns the command line. */
  prepare(kind: RunKind, runDir: string, ctx: ToolContext): Promise<Invocation>;
}
