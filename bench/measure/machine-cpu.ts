// Busy CPU of the whole machine (every process: the tool, the lab hosts' sshd and whatever they run,
// and anything else) from /proc/stat. Next to the tool's own CPU it shows the host-side cost of a
// run, and other load on the machine shows up as an excess no tool explains.
import { readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc/stat (USER_HZ; 100 on Linux for every common architecture). */
const USER_HZ = 100;

/** Busy ms (everything but idle and iowait) from /proc/stat's aggregate `cpu` line. */
export function parseBusyMs(procStat: string): number {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('bench: /proc/stat has no cpu line');
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const busy = f[0]! + f[1]! + f[2]! + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
  return (busy * 1000) / USER_HZ;
}

export async function machineBusyMs(): Promise<number> {
  return parseBusyMs(await readFile('/proc/stat', 'utf8'));
}
