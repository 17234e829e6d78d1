// Runs once before the suite: the lab tests need root, sshd, iproute2 and python3-winrm. Missing
// prerequisites are installed when possible (we are root on CI) or the run fails with what to install;
// nothing is skipped silently.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): () => void {
  // Handler journals of test runs go to a throwaway state dir, never the user's.
  const stateDir = mkdtempSync(join(tmpdir(), 'fleetplay-test-state-'));
  process.env.FLEETPLAY_STATE_DIR = stateDir;
  if (process.getuid?.() !== 0) {
    throw new Error('fleetplay tests need root (the lab uses network and mount namespaces): run them as root');
  }
  const script = fileURLToPath(new URL('../scripts/prereqs.sh', import.meta.url));
  try {
    execFileSync('bash', [script], { stdio: 'inherit' });
  } catch {
    throw new Error('fleetplay tests: prerequisites missing and could not be installed (see the message above)');
  }
  return () => rmSync(stateDir, { recursive: true, force: true });
}
