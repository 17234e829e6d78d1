// Runs once before the `integration` project: no root and nothing to install, like `unit`; its tests
// start the real CLI as a process, so the CLI is built first when the sources changed (built-cli.ts).
import { ensureBuiltCli } from './built-cli.js';
import { useThrowawayStateDir } from './test-state-dir.js';

export default function setup(): () => void {
  ensureBuiltCli();
  return useThrowawayStateDir();
}
