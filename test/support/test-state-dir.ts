// Handler journals of test runs go to a throwaway state dir, never the user's (both test projects).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Points FLEETPLAY_STATE_DIR at a new temp dir; returns its removal. */
export function useThrowawayStateDir(): () => void {
  const stateDir = mkdtempSync(join(tmpdir(), 'fleetplay-test-state-'));
  process.env.FLEETPLAY_STATE_DIR = stateDir;
  return () => rmSync(stateDir, { recursive: true, force: true });
}
