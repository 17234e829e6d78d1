// The real CLI for fault tests: started in its own process group so a test can (a) act at a given
// point of the run by watching its output as it comes, and (b) prove afterwards that nothing the
// run started outlived it. A run that passes its deadline is killed with its whole group.
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { BIN } from '../../e2e/support/cli.js';

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
  /** Resolves once stdout matches `pattern` (rejects when the run ends first or after timeoutMs). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  readonly done: Promise<FaultRunResult>;
}

export function startFleetplay(args: string[], opts: { deadlineMs: number; env?: Record<string, string> }): FaultRun {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: whatever it spawns can be found (and killed) by the group id.
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  let ended = false;
  let killed = false;
  const watchers = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    for (const w of [...watchers]) w();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => {
    killed = true;
    killGroup(child.pid!);
  }, opts.deadlineMs);
  const done = new Promise<FaultRunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      ended = true;
      clearTimeout(timer);
      for (const w of [...watchers]) w();
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, killed });
    });
  });
  return {
    pid: child.pid!,
    done,
    waitForOutput: (pattern, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(stdout)) finish();
          else if (ended) finish(new Error(`fleetplay ended before its output matched ${pattern}:\n${stdout}${stderr}`));
        };
        const t = setTimeout(() => finish(new Error(`fleetplay's output did not match ${pattern} within ${timeoutMs} ms:\n${stdout}`)), timeoutMs);
        const finish = (err?: Error) => {
          clearTimeout(t);
          watchers.delete(check);
          if (err) reject(err);
          else resolve();
        };
        watchers.add(check);
        check();
      }),
  };
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

/** Live (non-zombie) processes whose process group is `pgid`, as "pid args" lines. */
export async function processGroupMembers(pgid: number): Promise<string[]> {
  const found: string[] = [];
  for (const e of await readdir('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const stat = await readFile(`/proc/${e}/stat`, 'utf8').catch(() => '');
    // Fields after the command name (which may hold spaces): state ppid pgrp ...
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest[0] === 'Z' || Number(rest[2]) !== pgid) continue;
    const args = (await readFile(`/proc/${e}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ').trim();
    found.push(`${e} ${args}`);
  }
  return found;
}

/** Runs fleetplay to the end; afterwards its process group must be empty (nothing leaked). */
export async function fleetplayToEnd(args: string[], deadlineMs: number): Promise<FaultRunResult & { leaked: string[] }> {
  const run = startFleetplay(args, { deadlineMs });
  const r = await run.done;
  return { ...r, leaked: await processGroupMembers(run.pid) };
}
