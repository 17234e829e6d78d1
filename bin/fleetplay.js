#!/usr/bin/env node
// Runs the TypeScript sources through tsx so the package works from a checkout without a build step.
import { register } from 'tsx/esm/api';

register();
// `fleetplay ... | head` closes our stdout early: stop quietly instead of printing a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
const { main, reportError } = await import('../src/cli/main.ts');
let code;
try {
  code = await main(process.argv);
} catch (err) {
  code = reportError(err);
}
// Let reporters flush before leaving; open handles (sockets) must not keep a finished run alive.
process.exitCode = code;
setImmediate(() => process.exit(code));
