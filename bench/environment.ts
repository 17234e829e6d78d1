// The machine and versions a result was measured with, for the report's header.
import { execFile } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Environment {
  cpu: string;
  cores: number;
  memoryGb: number;
  kernel: string;
  node: string;
  openssh: string;
  ansible?: string;
  commit: string;
  /** How fleetplay started: compiled dist/ or the sources through tsx. */
  fleetplayStart?: string;
}

async function firstLine(cmd: string, args: string[], cwd?: string): Promise<string> {
  try {
    const r = await run(cmd, args, { cwd, timeout: 10_000 });
    return (r.stdout || r.stderr).split('\n')[0]!.trim();
  } catch (e) {
    // ssh -V prints to stderr and some tools exit non-zero for --version.
    const err = e as { stdout?: string; stderr?: string };
    return ((err.stdout || err.stderr) ?? '').split('\n')[0]!.trim() || 'unknown';
  }
}

export async function environment(repoRoot: string, ansible: string | undefined, fleetplayStart?: string): Promise<Environment> {
  const c = cpus();
  const dirty = (await firstLine('git', ['status', '--porcelain', '--untracked-files=no'], repoRoot)) ? ' (with uncommitted changes)' : '';
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    openssh: await firstLine('ssh', ['-V']),
    ...(ansible ? { ansible } : {}),
    ...(fleetplayStart ? { fleetplayStart } : {}),
    commit: `${await firstLine('git', ['rev-parse', '--short', 'HEAD'], repoRoot)}${dirty}`,
  };
}
