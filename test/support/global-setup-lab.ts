// Runs once before the `lab` project: the lab tests need root, sshd, iproute2 and python3-winrm.
// Missing prerequisites are installed when possible (we are root on CI) or the run fails with what to
// install; nothing is skipped silently.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureBuiltCli } from './built-cli.js';
import { useThrowawayStateDir } from './test-state-dir.js';

export default function setup(): () => void {
  const cleanup = useThrowawayStateDir();
  if (process.getuid?.() !== 0) {
    cleanup();
    throw new Error("fleetplay's lab tests need root (the lab uses network and mount namespaces): run them as root, or run 'npm run test:unit' for the tests that need none");
  }
  const script = fileURLToPath(new URL('../../scripts/prereqs.sh', import.meta.url));
  try {
    execFileSync('bash', [script], { stdio: 'inherit' });
  } catch {
    cleanup();
    throw new Error('fleetplay tests: prerequisites missing and could not be installed (see the message above)');
  }
  // The end-to-end tests start the CLI many times: from the bundle, not through tsx (built-cli.ts).
  try {
    ensureBuiltCli();
  } catch (err) {
    cleanup();
    throw err;
  }
  return cleanup;
}
