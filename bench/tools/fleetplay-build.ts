// The fleetplay the benchmark measures: a snapshot of the checkout taken when the bench starts —
// sources, bin/ and a dist/ built by scripts/build.mjs — so every run measures the same code, started
// the way an installed fleetplay starts (from the bundle; from the TypeScript sources through tsx it
// costs about a second of CPU per start), however the checkout changes while the bench runs.
import { execFile } from 'node:child_process';
import { cp, mkdir, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface FleetplayBuild {
  /** The bin/fleetplay.js to run. */
  bin: string;
  /** How it starts, for the results. */
  start: string;
}

/** Copies src/, bin/, scripts/ and the build configuration into `dir` and builds dist/ there as npm does. */
export async function snapshotBuild(repoRoot: string, dir: string, log: (m: string) => void): Promise<FleetplayBuild> {
  await mkdir(dir, { recursive: true });
  // Sources keep their times, so the stamp written last is newer than all of them (bin's freshness rule).
  for (const p of ['src', 'bin', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) await cp(join(repoRoot, p), join(dir, p), { recursive: true, preserveTimestamps: true });
  await symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  log('bench: building the fleetplay snapshot (scripts/build.mjs)');
  try {
    await run(process.execPath, [join(dir, 'scripts', 'build.mjs')], { cwd: dir, timeout: 600_000, maxBuffer: 16 * 2 ** 20 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    const first = `${err.stdout ?? ''}\n${err.stderr ?? ''}`.split('\n').find((l) => /error/i.test(l)) ?? (e as Error).message.split('\n')[0];
    throw new Error(`bench: building the fleetplay snapshot failed (fix the checkout, or use --no-build): ${first!.trim()}`);
  }
  return { bin: join(dir, 'bin', 'fleetplay.js'), start: 'the installed build (dist/, bundled CLI) of a snapshot of the checkout' };
}

/** The checkout's own bin, started however bin/fleetplay.js decides (--no-build). */
export function checkoutBin(repoRoot: string): FleetplayBuild {
  return { bin: join(repoRoot, 'bin', 'fleetplay.js'), start: 'the checkout\'s bin/fleetplay.js as is (--no-build)' };
}

/** The one-file CLI bundle a bin/fleetplay.js starts (dist/fleetplay.mjs beside its bin/). */
export function bundleOf(bin: string): string {
  return join(dirname(dirname(bin)), 'dist', 'fleetplay.mjs');
}
