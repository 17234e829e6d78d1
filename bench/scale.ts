// fleetplay alone at large fleets: wall, memory, and each host's total task time (a starved host
// shows up as an outlier). At the largest size, the live TTY renderer's CPU cost: the same first run
// under a pseudo-terminal and piped, alternating, hosts reset before each.
import { join } from 'node:path';
import type { TtyPair } from './report.js';
import { runOne, type Sample } from './run-one.js';
import { closeLab, describeSample, readyLab, type Session } from './session.js';
import { resetHosts } from './state/host-ops.js';
import { fleetplayTool } from './tools/fleetplay.js';
import type { RunKind, ToolContext } from './tools/tool.js';

export interface ScaleResult {
  samples: Sample[];
  tty: TtyPair[];
  /** A size whose lab could not start: what failed, precisely. */
  labFailures: { n: number; error: string }[];
}

export async function runScale(s: Session, sizes: readonly number[], reps: number, ttyCost: boolean): Promise<ScaleResult> {
  const result: ScaleResult = { samples: [], tty: [], labFailures: [] };
  const largest = Math.max(...sizes);
  for (const n of sizes) {
    let ready;
    try {
      ready = await readyLab(s, n, `scale-${n}`);
    } catch (e) {
      const error = (e as Error).message;
      result.labFailures.push({ n, error });
      s.log(`bench: lab of ${n} hosts failed to start: ${error}`);
      continue;
    }
    const ctx: ToolContext = { lab: ready.lab, workload: s.workload, repoRoot: s.repoRoot, playbookArg: s.playbookArg, forks: n };
    try {
      for (let rep = 1; rep <= reps; rep++) {
        const tool = fleetplayTool(s.cpuProfDir ? { cpuProfDir: (k: RunKind) => join(s.cpuProfDir!, `fleetplay-scale-n${n}-${k}-r${rep}`) } : {});
        const run = async (kind: RunKind, tty = false) => {
          const sample = await runOne({ tool, kind, ctx, rep, tty, runDir: join(s.workDir, `scale-n${n}`, `r${rep}`, `${kind}${tty ? '-tty' : ''}`), timeoutMs: s.timeoutMs(n), expect: ready.expect[kind], hostsCgroup: ready.hostsCgroup });
          s.log(describeSample(sample));
          return sample;
        };
        await resetHosts(ready.lab.hosts, ready.scope, ready.fresh);
        result.samples.push(await run('first'));
        result.samples.push(await run('second'));
        await resetHosts(ready.lab.hosts, ready.scope, ready.fresh);
        result.samples.push(await run('check'));
        if (ttyCost && n === largest) {
          await resetHosts(ready.lab.hosts, ready.scope, ready.fresh);
          const tty = await run('first', true);
          await resetHosts(ready.lab.hosts, ready.scope, ready.fresh);
          const piped = await run('first');
          result.tty.push({ n, piped, tty });
        }
      }
    } finally {
      await closeLab(s, ready.lab);
    }
  }
  return result;
}
