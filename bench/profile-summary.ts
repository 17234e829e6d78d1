// `npx tsx bench/profile-summary.ts PATH... [--top N]`: the top self-time functions and areas of a
// fleetplay CPU profile. PATH is a .cpuprofile or a run's profile directory (written by
// `npm run bench -- --cpu-prof`; one profile per thread, summed).
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { formatSummary, summarizeProfile, type CpuProfile } from './profile/summarize.js';

async function profilesAt(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  return (await readdir(path)).filter((f) => f.endsWith('.cpuprofile')).sort().map((f) => join(path, f));
}

async function load(file: string): Promise<CpuProfile> {
  const p = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  if (!Array.isArray(p.nodes) || !Array.isArray(p.samples) || !Array.isArray(p.timeDeltas)) throw new Error('no nodes/samples/timeDeltas');
  return p;
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
    const title = `${basename(path)}${profiles.length > 1 ? ` (${profiles.length} threads)` : ''}`;
    process.stdout.write(`${formatSummary(summarizeProfile(profiles, topN), title)}\n\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
