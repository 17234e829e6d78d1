// Samples the summed proportional set size of a process tree (shared pages split between the
// processes sharing them, so forked workers are not counted many times over).
import { readFile } from 'node:fs/promises';

/** `Pss:` in KiB from /proc/PID/smaps_rollup text. */
export function parsePssKb(smapsRollup: string): number {
  const m = /^Pss:\s+(\d+) kB$/m.exec(smapsRollup);
  return m ? Number(m[1]) : 0;
}

export interface PssSampler {
  /** Stops sampling; resolves to the peak seen (KiB). */
  stop(): Promise<number>;
}

export function startPssSampler(pids: () => Promise<number[]>, intervalMs: number): PssSampler {
  let peak = 0;
  let stopped = false;
  let running: Promise<void> | undefined;
  const sample = async () => {
    let sum = 0;
    for (const pid of await pids()) sum += parsePssKb(await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => ''));
    if (sum > peak) peak = sum;
  };
  const timer = setInterval(() => {
    // A slow sample (many processes) is not queued behind: the next tick simply skips.
    if (stopped || running) return;
    running = sample()
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  return {
    async stop() {
      if (!stopped) {
        stopped = true;
        clearInterval(timer);
      }
      await running;
      return peak;
    },
  };
}
