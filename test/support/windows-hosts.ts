// Starts lab Windows Hyper-V hosts in-process on loopback (ephemeral ports) and writes an inventory
// that reaches them over WinRM with NTLM message encryption, the Windows default. The fault tests
// start theirs through the same function, with their own host settings and WinRM timeouts.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { defaultWindowsHostConfig, startWindowsHost, type WindowsHostConfig, type WindowsHostHandle } from '@fleetplay/lab/windows';

export type LabWindowsHost = WindowsHostHandle & { name: string; stateFile: string };

export interface WindowsHostSpec {
  name: string;
  /** Host settings over the lab's defaults (ports are ephemeral unless given). */
  config?: Partial<Omit<WindowsHostConfig, 'name' | 'certDir' | 'stateFile'>>;
  /** Inventory variables of this host (e.g. gpu_vms). */
  vars?: Record<string, unknown>;
}

export interface StartedWindowsHosts {
  dir: string;
  inventory: string;
  hosts: LabWindowsHost[];
  /** sha256 of a host's persisted Hyper-V model file. */
  stateHash(host: LabWindowsHost): Promise<string>;
  close(): Promise<void>;
}

/** Hosts in group `hyperv`; `vars` go to `all` (playbook settings), `groupVars` to the group. */
export async function startWindowsHosts(
  specs: readonly WindowsHostSpec[],
  opts: { prefix?: string; vars?: Record<string, unknown>; groupVars?: Record<string, unknown> } = {},
): Promise<StartedWindowsHosts> {
  const dir = await mkdtemp(join(tmpdir(), opts.prefix ?? 'fleetplay-win-'));
  const hosts: LabWindowsHost[] = [];
  const inv: Record<string, unknown> = {};
  const close = async () => {
    await Promise.all(hosts.map((h) => h.close()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const spec of specs) {
      const stateFile = join(dir, `${spec.name}.state.json`);
      const config = defaultWindowsHostConfig({ httpPort: 0, httpsPort: 0, ...spec.config, name: spec.name.toUpperCase(), certDir: join(dir, 'certs'), stateFile });
      const handle = await startWindowsHost(config);
      hosts.push(Object.assign(handle, { name: spec.name, stateFile }));
      inv[spec.name] = {
        ansible_host: '127.0.0.1',
        ansible_port: handle.httpPort,
        ansible_connection: 'winrm',
        ansible_winrm_scheme: 'http',
        ansible_winrm_transport: 'ntlm',
        ansible_user: config.user,
        ansible_password: config.password,
        ...spec.vars,
      };
    }
  } catch (e) {
    await close();
    throw e;
  }
  const inventory = join(dir, 'inventory.yml');
  const group = { ...(opts.groupVars ? { vars: opts.groupVars } : {}), hosts: inv };
  await writeFile(inventory, stringify({ all: { ...(opts.vars ? { vars: opts.vars } : {}), children: { hyperv: group } } }), { mode: 0o600 });
  const stateHash = async (h: LabWindowsHost) => createHash('sha256').update(await readFile(h.stateFile).catch(() => 'no state file yet')).digest('hex');
  return { dir, inventory, hosts, stateHash, close };
}

export interface WindowsFleet {
  dir: string;
  inventory: string;
  hosts: LabWindowsHost[];
  /** sha256 of every host's persisted Hyper-V model. */
  stateHashes(): Promise<string[]>;
  /** Writes a one-play playbook for the `hyperv` group (no fact gathering) with these task lines; returns its path. */
  playbook(name: string, tasks: string[]): Promise<string>;
  close(): Promise<void>;
}

export async function startWindowsFleet(
  specs: Array<{ name: string; hyperv?: WindowsHostConfig['hyperv']; gpuVms?: string[] }>,
  extraVars: Record<string, unknown> = {},
): Promise<WindowsFleet> {
  const started = await startWindowsHosts(
    specs.map((s) => ({ name: s.name, ...(s.hyperv ? { config: { hyperv: s.hyperv } } : {}), ...(s.gpuVms ? { vars: { gpu_vms: s.gpuVms } } : {}) })),
    { vars: extraVars },
  );
  const playbook = async (name: string, tasks: string[]) => {
    const path = join(started.dir, name);
    await writeFile(path, ['- hosts: hyperv', '  gather_facts: false', '  tasks:', ...tasks].join('\n'));
    return path;
  };
  return { ...started, stateHashes: () => Promise.all(started.hosts.map(started.stateHash)), playbook };
}
