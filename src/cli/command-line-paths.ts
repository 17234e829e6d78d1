// Files named on the command line (playbooks, -i sources, -e @file) that do not exist are a usage
// error (exit 5), like a bad --limit @file: there is no file to point a file:line:col at.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../engine/contract/diagnostics.js';

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export async function requirePlaybooks(paths: readonly string[]): Promise<void> {
  for (const p of paths) if (!(await exists(p))) throw new UsageError(`playbook '${p}' not found`);
}

/** A missing source with a comma is a host list (`-i web1,web2`), not a file. */
export async function requireInventorySources(sources: readonly string[]): Promise<void> {
  for (const s of sources) {
    if (s.includes(',') || (await exists(resolve(s)))) continue;
    throw new UsageError(`inventory source '${s}' does not exist (give a file, a directory, or a host list ending in ',' such as 'web1,')`);
  }
}

export async function requireVarsFile(path: string, option: string): Promise<void> {
  if (!(await exists(path))) throw new UsageError(`${option}: vars file '${path}' not found`);
}
