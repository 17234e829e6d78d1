// One measured run of one tool, then its verification: exit status, PLAY RECAP counts and every
// host's end state against the expected-state model. A run with problems is a failure, however fast.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { hostTaskTimes } from './json-report.js';
import type { RunCgroup } from './measure/cgroup.js';
import type { RemoteCounts, RemoteProbe } from './remote/probe.js';
import { runMeasured, type Measurement } from './measure/run-measured.js';
import { checkRecap, parseRecap } from './recap.js';
import { collectStates, compareAll } from './state/host-ops.js';
import type { HostState } from './state/host-state.js';
import type { RunKind, Tool, ToolContext, ToolName } from './tools/tool.js';
import { stateScope } from './workload.js';

export interface Expectation {
  state: HostState;
  changed: number;
}

export interface Sample {
  n: number;
  rep: number;
  tool: ToolName;
  kind: RunKind;
  /** Under a pseudo-terminal (TTY renderer cost). */
  tty?: boolean;
  /** The comparison's profile (absent: LAN). */
  profile?: 'wan';
  m: Measurement;
  problems: string[];
  log: string;
  /** fleetplay only: each host's total task time (ms) from the JSON report. */
  hostTaskMs?: number[];
  /** Sessions each host's sshd served and round trips on each host's SSH streams, during the run. */
  remote?: RemoteCounts;
}

export interface RunOneOptions {
  tool: Tool;
  kind: RunKind;
  ctx: ToolContext;
  runDir: string;
  rep: number;
  timeoutMs: number;
  expect: (host: string) => Expectation;
  tty?: boolean;
  hostsCgroup?: RunCgroup;
  remote?: RemoteProbe;
  profile?: 'wan';
}

const MAX_LISTED = 6;

export async function runOne(o: RunOneOptions): Promise<Sample> {
  await mkdir(o.runDir, { recursive: true });
  const inv = await o.tool.prepare(o.kind, o.runDir, o.ctx);
  const log = join(o.runDir, 'output.log');
  let m: Measurement;
  let remote: RemoteCounts | undefined;
  const probe = await o.remote?.start(o.runDir);
  try {
    m = await runMeasured({ label: `${o.tool.name}-${o.kind}`, argv: inv.argv, env: inv.env, cwd: o.ctx.repoRoot, timeoutMs: o.timeoutMs, logFile: log, tty: o.tty, hostsCgroup: o.hostsCgroup });
  } finally {
    remote = await probe?.stop();
    for (const d of inv.cleanupDirs ?? []) await rm(d, { recursive: true, force: true });
  }
  const problems: string[] = [];
  if (m.timedOut) problems.push(`timed out after ${Math.round(o.timeoutMs / 1000)} s`);
  else if (m.exitCode !== 0) problems.push(`exit code ${m.exitCode}`);
  const output = await readFile(log, 'utf8').catch(() => '');
  const hosts = o.ctx.lab.hosts.map((h) => h.name);
  problems.push(...checkRecap(parseRecap(output), hosts, (h) => o.expect(h).changed).slice(0, MAX_LISTED));
  const states = await collectStates(o.ctx.lab.hosts, stateScope(o.ctx.workload));
  const wrong = compareAll(states, (h) => o.expect(h).state);
  for (const [host, p] of [...wrong].slice(0, MAX_LISTED)) problems.push(`${host}: ${p.slice(0, 3).join('; ')}`);
  if (wrong.size > MAX_LISTED) problems.push(`… and ${wrong.size - MAX_LISTED} more hosts with a wrong end state`);
  const sample: Sample = { n: hosts.length, rep: o.rep, tool: o.tool.name, kind: o.kind, m, problems, log, ...(o.tty ? { tty: true } : {}), ...(o.profile ? { profile: o.profile } : {}), ...(remote ? { remote } : {}) };
  if (inv.jsonReport) {
    try {
      const times = hostTaskTimes(JSON.parse(await readFile(inv.jsonReport, 'utf8')));
      sample.hostTaskMs = hosts.map((h) => times.get(h) ?? Number.NaN);
    } catch (e) {
      if (!m.timedOut && m.exitCode === 0) problems.push(`JSON report unreadable: ${(e as Error).message}`);
    }
  }
  return sample;
}
