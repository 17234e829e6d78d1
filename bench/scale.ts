// fleetplay at large fleets: wall (against the one-script floor's first run), memory, and each
// host's total task time (a starved host shows up as an outlier). At the largest size, the live TTY renderer's CPU cost: the same first run
// under a pseudo-terminal and piped, alternating, hosts reset before each.
import { join } from 'node:path';
import { bundleMapperFor, loadProfile, profilesAt } from './profile/load.js';
import { RENDERER_AREAS, summarizeProfile } from './profile/summarize.js';
import type { TtyPair } from './report.js';
import { remoteProbe } from './remote/probe.js';
import { runOne, type Sample } from './run-one.js';
import { closeLab, describeSample, fleetplayFor, readyLab, type Session } from './session.js';
import { resetHosts } from './state/host-ops.js';
import { bundleOf } from './tools/fleetplay-build.js';
import { fleetplayTool } from './tools/fleetplay.js';
import { floorScript } from './tools/floors.js';
import type { RunKind, ToolContext } from './tools/tool.js';

export interface ScaleResult {
  samples: Sample[];
  tty: TtyPair[];
  /** A size whose lab could not start: what failed, precisely. */
  labFailures: { n: number; error: string }[];
}

/** Fills `result` as it goes, so an error later keeps what was measured. */
export async function runScale(s: Session, sizes: readonly number[], reps: number, ttyCost: boolean, result: ScaleResult): Promise<void> {
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
    // Sessions per host from the sshd logs; no capture at these sizes (its cost would skew the run).
    const sessionsOnly = remoteProbe({ hosts: ready.lab.hosts, iface: ready.lab.captureIface, capture: false });
    const ctx: ToolContext = { lab: ready.lab, workload: s.workload, repoRoot: s.repoRoot, playbookArg: s.playbookArg, forks: n };
    try {
      for (let rep = 1; rep <= reps; rep++) {
        // `label` names the run's directory and profile: the TTY pair repeats the first run.
        const run = async (kind: RunKind, label: string, tty = false, profileDir?: string) => {
          const tool = profileDir ? fleetplayTool({ bin: s.fleetplayBin, cpuProfDir: () => profileDir }) : fleetplayFor(s, () => `fleetplay-scale-n${n}-${label}-r${rep}`);
          const runDir = join(s.workDir, `scale-n${n}`, `r${rep}`, label);
          const sample = await runOne({ tool, kind, ctx, rep, tty, runDir, timeoutMs: s.timeoutMs(n), expect: ready.expect[kind], hostsCgroup: ready.hostsCgroup, remote: sessionsOnly });
          s.log(describeSample(sample));
          return sample;
        };
        await resetHosts(ready.lab.hosts, ready.scope, ready.fresh);
        result.samples.push(await run('first', 'first'));
        result.samples.push(await run('second', 'second'));
        await resetHosts(ready.lab.hosts, ready.scope, ready.fresh);
        result.samples.push(await run('check', 'check'));
        // The one-script floor's first run on the same fresh hosts: fleetplay's wall against it.
        await resetHosts(ready.lab.hosts, ready.scope, ready.fresh);
        const floorDir = join(s.workDir, `scale-n${n}`, `r${rep}`, 'floor-script-first');
        const floor = await runOne({ tool: floorScript, kind: 'first', ctx, rep, runDir: floorDir, timeoutMs: s.timeoutMs(n), expect: ready.expect.first, hostsCgroup: ready.hostsCgroup, remote: sessionsOnly });
        s.log(describeSample(floor));
        result.samples.push(floor);
        if (ttyCost && n === largest) {
          await resetHosts(ready.lab.hosts, ready.scope, ready.fresh);
          // Both runs of the pair are profiled (the same overhead on each side of the difference);
          // the renderer's share of the TTY run's CPU is read from its profile.
          const profileDir = join(s.workDir, `scale-n${n}`, `r${rep}`, 'first-tty-profile');
          const tty = await run('first', 'first-tty', true, profileDir);
          const rendererMs = await rendererCpuMs(profileDir, s.fleetplayBin).catch((e: Error) => {
            s.log(`bench: could not read the TTY run's profile: ${e.message}`);
            return undefined;
          });
          await resetHosts(ready.lab.hosts, ready.scope, ready.fresh);
          const piped = await run('first', 'first-piped', false, join(s.workDir, `scale-n${n}`, `r${rep}`, 'first-piped-profile'));
          result.tty.push({ n, piped, tty, ...(rendererMs === undefined ? {} : { rendererMs }) });
        }
      }
    } finally {
      await closeLab(s, ready.lab);
    }
  }
}

/** Self time of the live renderer's code (listr2 and its deps, our rows and frame writer) in a run's profiles. */
async function rendererCpuMs(profileDir: string, fleetplayBin: string): Promise<number> {
  const profiles = await Promise.all((await profilesAt(profileDir)).map(loadProfile));
  if (!profiles.length) throw new Error(`no profiles in ${profileDir}`);
  const mapFrame = await bundleMapperFor(profiles, profileDir, [bundleOf(fleetplayBin)]);
  const summary = summarizeProfile(profiles, 1, mapFrame);
  return summary.byArea.filter((a) => RENDERER_AREAS.includes(a.name)).reduce((sum, a) => sum + a.ms, 0);
}
