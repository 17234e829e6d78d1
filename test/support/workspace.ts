// Temporary workspaces for the reliability tests: a copy of a fixture tree (so generated files sit
// beside the roles, templates and vars files they reference) that is removed afterwards.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const RELIABILITY_FIXTURES = join(REPO_ROOT, 'test/fixtures/reliability');

export interface Workspace {
  dir: string;
  path(...parts: string[]): string;
  remove(): Promise<void>;
}

/** A fresh temp dir, optionally seeded with a copy of test/fixtures/reliability/<fixture>. */
export async function workspace(prefix: string, fixture?: string): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), `fleetplay-${prefix}-`));
  if (fixture) await cp(join(RELIABILITY_FIXTURES, fixture), dir, { recursive: true });
  return { dir, path: (...parts) => join(dir, ...parts), remove: () => rm(dir, { recursive: true, force: true }) };
}
