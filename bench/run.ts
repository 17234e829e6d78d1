// `npm run bench -- --hosts 10,50 [--reps 3] [--scale 200,500] [--cpu-prof]`: fleetplay against tuned
// ansible-playbook and two raw-SSH floors on the lab, every run verified; results appended to
// bench/results/<date>.md and printed. Needs root (lab, cgroups) and GNU time.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runComparison } from './compare.js';
import { environment } from './environment.js';
import { requireGnuTime } from './measure/gnu-time.js';
import { RunCgroup } from './measure/cgroup.js';
import { activeRuns } from './measure/run-measured.js';
import { BenchUsageError, defaultTimeoutMs, parseBenchArgs, type BenchOptions } from './options.js';
import { writeResults } from './results.js';
import type { Sample } from './run-one.js';
import { runScale, type ScaleResult } from './scale.js';
import type { Session } from './session.js';
import { ensureTcpdump } from './remote/capture.js';
import { requireNetem } from './wan/netem.js';
import { ensureAnsible } from './tools/ansible.js';
import { bundleOf, checkoutBin, snapshotBuild, type FleetplayBuild } from './tools/fleetplay-build.js';
import { loadWorkload } from './workload.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function preflight(o: BenchOptions, workDir: string, log: (m: string) => void): Promise<{ ansible?: string; fleetplay?: FleetplayBuild }> {
  if (process.getuid?.() !== 0) throw new Error('bench: needs root (the lab creates namespaces; runs are measured in cgroups)');
  await requireGnuTime();
  // Fails early, with the reason, when cgroups cannot be used.
  await (await RunCgroup.create('preflight')).remove();
  const ansible = o.hosts.length && o.tools.includes('ansible') ? await ensureAnsible(log) : undefined;
  if (o.hosts.length) await ensureTcpdump(log);
  // Before any lab starts: the WAN profile's delay must be real, or the run says why it is not.
  if (o.hosts.length && o.profiles.includes('wan') && o.wan.method === 'netem') await requireNetem();
  const usesFleetplay = o.scale.length > 0 || (o.hosts.length > 0 && o.tools.includes('fleetplay'));
  const fleetplay = !usesFleetplay ? undefined : o.build ? await snapshotBuild(repoRoot, join(workDir, 'fleetplay'), log) : checkoutBin(repoRoot);
  return { ...(ansible ? { ansible } : {}), ...(fleetplay ? { fleetplay } : {}) };
}

async function main(argv: string[]): Promise<number> {
  let o: BenchOptions;
  try {
    o = parseBenchArgs(argv);
  } catch (e) {
    if (e instanceof BenchUsageError) {
      process.stderr.write(`bench: ${e.message}\n`);
      return 5;
    }
    throw e;
  }
  const log = (m: string) => process.stdout.write(`${m}\n`);
  const workloadDir = resolve(repoRoot, o.workload ?? '../shared/bench-workload');
  const playbook = join(workloadDir, 'workload.yml');
  const workload = await loadWorkload(playbook);
  const workDir = await mkdtemp(join(tmpdir(), 'fleetbench-'));
  const pre = await preflight(o, workDir, log);
  const fleetplayBin = pre.fleetplay?.bin ?? join(repoRoot, 'bin', 'fleetplay.js');
  const cpuProfDir = o.cpuProf ? join(repoRoot, 'bench', 'results', 'profiles') : undefined;
  if (cpuProfDir) {
    await mkdir(cpuProfDir, { recursive: true });
    // Profiles name lines of the bundle the runs started from; keep a copy beside them (profile-summary
    // maps its lines back to modules), since the snapshot is removed at the end.
    await copyFile(bundleOf(fleetplayBin), join(cpuProfDir, 'fleetplay.mjs')).catch(() => undefined);
  }
  const session: Session = {
    repoRoot,
    workload,
    playbookArg: relative(repoRoot, playbook),
    workDir,
    fleetplayBin,
    ...(cpuProfDir ? { cpuProfDir } : {}),
    timeoutMs: (n) => (o.timeout ? o.timeout * 1000 : defaultTimeoutMs(n)),
    log,
    labs: new Set(),
  };
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    log('bench: interrupted; ending the running tool and taking the labs down');
    void Promise.allSettled([...activeRuns].map((cg) => cg.remove()))
      .then(() => Promise.allSettled([...session.labs].map((l) => l.down())))
      .then(() => process.exit(99));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const started = new Date();
  const samples: Sample[] = [];
  const scale: ScaleResult | undefined = o.scale.length ? { samples: [], tty: [], labFailures: [] } : undefined;
  let stopped: string | undefined;
  try {
    for (const profile of o.profiles) for (const n of o.hosts) await runComparison(session, n, o, samples, profile);
    if (scale) await runScale(session, o.scale, o.scaleReps, o.ttyCost, scale);
  } catch (e) {
    // What was measured so far is still reported, with the reason the bench stopped.
    stopped = (e as Error).message;
    log(`bench: stopped early: ${stopped}`);
  } finally {
    await Promise.allSettled([...session.labs].map((l) => l.down()));
  }
  const env = await environment(repoRoot, pre.ansible, pre.fleetplay?.start);
  const all = [...samples, ...(scale?.samples ?? []), ...(scale?.tty.flatMap((p) => [p.tty]) ?? [])];
  const failed = all.some((x) => x.problems.length) || (scale?.labFailures.length ?? 0) > 0;
  // Every measurement, for analysis beyond the tables (kept with the run logs).
  await writeFile(join(workDir, 'samples.json'), `${JSON.stringify({ options: o, samples, scale }, null, 1)}\n`);
  const out = await writeResults({ repoRoot, started, options: o, env, samples, scale, ...(stopped ? { stopped } : {}), playbookArg: session.playbookArg, ...(cpuProfDir ? { cpuProfDir } : {}), ...(o.out ? { out: o.out } : {}) });
  log(out.markdown);
  log(`bench: results appended to ${out.file}`);
  if (failed || stopped || o.keepWork) log(`bench: run logs, scripts and samples.json kept in ${workDir}`);
  else await rm(workDir, { recursive: true, force: true });
  return stopped ? 1 : failed ? 2 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  },
);
