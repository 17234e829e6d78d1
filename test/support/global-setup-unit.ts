// Runs once before the `unit` project: nothing to install and no root needed (that is the point of
// the project); only the state dir is made private to the run.
import { useThrowawayStateDir } from './test-state-dir.js';

export default function setup(): () => void {
  return useThrowawayStateDir();
}
