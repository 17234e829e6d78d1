// GNU time (`/usr/bin/time`, Debian package `time`) around the tool's main process: its max RSS is
// the largest single process of the waited-for tree (for fleetplay: the node process), which is the
// figure the N=500 memory target is about.
import { access, constants } from 'node:fs/promises';

export const GNU_TIME = '/usr/bin/time';
/** elapsed s, user s, sys s, max RSS KiB of the largest process. */
export const GNU_TIME_FORMAT = 'fbtime %e %U %S %M';

export interface GnuTime {
  elapsedMs: number;
  userMs: number;
  sysMs: number;
  maxRssKb: number;
}

/** Reads the `-o FILE` output; a killed command adds a "Command terminated by signal" line first. */
export function parseGnuTime(text: string): GnuTime | undefined {
  const m = /^fbtime (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+)$/m.exec(text);
  if (!m) return undefined;
  return { elapsedMs: Number(m[1]) * 1000, userMs: Number(m[2]) * 1000, sysMs: Number(m[3]) * 1000, maxRssKb: Number(m[4]) };
}

export async function requireGnuTime(): Promise<void> {
  const ok = await access(GNU_TIME, constants.X_OK).then(() => true, () => false);
  if (!ok) throw new Error(`bench: ${GNU_TIME} is missing: apt-get install -y time`);
}
