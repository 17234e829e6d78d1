// Lab Windows Hyper-V hosts for fault tests, started in this process on loopback (ephemeral ports),
// with per-host configuration (e.g. a small MaxEnvelopeSize) and an inventory whose WinRM timeouts
// are small, so a host that stops answering is declared unreachable within seconds.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { defaultWindowsHostConfig, startWindowsHost, type WindowsHostConfig, type WindowsHostHandle } from '../../../src/lab/windows/index.js';

export interface FaultHostSpec {
  name: string;
  config?: Partial<Omit<WindowsHostConfig, 'name' | 'certDir' | 'stateFile'>>;
  /** Inventory variables of this host (e.g. gpu_vms). */
  vars?: Record<string, unknown>;
}

export interface WindowsFaultFleet {
  dir: string;
  inventory: string;
  host(name: string): WindowsHostHandle & { stateFile: string };
  /** sha256 of each host's persisted Hyper-V model file, by host name. */
  stateHashes(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** WinRM timeouts written into the inventory: Receive waits 1 s; 3 s of silence = unreachable. */
export const WINRM_TIMEOUTS = { ansible_winrm_operation_timeout_sec: 1, ansible_winrm_read_timeout_sec: 3 };

export async function startWindowsFaultFleet(specs: FaultHostSpec[], groupVars: Record<string, unknown> = WINRM_TIMEOUTS): Promise<WindowsFaultFleet> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetplay-winfault-'));
  const hosts = new Map<string, WindowsHostHandle & { stateFile: string }>();
  const inv: Record<string, unknown> = {};
  try {
    for (const spec of specs) {
      const stateFile = join(dir, `${spec.name}.state.json`);
      const config = defaultWindowsHostConfig({ httpPort: 0, httpsPort: 0, ...spec.config, name: spec.name.toUpperCase(), certDir: join(dir, 'certs'), stateFile });
      const handle = await startWindowsHost(config);
      hosts.set(spec.name, Object.assign(handle, { stateFile }));
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
    await Promise.all([...hosts.values()].map((h) => h.close()));
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const inventory = join(dir, 'inventory.yml');
  await writeFile(inventory, stringify({ all: { children: { hyperv: { vars: groupVars, hosts: inv } } } }), { mode: 0o600 });
  const hash = async (file: string) => createHash('sha256').update(await readFile(file).catch(() => 'no state file')).digest('hex');
  return {
    dir,
    inventory,
    host: (name) => {
      const h = hosts.get(name);
      if (!h) throw new Error(`no lab Windows host ${name}`);
      return h;
    },
    stateHashes: async () => Object.fromEntries(await Promise.all([...hosts].map(async ([n, h]) => [n, await hash(h.stateFile)] as const))),
    close: async () => {
      await Promise.all([...hosts.values()].map((h) => h.close()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
