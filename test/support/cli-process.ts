// The real `fleetplay` command as a child process, for behaviour users see: signals, exit codes,
// what is printed, what is left on disk.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const BIN = fileURLToPath(new URL('../../bin/fleetplay.js', import.meta.url));

export interface CliRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout matches (rejects if the process ends first or after `timeoutMs`). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCli(args: string[], env: Record<string, string>, cwd?: string): CliRun {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', FLEETPLAY_DEBUG: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
    for (const w of [...waiters]) w();
  });
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      for (const w of [...waiters]) w();
      resolve({ code, signal });
    });
  });
  let ended = false;
  void exit.then(() => (ended = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`timed out waiting for ${pattern} in:\n${out}\n${err}`)), timeoutMs);
        const check = () => {
          if (pattern.test(out)) done();
          else if (ended || child.exitCode !== null) done(new Error(`fleetplay exited before ${pattern} appeared:\n${out}\n${err}`));
        };
        const done = (e?: Error) => {
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          if (e) reject(e);
          else resolve();
        };
        waiters.push(check);
        check();
      });
    },
  };
}

/** Runs to the end; the exit code and output. */
export async function runCli(args: string[], env: Record<string, string>, cwd?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const r = startCli(args, env, cwd);
  const { code } = await r.exit;
  return { code, stdout: r.stdout(), stderr: r.stderr() };
}

/**
 * Host-side commands fleetplay started run in their own process groups and outlive a killed
 * fleetplay: wait until no process mentions `needle` (a temp dir) in its command line.
 */
export async function waitForProcessesMentioning(needle: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await processesMentioning(needle);
    if (!left.length) return;
    if (Date.now() > deadline) throw new Error(`processes still running after ${timeoutMs} ms: ${left.join(', ')}`);
    await sleep(50);
  }
}

async function processesMentioning(needle: string): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const cmd = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes(needle)) pids.push(Number(name));
  }
  return pids;
}
