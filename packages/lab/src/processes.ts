// Finds and ends processes by network namespace: the safety net of `lab down` for anything the
// supervisor did not take with it (a crashed supervisor, a stale slot's leftovers).
import { readFileSync } from 'node:fs';
import { readdir, readFile, readlink, stat } from 'node:fs/promises';

/** Inode numbers of the named namespaces under /run/netns (as in `net:[inode]`). */
async function netnsInodes(names: readonly string[]): Promise<Set<number>> {
  const inodes = new Set<number>();
  await Promise.all(
    names.map(async (n) => {
      const st = await stat(`/run/netns/${n}`).catch(() => undefined);
      if (st) inodes.add(st.ino);
    }),
  );
  return inodes;
}

export async function pidsInNetns(names: readonly string[]): Promise<number[]> {
  const inodes = await netnsInodes(names);
  if (inodes.size === 0) return [];
  const pids: number[] = [];
  const entries = await readdir('/proc');
  await Promise.all(
    entries.map(async (e) => {
      if (!/^\d+$/.test(e)) return;
      const link = await readlink(`/proc/${e}/ns/net`).catch(() => '');
      const m = /^net:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(Number(m[1]))) pids.push(Number(e));
    }),
  );
  return pids;
}

/** Running (a zombie counts as gone: it holds nothing but its pid). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** SIGKILLs the processes and waits (bounded) until they are gone. */
export async function killAndWait(pids: readonly number[], timeoutMs = 5000): Promise<void> {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + timeoutMs;
  let left = pids.filter(alive);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
    left = left.filter(alive);
  }
}

/** Is this pid our supervisor (and not an unrelated process that reused the number)? */
export async function isProcessWithArg(pid: number, arg: string): Promise<boolean> {
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.split('\0').includes(arg);
  } catch {
    return false;
  }
}
