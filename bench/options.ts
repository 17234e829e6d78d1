// `npm run bench -- [options]`: which fleet sizes, tools, runs and repetitions.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { RUN_KINDS, TOOL_NAMES, type RunKind, type ToolName } from './tools/tool.js';
import { DELAY_METHODS, PROFILE_NAMES, type DelayMethod, type ProfileName, type WanShape } from './wan/profile.js';

export interface BenchOptions {
  /** Fleet sizes of the comparison (empty = no comparison). */
  hosts: number[];
  reps: number;
  tools: ToolName[];
  runs: RunKind[];
  /** Fleet sizes of the fleetplay-only scale run (empty = none). */
  scale: number[];
  scaleReps: number;
  /** Measure the live TTY renderer's CPU at the largest scale size. */
  ttyCost: boolean;
  cpuProf: boolean;
  /** Per-run timeout in seconds; undefined = by fleet size. */
  timeout?: number;
  out?: string;
  workload?: string;
  keepWork: boolean;
  /** Measure a compiled snapshot of the checkout (else the checkout's bin as it starts). */
  build: boolean;
  /** Where the comparison's fleet sits: on the LAN, or behind a bastion across a WAN (each in turn). */
  profiles: ProfileName[];
  wan: WanShape;
}

const MAX_HOSTS = 1000;

function sizes(flag: string) {
  return (v: string): number[] => {
    const list = v.split(',').map((s) => s.trim()).filter(Boolean);
    if (list.length === 0) throw new InvalidArgumentError(`${flag} needs a comma list of host counts`);
    return list.map((s) => {
      const n = Number(s);
      if (!/^\d+$/.test(s) || n < 1 || n > MAX_HOSTS) throw new InvalidArgumentError(`${flag}: '${s}' is not a host count from 1 to ${MAX_HOSTS}`);
      return n;
    });
  };
}

function milliseconds(flag: string) {
  return (v: string): number => {
    const n = Number(v.replace(/ms$/, ''));
    if (!/^\d+(\.\d+)?(ms)?$/.test(v) || n > 10_000) throw new InvalidArgumentError(`${flag}: '${v}' is not a time in ms from 0 to 10000`);
    return n;
  };
}

function positive(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < 1) throw new InvalidArgumentError(`${flag}: '${v}' is not a whole number >= 1`);
    return n;
  };
}

function oneOf<T extends string>(flag: string, known: readonly T[]) {
  return (v: string): T[] => {
    const list = v.split(',').map((s) => s.trim()).filter(Boolean);
    for (const s of list) if (!(known as readonly string[]).includes(s)) throw new InvalidArgumentError(`${flag}: unknown '${s}' (known: ${known.join(', ')})`);
    if (list.length === 0) throw new InvalidArgumentError(`${flag} needs a comma list`);
    return [...new Set(list)] as T[];
  };
}

export class BenchUsageError extends Error {}

/** Parses the bench's arguments (without node and script); throws BenchUsageError with the reason. */
export function parseBenchArgs(args: readonly string[]): BenchOptions {
  const cmd = new Command('bench')
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined })
    .option('--hosts <list>', 'fleet sizes compared across tools', sizes('--hosts'))
    .option('--reps <n>', 'repetitions per size (medians are reported)', positive('--reps'), 3)
    .option('--tools <list>', `tools to compare (${TOOL_NAMES.join(', ')})`, oneOf('--tools', TOOL_NAMES), [...TOOL_NAMES])
    .option('--runs <list>', `runs per tool (${RUN_KINDS.join(', ')})`, oneOf('--runs', RUN_KINDS), [...RUN_KINDS])
    .option('--scale <list>', 'fleet sizes of the fleetplay-only scale run', sizes('--scale'))
    .option('--scale-reps <n>', 'repetitions of the scale run', positive('--scale-reps'), 1)
    .option('--no-tty-cost', 'skip the live TTY renderer measurement of the scale run')
    .option('--cpu-prof', 'profile fleetplay runs (node --cpu-prof) into bench/results/profiles/')
    .option('--timeout <seconds>', 'limit for each tool run', positive('--timeout'))
    .option('--out <file>', 'results file (default bench/results/<date>.md, appended)')
    .option('--workload <dir>', 'the reference workload directory (default ../shared/bench-workload beside the checkout)')
    .option('--keep-work', 'keep the work directory (run logs, scripts) even when every run passed')
    .option('--no-build', "run the checkout's bin/fleetplay.js as is instead of a compiled snapshot of the checkout")
    .option('--profile <list>', `where the compared fleet sits (${PROFILE_NAMES.join(', ')}; wan: behind one bastion, delayed)`, oneOf('--profile', PROFILE_NAMES), ['lan'])
    .option('--delay <ms>', 'WAN profile: one-way delay between the controller and the bastion', milliseconds('--delay'), 20)
    .option('--jitter <ms>', 'WAN profile: ± variation of that delay', milliseconds('--jitter'), 0)
    .option('--delay-method <how>', `WAN profile: ${DELAY_METHODS.join(' or ')} (relay: a user-space TCP relay, for kernels without netem)`, (v: string) => {
      if (!(DELAY_METHODS as readonly string[]).includes(v)) throw new InvalidArgumentError(`--delay-method: unknown '${v}' (known: ${DELAY_METHODS.join(', ')})`);
      return v as DelayMethod;
    }, 'netem' as DelayMethod);
  try {
    cmd.parse([...args], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) throw new BenchUsageError(e.message.replace(/^error: /, ''));
    throw e;
  }
  const o = cmd.opts<{ hosts?: number[]; reps: number; tools: ToolName[]; runs: RunKind[]; scale?: number[]; scaleReps: number; ttyCost: boolean; cpuProf?: boolean; timeout?: number; out?: string; workload?: string; keepWork?: boolean; build: boolean; profile: ProfileName[]; delay: number; jitter: number; delayMethod: DelayMethod }>();
  if (cmd.args.length) throw new BenchUsageError(`unexpected argument '${cmd.args[0]}'`);
  if (o.jitter > o.delay) throw new BenchUsageError(`--jitter (${o.jitter} ms) must not exceed --delay (${o.delay} ms)`);
  if (o.runs.includes('second') && !o.runs.includes('first')) throw new BenchUsageError("--runs: 'second' needs 'first' (the second run starts where the first ended)");
  // Without --hosts, a scale-only invocation compares nothing; a bare `npm run bench` compares 10 and 50.
  const hosts = o.hosts ?? (o.scale ? [] : [10, 50]);
  return {
    hosts,
    reps: o.reps,
    tools: o.tools,
    runs: RUN_KINDS.filter((k) => o.runs.includes(k)),
    scale: o.scale ?? [],
    scaleReps: o.scaleReps,
    ttyCost: o.ttyCost,
    cpuProf: !!o.cpuProf,
    ...(o.timeout !== undefined ? { timeout: o.timeout } : {}),
    ...(o.out !== undefined ? { out: o.out } : {}),
    ...(o.workload !== undefined ? { workload: o.workload } : {}),
    keepWork: !!o.keepWork,
    build: o.build,
    profiles: PROFILE_NAMES.filter((p) => o.profile.includes(p)),
    wan: { delayMs: o.delay, jitterMs: o.jitter, method: o.delayMethod },
  };
}

/** Default limit per tool run: generous for tuned Ansible (≈ 1.4 s per host at N=50 here). */
export function defaultTimeoutMs(hosts: number): number {
  return Math.max(120, 3 * hosts) * 1000;
}
