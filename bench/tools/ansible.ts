// ansible-playbook from Debian's ansible-core, tuned as the issue asks: pipelining, ControlMaster
// with ControlPersist, no fact gathering, a fixed interpreter, forks = N. Host keys are checked
// against the lab's known_hosts (through the inventory's `-F` ssh config), as for every tool.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Invocation, RunKind, Tool, ToolContext } from './tool.js';

const run = promisify(execFile);

export function ansibleConfig(forks: number, localTmp: string): string {
  return [
    '# written by the fleetplay benchmark: the tuned configuration of issue 7',
    '[defaults]',
    `forks = ${forks}`,
    'gathering = explicit',
    'interpreter_python = /usr/bin/python3',
    'host_key_checking = True',
    'retry_files_enabled = False',
    'deprecation_warnings = False',
    `local_tmp = ${localTmp}`,
    '',
    '[ssh_connection]',
    'pipelining = True',
    'ssh_args = -o ControlMaster=auto -o ControlPersist=300s',
    '',
  ].join('\n');
}

async function version(): Promise<string | undefined> {
  try {
    const { stdout } = await run('ansible-playbook', ['--version'], { timeout: 30_000 });
    return stdout.split('\n')[0]?.trim();
  } catch {
    return undefined;
  }
}

/** ansible-playbook's version line; installs Debian's ansible-core when it is missing. */
export async function ensureAnsible(log: (m: string) => void): Promise<string> {
  const have = await version();
  if (have) return have;
  log('bench: ansible-playbook not found; installing Debian ansible-core (apt-get)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]) => run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], { env, timeout: 900_000 });
  try {
    await apt(['install', '-y', '-qq', '--no-install-recommends', 'ansible-core']).catch(async () => {
      await apt(['update', '-qq']);
      await apt(['install', '-y', '-qq', '--no-install-recommends', 'ansible-core']);
    });
  } catch (e) {
    throw new Error(`bench: installing ansible-core failed (run: apt-get update && apt-get install -y ansible-core): ${(e as Error).message.split('\n').slice(-3).join(' ')}`);
  }
  const now = await version();
  if (!now) throw new Error('bench: ansible-core installed but ansible-playbook does not run');
  return now;
}

let controlSeq = 0;

export const ansible: Tool = {
  name: 'ansible',
  async prepare(kind: RunKind, runDir: string, ctx: ToolContext): Promise<Invocation> {
    const cfg = join(runDir, 'ansible.cfg');
    const localTmp = join(runDir, 'ansible-local');
    await mkdir(localTmp, { recursive: true });
    await writeFile(cfg, ansibleConfig(ctx.forks, localTmp));
    // A fresh ControlPath directory per run: connection setup is part of every run's cost, and a
    // short path keeps the socket name within sun_path.
    const controlDir = `/tmp/fbap-${process.pid}-${++controlSeq}`;
    await mkdir(controlDir, { recursive: true, mode: 0o700 });
    return {
      argv: ['ansible-playbook', ctx.playbookArg, '-i', ctx.lab.inventory, '-f', String(ctx.forks), ...(kind === 'check' ? ['--check', '--diff'] : [])],
      env: {
        ANSIBLE_CONFIG: cfg,
        ANSIBLE_HOME: join(runDir, 'ansible-home'),
        ANSIBLE_SSH_CONTROL_PATH_DIR: controlDir,
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_FORCE_COLOR: '0',
      },
      cleanupDirs: [controlDir],
    };
  },
};
