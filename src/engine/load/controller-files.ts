// Controller-side files a task names (`src:` of copy and template), found where Ansible looks for
// them. The loader uses this to check template files before the run; the executor finds the same
// file the same way when the task runs.
import { access } from 'node:fs/promises';
import path from 'node:path';
import { isFile } from './context.js';

/**
 * Ansible's search path for a controller-side `src:`: the role's files/ (or templates/), the role
 * dir, the including file's dir with and without the kind subdir, then the playbook dir.
 */
export function controllerCandidates(kind: 'files' | 'templates' | 'vars', file: string, roleDir: string | undefined, baseDir: string, playbookDir: string | undefined): string[] {
  if (path.isAbsolute(file)) return [file];
  const out: string[] = [];
  if (roleDir) out.push(path.join(roleDir, kind, file), path.join(roleDir, file));
  out.push(path.join(baseDir, kind, file), path.join(baseDir, file));
  if (playbookDir) out.push(path.join(playbookDir, kind, file), path.join(playbookDir, file));
  return [...new Set(out)];
}

/** The first candidate that exists, as the executor picks it; undefined unless that is a file. */
export async function findControllerFile(kind: 'files' | 'templates' | 'vars', file: string, roleDir: string | undefined, baseDir: string, playbookDir: string | undefined): Promise<string | undefined> {
  for (const c of controllerCandidates(kind, file, roleDir, baseDir, playbookDir)) {
    if (await exists(c)) return (await isFile(c)) ? c : undefined;
  }
  return undefined;
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}
