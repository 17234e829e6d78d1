// Shared by the bench unit tests: the reference workload (beside the checkout, as CI has it) and a
// copy of it whose absolute paths point into a temporary directory, so the floors' shell and the
// state scripts can run for real on this machine without touching /etc.
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWorkload, type LoadedWorkload, type Step } from '../../bench/workload.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const workloadDir = resolve(repoRoot, '../shared/bench-workload');
export const workloadFile = join(workloadDir, 'workload.yml');

export function reference(): Promise<LoadedWorkload> {
  return loadWorkload(workloadFile);
}

/** The reference workload with every absolute path moved under `root`. */
export function relocate(w: LoadedWorkload, root: string): LoadedWorkload {
  const move = (p: string) => join(root, p);
  const steps = w.steps.map((s): Step => {
    switch (s.kind) {
      case 'lineinfile':
      case 'stat':
      case 'directory':
        return { ...s, path: move(s.path) };
      case 'copy':
      case 'template':
        return { ...s, dest: move(s.dest) };
      default:
        return s;
    }
  });
  const handlers = new Map([...w.handlers].map(([k, v]) => [k, v.replace(/(>>\s*)(\/\S+)/, (_a, op: string, p: string) => `${op}${move(p)}`)]));
  return { ...w, steps, handlers };
}

/** A fresh "host" under a temp root: the stock waagent.conf and the empty workload directory. */
export async function freshRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'fleetbench-test-'));
  await mkdir(join(root, 'etc'), { recursive: true });
  await mkdir(join(root, 'var/lib/fleethost'), { recursive: true, mode: 0o755 });
  await writeFile(join(root, 'etc/waagent.conf'), await readFile(join(workloadDir, 'files/waagent.conf')), { mode: 0o644 });
  return root;
}
