// Runs the real command line (`node bin/fleetplay.js ...`) as a user would, with a time limit, and
// checks the output contract for bad input: no stack trace, and every problem line placed.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { STACK_TRACE } from './located.js';
import { REPO_ROOT } from './workspace.js';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident set size of the process (from /proc while it ran), in MiB; 0 when not sampled. */
  peakRssMiB: number;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Sample the child's RSS every 50 ms (for memory bounds). */
  sampleRss?: boolean;
}

export const FLEETPLAY_BIN = join(REPO_ROOT, 'bin/fleetplay.js');

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), NO_COLOR: '1', ...opts.env };
  delete env.FLEETPLAY_DEBUG;
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FLEETPLAY_BIN, ...args], { cwd: opts.cwd ?? REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const limit = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    const sampler = opts.sampleRss
      ? setInterval(() => {
          peak = Math.max(peak, rssOf(child.pid));
        }, 50)
      : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      if (sampler) clearInterval(sampler);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - t0, peakRssMiB: peak / 1024 });
    });
  });
}

/** VmRSS of a process in KiB (0 when it is gone). */
function rssOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    // Synchronous and tiny: /proc reads do not block on disk.
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

const SUMMARY = /^fleetplay: \d+ problems? found; nothing was run$/;

/** Exit 3, nothing run, no stack trace, and every line of stderr is a placed diagnostic or the summary. */
export function expectInvalidInput(r: CliResult, what: string): void {
  const shown = `${what}\n--- exit ${r.code} ---\n${r.stderr}${r.stdout}`;
  expect(r.code, shown).toBe(3);
  expect(`${r.stdout}\n${r.stderr}`, shown).not.toMatch(STACK_TRACE);
  expect(r.stdout, shown).not.toMatch(/TASK \[/);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines.length, shown).toBeGreaterThan(1);
  expect(lines.at(-1), shown).toMatch(SUMMARY);
  for (const line of lines.slice(0, -1)) expect(line, shown).toMatch(/^\S.*:\d+:\d+: \S/);
}

/** Exit 5 with a message and no stack trace. */
export function expectBadOptions(r: CliResult, what: string): void {
  const shown = `${what}\n--- exit ${r.code} ---\n${r.stderr}${r.stdout}`;
  expect(r.code, shown).toBe(5);
  expect(r.stderr, shown).toMatch(/\S/);
  expect(`${r.stdout}\n${r.stderr}`, shown).not.toMatch(STACK_TRACE);
}
