// fleetplay starts from its compiled dist/ when the build is fresh (bin/fleetplay.js), else from the
// TypeScript sources through tsx, which costs about a second of CPU per start. The benchmark measures
// what users run: it builds first when dist/ is stale, and says in the results which way it ran.
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? await newestMtime(p) : (await stat(p)).mtimeMs);
  }
  return newest;
}

/** Same rule as bin/fleetplay.js: the build stamp is at least as new as every source file. */
export async function buildIsFresh(repoRoot: string): Promise<boolean> {
  try {
    return (await stat(join(repoRoot, 'dist', '.build-stamp'))).mtimeMs >= (await newestMtime(join(repoRoot, 'src')));
  } catch {
    return false;
  }
}

/** Builds dist/ when stale (unless told not to); returns how fleetplay will start. */
export async function ensureBuilt(repoRoot: string, build: boolean, log: (m: string) => void): Promise<string> {
  if (await buildIsFresh(repoRoot)) return 'compiled dist/';
  if (!build) return 'TypeScript sources through tsx (dist/ is stale; --no-build)';
  log('bench: dist/ is older than src/; building fleetplay (npm run build, outside the timing)');
  try {
    await run('npm', ['run', '--silent', 'build'], { cwd: repoRoot, timeout: 300_000 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`bench: building fleetplay failed (npm run build):\n${(err.stdout ?? '') + (err.stderr ?? '') || err.message}`.trimEnd());
  }
  if (!(await buildIsFresh(repoRoot))) throw new Error('bench: npm run build finished but dist/ is still not fresh');
  return 'compiled dist/ (built by the bench)';
}
