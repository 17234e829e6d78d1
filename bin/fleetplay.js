#!/usr/bin/env node
// Starts the compiled CLI from dist/ when it is at least as new as every source file (npm install
// builds it: scripts/build.mjs); otherwise runs the TypeScript sources through tsx, so a checkout always runs what it holds.
import { readdirSync, statSync } from 'node:fs';
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

function builtIsFresh() {
  try {
    return statSync(join(root, 'dist/.build-stamp')).mtimeMs >= newestSource(join(root, 'src'));
  } catch {
    return false;
  }
}

let entry;
if (!process.env.FLEETPLAY_FROM_SOURCE && builtIsFresh()) {
  // The one-file bundle starts ~0.3 s sooner; `lab` commands run the file-per-module build, since the
  // lab starts helper processes from files beside its own code.
  entry = process.argv[2] === 'lab' ? await import('../dist/src/cli/main.js') : await import('../dist/fleetplay.mjs');
} else {
  const { register } = await import('tsx/esm/api');
  register();
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
