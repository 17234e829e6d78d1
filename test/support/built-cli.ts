// Tests that run the real CLI as a process start bin/fleetplay.js, which runs the dist/ bundle when it
// is newer than every source and otherwise the TypeScript sources through tsx. Through tsx, each start
// transpiles and loads hundreds of files (measured 4-5x slower than the bundle), and a test file starts
// the CLI dozens of times: so the projects that do so build once, before their first test, when the
// checkout has changed since the last build. The tests still run what a user runs after `npm ci`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function newest(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n = Math.max(n, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return n;
}

/** True when dist/ is at least as new as the sources bin/fleetplay.js compares it with. */
export function builtIsFresh(root = ROOT): boolean {
  const stamp = join(root, 'dist/.build-stamp');
  if (!existsSync(stamp)) return false;
  const sources = [join(root, 'src'), join(root, 'packages/lab/src')].filter((d) => existsSync(d));
  const built = statSync(stamp).mtimeMs;
  return sources.every((d) => built >= newest(d));
}

/** Builds dist/ (scripts/build.mjs, as `npm ci` does) unless it is fresh; a failed build fails the run. */
export function ensureBuiltCli(root = ROOT): void {
  if (builtIsFresh(root)) return;
  try {
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`fleetplay tests: building the CLI (npm run build) failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
  }
}
