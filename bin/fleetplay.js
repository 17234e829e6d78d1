#!/usr/bin/env node
// Runs the TypeScript sources through tsx so the package works from a checkout without a build step.
import { register } from 'tsx/esm/api';

register();
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
