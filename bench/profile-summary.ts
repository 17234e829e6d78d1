// `npx tsx bench/profile-summary.ts PATH... [--top N]`: the top self-time functions and areas of a
// fleetplay CPU profile. PATH is a .cpuprofile or a run's profile directory (written by
// `npm run bench -- --cpu-prof`; one profile per thread, summed).
import { basename } from 'node:path';
import { bundleMapperFor, bundleUrl, loadProfile, profilesAt } from './profile/load.js';
import { formatSummary, summarizeProfile, type CpuProfile } from './profile/summarize.js';

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
      profiles = await Promise.all(files.map(loadProfile));
    } catch (e) {
      process.stderr.write(`profile-summary: ${path}: not a V8 CPU profile or a directory of them (${(e as Error).message})\n`);
      return 3;
    }
    const mapFrame = await bundleMapperFor(profiles, path);
    if (!mapFrame && bundleUrl(profiles)) {
      process.stderr.write(`profile-summary: the bundle these profiles ran is gone; its frames are summarized as 'other'\n`);
    }
    const title = `${basename(path)}${profiles.length > 1 ? ` (${profiles.length} threads)` : ''}`;
    process.stdout.write(`${formatSummary(summarizeProfile(profiles, topN, mapFrame), title)}\n\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
