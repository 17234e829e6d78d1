// Each measured tool run gets its own cgroup (v2): the controller CPU of the whole process tree is
// read from it — including processes that detach from the tree, such as OpenSSH ControlPersist
// masters, which a wait4() rusage never sees — and whatever is left when the tool exits (or times
// out) is killed through it, so no run leaks processes into the next.
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CpuUsage {
  userMs: number;
  sysMs: number;
}

/** Parses cgroup v2 cpu.stat (`usage_usec`, `user_usec`, `system_usec`). */
export function parseCpuStat(text: string): CpuUsage {
  const get = (key: string) => {
    const m = new RegExp(`^${key} (\\d+)$`, 'm').exec(text);
    if (!m) throw new Error(`bench: cpu.stat has no ${key}`);
    return Number(m[1]) / 1000;
  };
  return { userMs: get('user_usec'), sysMs: get('system_usec') };
}

async function cgroup2Root(): Promise<string> {
  const mounts = await readFile('/proc/mounts', 'utf8');
  const line = mounts.split('\n').find((l) => l.split(' ')[2] === 'cgroup2');
  if (!line) throw new Error('bench: no cgroup v2 hierarchy is mounted (needed to measure each tool\'s process tree); mount one: mount -t cgroup2 none /sys/fs/cgroup/unified');
  return line.split(' ')[1]!;
}

let seq = 0;

export class RunCgroup {
  private constructor(readonly path: string) {}

  /**
   * A cgroup for processes that already run (the lab hosts' sshd): everything they start from now
   * on (connections, sessions, commands) is accounted to it.
   */
  static async adopt(label: string, pids: readonly number[]): Promise<RunCgroup> {
    const cg = await RunCgroup.create(label);
    for (const pid of pids) await writeFile(cg.procsFile, String(pid));
    return cg;
  }

  static async create(label: string): Promise<RunCgroup> {
    const root = await cgroup2Root();
    const path = join(root, `fleetbench-${process.pid}-${++seq}-${label.replace(/[^\w-]/g, '_')}`);
    await mkdir(path).catch((e: Error) => {
      throw new Error(`bench: cannot create cgroup ${path}: ${e.message} (the benchmark needs root)`);
    });
    return new RunCgroup(path);
  }

  get procsFile(): string {
    return join(this.path, 'cgroup.procs');
  }

  async pids(): Promise<number[]> {
    const text = await readFile(this.procsFile, 'utf8').catch(() => '');
    return text.split('\n').filter(Boolean).map(Number);
  }

  async cpu(): Promise<CpuUsage> {
    return parseCpuStat(await readFile(join(this.path, 'cpu.stat'), 'utf8'));
  }

  /** Kills every process still in the cgroup and waits (bounded) until it is empty. */
  async killAll(timeoutMs = 5000): Promise<number> {
    const left = await this.pids();
    if (left.length === 0) return 0;
    await writeFile(join(this.path, 'cgroup.kill'), '1').catch(() => {
      for (const pid of left) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });
    const deadline = Date.now() + timeoutMs;
    while ((await this.pids()).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return left.length;
  }

  /** Removes the cgroup; with `kill`, ends what is still in it first. */
  async remove(kill = true): Promise<void> {
    if (kill) await this.killAll();
    // rmdir fails while the last zombie is being reaped: retry briefly.
    for (let i = 0; i < 50; i++) {
      try {
        await rmdir(this.path);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }
}
