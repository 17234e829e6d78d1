// The comparison at one fleet size: every tool, every run kind, `reps` times. Within a repetition the
// tools take turns (the order rotates between repetitions so none always runs first), and hosts are
// reset to fresh before each first and check run.
import { join } from 'node:path';
import type { BenchOptions } from './options.js';
import type { ProfileName } from './wan/profile.js';
import { runOne, type Sample } from './run-one.js';
import { closeLab, describeSample, fleetplayFor, readyLab, type Session } from './session.js';
import { resetHosts } from './state/host-ops.js';
import { ansible } from './tools/ansible.js';
import { floorScript, floorSteps } from './tools/floors.js';
import type { RunKind, Tool, ToolContext, ToolName } from './tools/tool.js';

export function toolFor(name: ToolName, s: Session, n: number, rep: number): Tool {
  switch (name) {
    case 'fleetplay':
      return fleetplayFor(s, (k) => `fleetplay-n${n}-${k}-r${rep}`);
    case 'ansible':
      return ansible;
    case 'floor-steps':
      return floorSteps;
    case 'floor-script':
      return floorScript;
  }
}

/** The tools in turn order for a repetition (1-based): rotated by one each time. */
export function turnOrder<T>(tools: readonly T[], rep: number): T[] {
  const k = (rep - 1) % tools.length;
  return [...tools.slice(k), ...tools.slice(0, k)];
}

/** Appends each sample to `samples` as it is taken, so an error later keeps what was measured. */
export async function runComparison(s: Session, n: number, o: BenchOptions, samples: Sample[], profile: ProfileName = 'lan'): Promise<void> {
  const wan = profile === 'wan';
  const ready = await readyLab(s, n, `lab-${wan ? 'wan-' : ''}${n}`, wan ? o.wan : undefined);
  const ctx: ToolContext = { lab: ready.lab, workload: s.workload, repoRoot: s.repoRoot, playbookArg: s.playbookArg, forks: n };
  try {
    for (let rep = 1; rep <= o.reps; rep++) {
      for (const name of turnOrder(o.tools, rep)) {
        const tool = toolFor(name, s, n, rep);
        const run = async (kind: RunKind) => {
          const sample = await runOne({ tool, kind, ctx, rep, ...(wan ? { profile: 'wan' as const } : {}), runDir: join(s.workDir, `${wan ? 'wan-' : ''}n${n}`, `r${rep}`, `${name}-${kind}`), timeoutMs: s.timeoutMs(n), expect: ready.expect[kind], hostsCgroup: ready.hostsCgroup, remote: ready.remote });
          samples.push(sample);
          s.log(describeSample(sample));
        };
        if (o.runs.includes('first')) {
          await resetHosts(ready.lab.hosts, ready.scope, ready.fresh);
          await run('first');
          if (o.runs.includes('second')) await run('second');
        }
        if (o.runs.includes('check')) {
          await resetHosts(ready.lab.hosts, ready.scope, ready.fresh);
          await run('check');
        }
      }
    }
  } finally {
    await closeLab(s, ready.lab);
  }
}
