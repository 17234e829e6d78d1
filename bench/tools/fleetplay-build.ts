// The fleetplay the benchmark measures: a snapshot of the checkout taken when the bench starts —
// sources, bin/ and a compiled dist/ — so every run measures the same code, started the way an
// installed fleetplay starts (from dist/; from the TypeScript sources through tsx it costs about a
// second of CPU per start), however the checkout changes while the bench runs.
import { execFile } from 'node:child_process';
import { cp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface FleetplayBuild {
  /** The bin/fleetplay.js to run. */
  bin: string;
  /** How it starts, for the results. */
  start: string;
}

/** Copies src/, bin/ and the build configuration into `dir` and compiles dist/ there. */
export async function snapshotBuild(repoRoot: string, dir: string, log: (m: string) => void): Promise<FleetplayBuild> {
  await mkdir(dir, { recursive: true });
  // Sources keep their times, so the stamp written last is newer than all of them (bin's freshness rule).
  for (const p of ['src', 'bin', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) await cp(join(repoRoot, p), join(dir, p), { recursive: true, preserveTimestamps: true });
  await symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  let warning = '';
  try {
    await run(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.build.json')], { cwd: dir, timeout: 600_000, maxBuffer: 16 * 2 ** 20 });
  } catch (e) {
    const err = e as { stdout?: string; code?: unknown };
    const errors = (err.stdout ?? '').split('\n').filter((l) => /error TS\d+/.test(l));
    // tsc still emits JavaScript on type errors; a snapshot that does not run fails every run's checks.
    if (!errors.length) throw new Error(`bench: compiling the fleetplay snapshot failed: ${(e as Error).message.split('\n')[0]}`);
    warning = ` (compiled with ${errors.length} type error(s), e.g. ${errors[0]!.trim()})`;
    log(`bench: warning: the checkout has type errors; measuring what tsc emitted${warning}`);
  }
  // Non-TypeScript files the code reads at run time sit beside the compiled modules, as in npm run build.
  await cp(join(dir, 'src'), join(dir, 'dist', 'src'), { recursive: true, filter: (p) => !p.endsWith('.ts') });
  await writeFile(join(dir, 'dist', '.build-stamp'), `${new Date().toISOString()}\n`);
  return { bin: join(dir, 'bin', 'fleetplay.js'), start: `compiled dist/ of a snapshot of the checkout${warning}` };
}

/** The checkout's own bin, started however bin/fleetplay.js decides (--no-build). */
export function checkoutBin(repoRoot: string): FleetplayBuild {
  return { bin: join(repoRoot, 'bin', 'fleetplay.js'), start: 'the checkout\'s bin/fleetplay.js as is (--no-build)' };
}
