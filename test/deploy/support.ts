// What the tests of deploy/'s examples share: the YAML as the scheduler reads it, and running a
// snippet of shell from it with `fleetplay` on PATH — either the real CLI or a stand-in that prints
// the arguments it was given (so the CLI's own option parser can judge them).
import { spawn } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BIN } from '../support/cli.js';
import { REPO_ROOT } from '../support/workspace.js';

export const DEPLOY = join(REPO_ROOT, 'deploy');

/**
 * Kubernetes reads YAML 1.1 (`0400` is octal); GitHub Actions reads 1.2, where the key `on` is a
 * string, not the boolean 1.1 makes of it.
 */
export async function loadYaml(relative: string, version: '1.1' | '1.2'): Promise<any> {
  return parse(await readFile(join(DEPLOY, relative), 'utf8'), { version });
}

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `script` as `shell -c script` (the way the pod's command or the workflow step does). */
export function runScript(shell: string[], script: string, env: Record<string, string>, opts: { cwd?: string; timeoutMs?: number } = {}): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(shell[0]!, [...shell.slice(1), script], { cwd: opts.cwd, env: { NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Two PATH directories with a `fleetplay` each: `args` prints one argument a line, `real` runs this
 * checkout's CLI with the node running the tests.
 */
export async function fleetplayBins(dir: string): Promise<{ args: string; real: string }> {
  const args = join(dir, 'bin-args');
  const real = join(dir, 'bin-real');
  await mkdir(args, { recursive: true });
  await mkdir(real, { recursive: true });
  await writeFile(join(args, 'fleetplay'), "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
  await writeFile(join(real, 'fleetplay'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  await chmod(join(args, 'fleetplay'), 0o755);
  await chmod(join(real, 'fleetplay'), 0o755);
  return { args, real };
}

/** The value that follows `--shard` in a printed argument list. */
export function shardArgument(printed: string): string | undefined {
  const args = printed.split('\n');
  const at = args.indexOf('--shard');
  return at < 0 ? undefined : args[at + 1];
}

/** Local hosts for the real CLI: a playbook that touches nothing, an inventory of `count` hosts. */
export async function localProject(dir: string, playbook: string, inventory: string, count: number): Promise<string[]> {
  const hosts = Array.from({ length: count }, (_, i) => `node${String(i + 1).padStart(2, '0')}`);
  await writeFile(join(dir, playbook), ['- hosts: all', '  gather_facts: false', '  tasks:', '    - debug: { msg: "{{ inventory_hostname }}" }', ''].join('\n'));
  await writeFile(join(dir, inventory), ['all:', '  hosts:', ...hosts.map((h) => `    ${h}: { ansible_connection: local }`), ''].join('\n'));
  return hosts;
}
