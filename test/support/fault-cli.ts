// The real CLI for fault tests. Every process the run starts carries a token in its environment
// (children inherit it, even those that leave the process group), so a test can prove afterwards
// that nothing the run started outlived it. A run past its deadline (a hang) is killed with its group.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { BIN } from './cli.js';

export interface FaultRunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
  /** Whether the deadline killed it (a hang). */
  killed: boolean;
}

export interface FaultRun {
  readonly pid: number;
  readonly done: Promise<FaultRunResult>;
  /** Processes of this run still alive ("pid args"); empty once it has ended cleanly. */
  leftovers(): Promise<string[]>;
}

const TOKEN_VAR = 'FLEETPLAY_FAULT_TEST_RUN';

export function startFleetplay(args: string[], opts: { deadlineMs: number; env?: Record<string, string> }): FaultRun {
  const started = Date.now();
  const token = `${TOKEN_VAR}=${randomUUID()}`;
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...opts.env, [TOKEN_VAR]: token.split('=')[1]! },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: whatever it spawns can be found (and killed) by the group id.
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  let killed = false;
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => {
    killed = true;
    killGroup(child.pid!);
  }, opts.deadlineMs);
  const done = new Promise<FaultRunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, killed });
    });
  });
  return { pid: child.pid!, done, leftovers: () => processesOfRun(child.pid!, token) };
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

/** Live (non-zombie) processes in the run's process group or carrying its environment token. */
async function processesOfRun(pgid: number, token: string): Promise<string[]> {
  const found: string[] = [];
  for (const e of await readdir('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    const stat = await readFile(`/proc/${e}/stat`, 'utf8').catch(() => '');
    // Fields after the command name (which may hold spaces): state ppid pgrp ...
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (!stat || rest[0] === 'Z') continue;
    const env = await readFile(`/proc/${e}/environ`, 'utf8').catch(() => '');
    if (Number(rest[2]) !== pgid && !env.split('\0').includes(token)) continue;
    const args = (await readFile(`/proc/${e}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ').trim();
    found.push(`${e} ${args}`);
  }
  return found;
}

/** Runs fleetplay to the end; afterwards its process group must be empty (nothing leaked). */
export async function fleetplayToEnd(args: string[], deadlineMs: number): Promise<FaultRunResult & { leaked: string[] }> {
  const run = startFleetplay(args, { deadlineMs });
  const r = await run.done;
  return { ...r, leaked: await run.leftovers() };
}
