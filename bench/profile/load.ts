// Reading the CPU profiles of a run (one .cpuprofile per thread) and mapping frames of the bundled
// CLI back to their modules (the bench keeps a copy of the bundle beside the profiles).
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleMapper, type CallFrame, type CpuProfile } from './summarize.js';

/** The profile files at `path`: the file itself, or every .cpuprofile in the directory. */
export async function profilesAt(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  return (await readdir(path)).filter((f) => f.endsWith('.cpuprofile')).sort().map((f) => join(path, f));
}

export async function loadProfile(file: string): Promise<CpuProfile> {
  const p = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  if (!Array.isArray(p.nodes) || !Array.isArray(p.samples) || !Array.isArray(p.timeDeltas)) throw new Error('no nodes/samples/timeDeltas');
  return p;
}

/** The URL of the CLI bundle the profiles ran, if they ran one. */
export function bundleUrl(profiles: readonly CpuProfile[]): string | undefined {
  return profiles.flatMap((p) => p.nodes).find((n) => n.callFrame.url.endsWith('/fleetplay.mjs'))?.callFrame.url;
}

/**
 * A frame mapper for profiles of the bundled CLI: looks for the bundle beside the profiles, in
 * their parent directory, then where it ran. undefined when the profiles are not of the bundle or
 * the bundle is gone.
 */
export async function bundleMapperFor(profiles: readonly CpuProfile[], path: string, extra: readonly string[] = []): Promise<((f: CallFrame) => CallFrame) | undefined> {
  const url = bundleUrl(profiles);
  if (!url) return undefined;
  const dir = (await stat(path)).isDirectory() ? path : dirname(path);
  for (const candidate of [...extra, join(dir, 'fleetplay.mjs'), join(dirname(dir), 'fleetplay.mjs'), fileURLToPath(url)]) {
    const text = await readFile(candidate, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const map = bundleMapper(text);
    return (f) => (f.url === url ? map(f) : f);
  }
  return undefined;
}
