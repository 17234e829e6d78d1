// The lab's MOFED mirror: tarballs for the lab's distros, served on the lab gateway by a process the
// lab supervisor owns, so hosts download exactly as they would from a mirror behind a firewall.
import { access, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabInfo, LabMofedMirror } from '../state.js';
import { nodeEntryArgv, type SupervisorClient } from '../supervisor-client.js';
import { buildMofedMirror } from './mirror.js';

export const LAB_MOFED_VERSION = '5.8-3.0.7.0';
const PORT = 8080;

function entry(): URL {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./serve-main${ext}`, import.meta.url);
}

export async function startLabMirror(client: SupervisorClient, info: LabInfo, distros: readonly string[]): Promise<LabMofedMirror> {
  const root = join(info.labFs, 'mofed-mirror');
  const ready = join(info.labFs, 'mofed-mirror.ready');
  const { checksums } = await buildMofedMirror(root, distros);
  await rm(ready, { force: true });
  await client.spawn('mofed-mirror', [...nodeEntryArgv(entry()), root, info.gateway, String(PORT), ready], join(info.labFs, 'mofed-mirror.log'));
  // Generous: from the TypeScript sources the process first goes through tsx, slow on a loaded machine.
  const deadline = Date.now() + 60_000;
  while (!(await access(ready).then(() => true, () => false))) {
    if (Date.now() > deadline) {
      // The log goes with the lab when `up` undoes itself: quote its end.
      const log = (await readFile(join(info.labFs, 'mofed-mirror.log'), 'utf8').catch(() => '')).trim().split('\n').slice(-6).join('\n');
      throw new Error(`lab: the MOFED mirror did not start in time${log ? `:\n${log}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { baseUrl: `http://${info.gateway}:${PORT}`, version: LAB_MOFED_VERSION, checksums };
}
