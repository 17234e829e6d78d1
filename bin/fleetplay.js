#!/usr/bin/env node
// Starts the one-file CLI bundle from dist/ when it is at least as new as every source file (npm install
// builds it: scripts/build.mjs); otherwise runs the TypeScript sources through tsx, so a checkout always
// runs what it holds. An installed package has no sources beside it: it always runs the bundle.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { register as registerHooks } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function builtIsFresh(sourceDirs) {
  try {
    const stamp = statSync(join(root, 'dist/.build-stamp')).mtimeMs;
    return sourceDirs.every((d) => stamp >= newestSource(d));
  } catch {
    return false;
  }
}

// `fleetplay lab` loads the lab package (packages/lab, built by the same build): only then do its
// sources count, so every other command starts as fast as before.
const sources = [join(root, 'src'), ...(process.argv[2] === 'lab' ? [join(root, 'packages/lab/src')] : [])].filter((d) => existsSync(d));
let entry;
if (sources.length === 0 || (!process.env.FLEETPLAY_FROM_SOURCE && builtIsFresh(sources))) {
  entry = await import('../dist/fleetplay.mjs');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  // Workspace packages (the lab) export their TypeScript sources under this condition.
  registerHooks(
    `data:text/javascript,${encodeURIComponent(
      "export const resolve = (s, c, next) => next(s, { ...c, conditions: [...c.conditions, 'fleetplay-source'] });",
    )}`,
  );
  entry = await import('../src/cli/main.ts');
}
const { main, reportError } = entry;

// `fleetplay ... | head` closes our stdout early: stop quietly instead of printing a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
let code;
try {
  code = await main(process.argv);
} catch (err) {
  code = reportError(err);
}
// Let reporters flush before leaving; open handles (sockets) must not keep a finished run alive.
process.exitCode = code;
setImmediate(() => process.exit(code));
