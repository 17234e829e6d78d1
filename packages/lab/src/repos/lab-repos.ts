// The lab's package repositories on the lab gateway: the cached tree (see build.ts) served by a
// static HTTP process the lab supervisor owns, as the MOFED mirror is.
import { access, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabInfo, LabPackageRepos } from '../state.js';
import { nodeEntryArgv, type SupervisorClient } from '../supervisor-client.js';
import type { RepoTree } from './build.js';

export const REPO_PORT = 8081;

export function repoBaseUrl(gateway: string): string {
  return `http://${gateway}:${REPO_PORT}`;
}

function entry(): URL {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`../mofed/serve-main${ext}`, import.meta.url);
}

export async function startLabRepos(client: SupervisorClient, info: LabInfo, repos: RepoTree): Promise<LabPackageRepos> {
  const ready = join(info.labFs, 'package-repos.ready');
  const log = join(info.labFs, 'package-repos.log');
  await rm(ready, { force: true });
  await client.spawn('package-repos', [...nodeEntryArgv(entry()), repos.www, info.gateway, String(REPO_PORT), ready], log);
  const deadline = Date.now() + 60_000;
  while (!(await access(ready).then(() => true, () => false))) {
    if (Date.now() > deadline) {
      const tail = (await readFile(log, 'utf8').catch(() => '')).trim().split('\n').slice(-6).join('\n');
      throw new Error(`lab: the package repository server did not start in time${tail ? `:\n${tail}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { baseUrl: repoBaseUrl(info.gateway), fingerprint: repos.fingerprint, docaHostSha256: repos.docaHostSha256 };
}
