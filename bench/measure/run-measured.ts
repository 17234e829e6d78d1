// Runs one tool invocation and measures it: wall time (spawn to exit), controller CPU of the whole
// process tree (cgroup), max RSS of the largest process (GNU time) and the peak summed PSS of the
// tree (sampled). Bounded: on timeout everything in the run's cgroup is killed.
import { spawn } from 'node:child_process';
import { open, readFile, rm } from 'node:fs/promises';
import { shJoin } from '../../src/engine/connection/quote.js';
import { RunCgroup } from './cgroup.js';
import { GNU_TIME, GNU_TIME_FORMAT, parseGnuTime } from './gnu-time.js';
import { machineBusyMs } from './machine-cpu.js';
import { startPssSampler } from './pss-sampler.js';

export interface MeasureSpec {
  label: string;
  argv: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** stdout and stderr of the run. */
  logFile: string;
  /** Under a pseudo-terminal (util-linux `script`) instead of a file, to exercise a live renderer. */
  tty?: boolean;
  /** The lab hosts' cgroup: their CPU during the run is the host-side cost of the tool. */
  hostsCgroup?: RunCgroup;
}

export interface Measurement {
  label: string;
  wallMs: number;
  /** Controller CPU of the whole tree (cgroup): user + sys. */
  cpuMs: number;
  userMs: number;
  sysMs: number;
  /** user + sys of the waited-for tree under GNU time (excludes detached processes and `script`). */
  mainCpuMs: number;
  /** Max RSS of the largest single process (GNU time %M). */
  maxRssKb: number;
  /** CPU of the lab hosts during the run (sshd, sessions, the commands the tool runs there). */
  hostCpuMs: number;
  /** Busy CPU of the whole machine during the run (tool + lab hosts + anything else). */
  machineCpuMs: number;
  /** What neither the tool nor the hosts explain: other load on the machine that skewed the run. */
  otherCpuMs: number;
  /** Peak of the tree's summed PSS, sampled every 200 ms. */
  treePssPeakKb: number;
  exitCode: number | null;
  timedOut: boolean;
  /** Processes still running when the tool exited (e.g. ControlPersist masters), killed. */
  leftovers: number;
}

/** Runs in flight, so an interrupted bench can end them (see run.ts). */
export const activeRuns = new Set<RunCgroup>();

// Joins the cgroup before exec, so every descendant (detached or not) is accounted to it.
const WRAP = 'echo $$ > "$1" || exit 97; shift; exec "$@"';

export async function runMeasured(spec: MeasureSpec): Promise<Measurement> {
  const cg = await RunCgroup.create(spec.label);
  activeRuns.add(cg);
  const timeFile = `${spec.logFile}.time`;
  const timed = [GNU_TIME, '-o', timeFile, '-f', GNU_TIME_FORMAT, ...spec.argv];
  const inner = spec.tty ? ['script', '-qefc', `stty cols 160 rows 50 2>/dev/null; exec ${shJoin(timed)}`, '/dev/null'] : timed;
  const log = await open(spec.logFile, 'w');
  const sampler = startPssSampler(() => cg.pids(), 200);
  let timedOut = false;
  const hostsBefore = spec.hostsCgroup ? await spec.hostsCgroup.cpu() : undefined;
  const busyBefore = await machineBusyMs();
  const started = process.hrtime.bigint();
  try {
    const child = spawn('sh', ['-c', WRAP, 'fbwrap', cg.procsFile, ...inner], { cwd: spec.cwd, env: { ...process.env, ...spec.env }, stdio: ['ignore', log.fd, log.fd] });
    const timer = setTimeout(() => {
      timedOut = true;
      void cg.killAll();
    }, spec.timeoutMs);
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => resolve(code));
    }).finally(() => clearTimeout(timer));
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const machineCpuMs = (await machineBusyMs()) - busyBefore;
    const hostsAfter = hostsBefore ? await spec.hostsCgroup!.cpu() : undefined;
    const hostCpuMs = hostsBefore && hostsAfter ? hostsAfter.userMs + hostsAfter.sysMs - hostsBefore.userMs - hostsBefore.sysMs : Number.NaN;
    const leftovers = await cg.killAll();
    const cpu = await cg.cpu();
    const pss = await sampler.stop();
    const time = parseGnuTime(await readFile(timeFile, 'utf8').catch(() => ''));
    return {
      label: spec.label,
      wallMs,
      cpuMs: cpu.userMs + cpu.sysMs,
      userMs: cpu.userMs,
      sysMs: cpu.sysMs,
      mainCpuMs: time ? time.userMs + time.sysMs : Number.NaN,
      maxRssKb: time?.maxRssKb ?? Number.NaN,
      hostCpuMs,
      machineCpuMs,
      otherCpuMs: Math.max(0, machineCpuMs - cpu.userMs - cpu.sysMs - (Number.isFinite(hostCpuMs) ? hostCpuMs : 0)),
      treePssPeakKb: pss,
      exitCode,
      timedOut,
      leftovers,
    };
  } finally {
    await sampler.stop();
    await log.close();
    await cg.remove();
    activeRuns.delete(cg);
    await rm(timeFile, { force: true });
  }
}
