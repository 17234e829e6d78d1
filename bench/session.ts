// What every part of a bench invocation shares: paths, the workload, the labs it started (so an
// interrupt tears them down), and a progress log.
import { join } from 'node:path';
import { collectStates } from './state/host-ops.js';
import { checkFresh } from './state/host-ops.js';
import { buildExpectations, type Expectations } from './expectations.js';
import { locateHosts, startBenchLab, type BenchLab } from './lab/bench-lab.js';
import type { Sample } from './run-one.js';
import { stateScope, type LoadedWorkload, type StateScope } from './workload.js';
import type { HostState } from './state/host-state.js';
import { formatMegabytes, formatPerHost, formatSeconds, sessionsPerHost } from './stats.js';
import { RunCgroup } from './measure/cgroup.js';
import { fleetplayTool } from './tools/fleetplay.js';
import type { RunKind, Tool } from './tools/tool.js';
import { remoteProbe, type RemoteProbe } from './remote/probe.js';
import type { WanShape } from './wan/profile.js';

export interface Session {
  repoRoot: string;
  workload: LoadedWorkload;
  playbookArg: string;
  workDir: string;
  cpuProfDir?: string;
  /** The fleetplay every run starts (see tools/fleetplay-build.ts). */
  fleetplayBin: string;
  timeoutMs: (hosts: number) => number;
  log: (message: string) => void;
  labs: Set<BenchLab>;
}

export interface ReadyLab {
  lab: BenchLab;
  /** Every process of the lab hosts (sshd, sessions, commands): their CPU per run. */
  hostsCgroup: RunCgroup;
  scope: StateScope;
  fresh: Map<string, HostState>;
  expect: Expectations;
  /** Remote commands and round trips per host of a run. */
  remote: RemoteProbe;
}

/** Starts a lab of `n` hosts and records its fresh state and what each run must leave. */
export async function readyLab(s: Session, n: number, name: string, wan?: WanShape): Promise<ReadyLab> {
  const started = Date.now();
  const lab = await startBenchLab(join(s.workDir, name), n, s.workload.group, s.workDir, () => undefined, wan);
  s.labs.add(lab);
  const hostsCgroup = await RunCgroup.adopt(`lab-${n}-hosts`, await locateHosts(lab.hosts));
  lab.onDown(() => hostsCgroup.remove(false));
  const scope = stateScope(s.workload);
  const fresh = await collectStates(lab.hosts, scope);
  checkFresh(fresh, scope);
  s.log(`bench: lab of ${n} hosts up in ${formatSeconds(Date.now() - started)} (${lab.info.subnet}${wan ? `; WAN: ${lab.profile}` : ''})`);
  const remote = remoteProbe({ hosts: lab.hosts, iface: lab.captureIface });
  return { lab, hostsCgroup, scope, fresh, expect: buildExpectations(fresh, s.workload, lab.hosts), remote };
}

export async function closeLab(s: Session, lab: BenchLab): Promise<void> {
  s.labs.delete(lab);
  await lab.down();
}

/** fleetplay as every part of the bench runs it: profiled if asked, compiled when it can be. */
export function fleetplayFor(s: Session, profileName: (kind: RunKind) => string): Tool {
  return fleetplayTool({
    ...(s.cpuProfDir ? { cpuProfDir: (k: RunKind) => join(s.cpuProfDir!, profileName(k)) } : {}),
    bin: s.fleetplayBin,
  });
}

export function describeSample(x: Sample): string {
  const m = x.m;
  const verdict = x.problems.length ? `FAILED: ${x.problems.slice(0, 2).join('; ')}` : 'ok';
  const cpu = `${formatSeconds(m.cpuMs)} CPU (user ${formatSeconds(m.userMs)}, sys ${formatSeconds(m.sysMs)})`;
  const r = x.remote;
  const remote = r ? `, per host ${formatPerHost(sessionsPerHost(r))} remote commands, ${formatPerHost(r.roundTrips)} round trips` : '';
  return `N=${x.n}${x.profile ? ' WAN' : ''} rep ${x.rep} ${x.tool} ${x.kind}${x.tty ? ' (tty)' : ''}: ${formatSeconds(m.wallMs)} wall, ${cpu}, hosts ${formatSeconds(m.hostCpuMs)} CPU, ${formatMegabytes(m.maxRssKb)} max RSS${remote} — ${verdict}`;
}
