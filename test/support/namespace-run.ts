// Runs fleetplay against the machine itself as a local host, but inside a private mount namespace in
// which /etc, /opt, /usr/local and /var/lib are overlays: every write to those trees lands in the
// overlays' upper directories, which are snapshotted (path, type, mode, owner, size, sha256) between
// steps. Two equal snapshots prove that nothing under those trees changed — and the machine's real
// directories are never touched, whatever the run does. Needs root (as the lab does).
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { shQuote } from '../../src/engine/connection/quote.js';
import { FLEETPLAY_BIN } from './cli-contract.js';

const run = promisify(execFile);

export const OVERLAID = ['/etc', '/opt', '/usr/local', '/var/lib'];

export interface Step {
  name: string;
  /** fleetplay arguments; absent for a setup step. */
  fleetplay?: string[];
  /** Shell lines run (inside the namespace) before this step's fleetplay run. */
  shell?: string[];
}

export interface StepResult {
  name: string;
  code: number;
  stdout: string;
  stderr: string;
  /** The overlays' upper dirs after the step. */
  snapshot: string;
}

const upperName = (dir: string) => dir.slice(1).replaceAll('/', '-');

/** Runs the steps in one namespace, in order; `work` must be an empty directory outside the overlays. */
export async function runInOverlays(work: string, steps: Step[], timeoutMs = 240_000): Promise<StepResult[]> {
  if (process.getuid?.() !== 0) throw new Error('the check-mode proof needs root (mount namespaces and overlayfs), as the lab does');
  await mkdir(join(work, 'out'), { recursive: true });
  const lines = ['set -u', `W=${shQuote(work)}`];
  for (const dir of OVERLAID) {
    const u = upperName(dir);
    lines.push(
      `mkdir -p "$W/upper/${u}" "$W/work/${u}"`,
      `mount -t overlay overlay -o lowerdir=${dir},upperdir="$W/upper/${u}",workdir="$W/work/${u}" ${dir} || { echo 'cannot mount an overlay on ${dir}' >&2; exit 97; }`,
    );
  }
  // Path, type, mode, owner and size of everything written, then the content hashes: no times, so a
  // read that leaves no trace leaves the snapshot equal.
  lines.push(
    'snap() {',
    '  ( cd "$W/upper" && find . -printf \'%y %m %u:%g %s %p\\n\' | LC_ALL=C sort',
    '    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum ) > "$W/out/$1.snap"',
    '}',
  );
  for (const step of steps) {
    lines.push(...(step.shell ?? []));
    if (step.fleetplay) {
      const cmd = [process.execPath, FLEETPLAY_BIN, ...step.fleetplay].map(shQuote).join(' ');
      lines.push(`NO_COLOR=1 ${cmd} > "$W/out/${step.name}.stdout" 2> "$W/out/${step.name}.stderr"`, `echo $? > "$W/out/${step.name}.rc"`);
    } else lines.push(`echo 0 > "$W/out/${step.name}.rc"; : > "$W/out/${step.name}.stdout"; : > "$W/out/${step.name}.stderr"`);
    lines.push(`snap ${step.name}`);
  }
  const script = join(work, 'steps.sh');
  await writeFile(script, `${lines.join('\n')}\n`);
  try {
    await run('unshare', ['--mount', '--propagation', 'private', 'bash', script], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; code?: number };
    throw new Error(`the namespace run failed (exit ${e.code}): ${e.stderr ?? String(err)}`);
  }
  const out: StepResult[] = [];
  for (const step of steps) {
    const read = (ext: string) => readFile(join(work, 'out', `${step.name}.${ext}`), 'utf8');
    out.push({ name: step.name, code: Number((await read('rc')).trim()), stdout: await read('stdout'), stderr: await read('stderr'), snapshot: await read('snap') });
  }
  return out;
}

export function recapOf(stdout: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  const at = stdout.lastIndexOf('PLAY RECAP');
  for (const line of stdout.slice(at).split('\n').slice(1)) {
    const m = /^(\S+)\s+:\s+(.*)$/.exec(line);
    if (m) out[m[1]!] = Object.fromEntries([...m[2]!.matchAll(/(\w+)=(\d+)/g)].map((x) => [x[1]!, Number(x[2])]));
  }
  return out;
}
