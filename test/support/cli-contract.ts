// Runs the real command line (`node bin/fleetplay.js ...`) as a user would, with a time limit, and
// checks the output contract for bad input: no stack trace, and every problem line placed.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { STACK_TRACE } from './located.js';
import { REPO_ROOT } from './workspace.js';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident set size of the fleetplay process in MiB (with `measureRss`), else 0. */
  peakRssMiB: number;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Record the process's own peak RSS (getrusage maxrss, reported as it exits). */
  measureRss?: boolean;
}

export const FLEETPLAY_BIN = join(REPO_ROOT, 'bin/fleetplay.js');

// Loaded with --import before fleetplay: writes the process's peak RSS (KiB) to a file as it exits.
const RSS_PRELOAD = `import { writeFileSync } from 'node:fs';
process.on('exit', () => writeFileSync(process.env.FLEETPLAY_TEST_RSS_FILE, String(process.resourceUsage().maxRSS)));
`;

export async function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), NO_COLOR: '1', ...opts.env };
  delete env.FLEETPLAY_DEBUG;
  const nodeArgs: string[] = [];
  let scratch: string | undefined;
  if (opts.measureRss) {
    scratch = await mkdtemp(join(tmpdir(), 'fleetplay-rss-'));
    await writeFile(join(scratch, 'preload.mjs'), RSS_PRELOAD);
    nodeArgs.push('--import', pathToFileURL(join(scratch, 'preload.mjs')).href);
    env.FLEETPLAY_TEST_RSS_FILE = join(scratch, 'rss');
  }
  const t0 = performance.now();
  try {
    const r = await new Promise<Omit<CliResult, 'peakRssMiB'>>((resolve, reject) => {
      const child = spawn(process.execPath, [...nodeArgs, FLEETPLAY_BIN, ...args], { cwd: opts.cwd ?? REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const limit = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(limit);
        resolve({ code, signal, stdout, stderr, ms: performance.now() - t0 });
      });
    });
    const kib = scratch ? Number(await readFile(join(scratch, 'rss'), 'utf8').catch(() => '0')) : 0;
    return { ...r, peakRssMiB: kib / 1024 };
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
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
  // A YAML syntax error quotes its line and a caret under it, right after the placed message.
  const excerpt = /^ {2}\d+ \| |^ {2}[ \t]*\^$/;
  for (const line of lines.slice(0, -1)) if (!excerpt.test(line)) expect(line, shown).toMatch(/^\S.*:\d+:\d+: \S/);
  expect(lines[0], shown).not.toMatch(excerpt);
}

/** Exit 5 with a message and no stack trace. */
export function expectBadOptions(r: CliResult, what: string): void {
  const shown = `${what}\n--- exit ${r.code} ---\n${r.stderr}${r.stdout}`;
  expect(r.code, shown).toBe(5);
  expect(r.stderr, shown).toMatch(/\S/);
  expect(`${r.stdout}\n${r.stderr}`, shown).not.toMatch(STACK_TRACE);
}
