// `npx tsx bench/profile-summary.ts PATH... [--top N]`: the top self-time functions and areas of a
// fleetplay CPU profile. PATH is a .cpuprofile or a run's profile directory (written by
// `npm run bench -- --cpu-prof`; one profile per thread, summed).
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleMapper, formatSummary, summarizeProfile, type CallFrame, type CpuProfile } from './profile/summarize.js';

async function profilesAt(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  return (await readdir(path)).filter((f) => f.endsWith('.cpuprofile')).sort().map((f) => join(path, f));
}

async function load(file: string): Promise<CpuProfile> {
  const p = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  if (!Array.isArray(p.nodes) || !Array.isArray(p.samples) || !Array.isArray(p.timeDeltas)) throw new Error('no nodes/samples/timeDeltas');
  return p;
}

/** Frames of the bundled CLI map back to their modules when the bundle is still where it ran. */
// The bench keeps a copy of the bundle in the profiles directory (the parent of a run's directory).
async function bundleMapperFor(profiles: CpuProfile[], path: string): Promise<((f: CallFrame) => CallFrame) | undefined> {
  const url = profiles.flatMap((p) => p.nodes).find((n) => n.callFrame.url.endsWith('/fleetplay.mjs'))?.callFrame.url;
  if (!url) return undefined;
  const dir = (await stat(path)).isDirectory() ? path : dirname(path);
  for (const candidate of [join(dir, 'fleetplay.mjs'), join(dirname(dir), 'fleetplay.mjs'), fileURLToPath(url)]) {
    const text = await readFile(candidate, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const map = bundleMapper(text);
    return (f) => (f.url === url ? map(f) : f);
  }
  process.stderr.write(`profile-summary: the bundle ${url} is gone; its frames are summarized as 'other'\n`);
  return undefined;
}

async function main(args: string[]): Promise<number> {
  const paths: string[] = [];
  let topN = 25;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--top') {
      topN = Number(args[++i]);
      if (!Number.isInteger(topN) || topN < 1) {
        process.stderr.write('profile-summary: --top needs a whole number >= 1\n');
        return 5;
      }
    } else paths.push(args[i]!);
  }
  if (!paths.length) {
    process.stderr.write('usage: npx tsx bench/profile-summary.ts FILE.cpuprofile|DIR... [--top N]\n');
    return 5;
  }
  for (const path of paths) {
    let profiles: CpuProfile[];
    try {
      const files = await profilesAt(path);
      if (!files.length) throw new Error('no .cpuprofile files in it');
      profiles = await Promise.all(files.map(load));
    } catch (e) {
      process.stderr.write(`profile-summary: ${path}: not a V8 CPU profile or a directory of them (${(e as Error).message})\n`);
      return 3;
    }
    const mapFrame = await bundleMapperFor(profiles, path);
    const title = `${basename(path)}${profiles.length > 1 ? ` (${profiles.length} threads)` : ''}`;
    process.stdout.write(`${formatSummary(summarizeProfile(profiles, topN, mapFrame), title)}\n\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
