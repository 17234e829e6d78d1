// `@fleetplay/lab/powershell`: the lab's PowerShell parser and interpreter on their own, for tests that
// check what the product sends (quoting, encoded commands) against a real parser.
export type { CommandTable } from './cmdlet.js';
export { Interpreter } from './interpreter.js';
export { runScriptText } from './invoke.js';
export { parseScript } from './parser.js';
