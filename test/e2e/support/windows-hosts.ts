// Starts lab Windows Hyper-V hosts in-process on loopback (ephemeral ports) and writes an inventory
// that reaches them over WinRM with NTLM message encryption, the Windows default.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { defaultWindowsHostConfig, startWindowsHost, type WindowsHostConfig } from '../../../src/lab/windows/index.js';

export interface WindowsFleet {
  dir: string;
  inventory: string;
  hosts: Array<Awaited<ReturnType<typeof startWindowsHost>> & { stateFile: string }>;
  /** sha256 of every host's persisted Hyper-V model. */
  stateHashes(): Promise<string[]>;
  close(): Promise<void>;
}

export async function startWindowsFleet(
  specs: Array<{ name: string; hyperv?: WindowsHostConfig['hyperv']; gpuVms?: string[] }>,
  extraVars: Record<string, unknown> = {},
): Promise<WindowsFleet> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetplay-win-'));
  const hosts: WindowsFleet['hosts'] = [];
  const inv: Record<string, unknown> = {};
  for (const spec of specs) {
    const stateFile = join(dir, `${spec.name}.state.json`);
    const config = defaultWindowsHostConfig({ name: spec.name.toUpperCase(), certDir: join(dir, 'certs'), stateFile, httpPort: 0, httpsPort: 0 });
    if (spec.hyperv) config.hyperv = spec.hyperv;
    const handle = await startWindowsHost(config);
    hosts.push(Object.assign(handle, { stateFile }));
    inv[spec.name] = {
      ansible_host: '127.0.0.1',
      ansible_port: handle.httpPort,
      ansible_connection: 'winrm',
      ansible_winrm_scheme: 'http',
      ansible_winrm_transport: 'ntlm',
      ansible_user: config.user,
      ansible_password: config.password,
      ...(spec.gpuVms ? { gpu_vms: spec.gpuVms } : {}),
    };
  }
  const inventory = join(dir, 'inventory.yml');
  await writeFile(inventory, stringify({ all: { vars: extraVars, children: { hyperv: { hosts: inv } } } }));
  return {
    dir,
    inventory,
    hosts,
    stateHashes: () => Promise.all(hosts.map(async (h) => createHash('sha256').update(await readFile(h.stateFile).catch(() => 'no state file yet')).digest('hex'))),
    close: async () => {
      await Promise.all(hosts.map((h) => h.close()));
    },
  };
}
