// Windows lab hosts: each is a WS-Management server process (windows/server-main.ts) in its
// own network namespace on the lab bridge, started by the lab supervisor like the Linux hosts. The
// lab makes the certificates first (one CA per lab, so clients can validate HTTPS with it) because
// several server processes creating the CA at once would race.
import { access, copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostNetnsBatch } from './network.js';
import { runTool } from './run-tool.js';
import type { LabHost, LabInfo } from './state.js';
import { nodeEntryArgv, type ExitEvent, type SupervisorClient } from './supervisor-client.js';
import { ensureHostCert } from './windows/certs.js';
import { defaultHyperv, defaultWindowsHostConfig, type WindowsHostConfig } from './windows/config.js';

export const WINRM_HTTP_PORT = 5985;
export const WINRM_HTTPS_PORT = 5986;
export const WINDOWS_ADMIN = 'Administrator';
const READY_TIMEOUT_MS = 60_000;

export function windowsPaths(h: LabHost) {
  return { config: join(h.stateDir, 'config.json'), state: join(h.stateDir, 'state.json'), ready: join(h.stateDir, 'ready'), log: join(h.stateDir, 'server.log') };
}

/** NetBIOS-style computer name: upper case, at most 15 characters. */
export function computerName(name: string): string {
  return name.toUpperCase().slice(0, 15);
}

/** Inventory variables of the `windows` group (NTLM over HTTPS, validated with the lab CA). */
export function windowsGroupVars(info: LabInfo): Record<string, string | number> {
  return {
    ansible_connection: 'winrm',
    ansible_user: WINDOWS_ADMIN,
    ansible_password: info.users.password,
    ansible_port: WINRM_HTTPS_PORT,
    ansible_winrm_scheme: 'https',
    ansible_winrm_transport: 'ntlm',
    ...(info.files.winrmCa ? { ansible_winrm_ca_trust_path: info.files.winrmCa } : {}),
  };
}

/** Variables of the `hyperv` group: the VMs each lab host models, for gpu-partitioning.yml's `gpu_vms`. */
export function hypervGroupVars(): Record<string, unknown> {
  return { gpu_vms: defaultHyperv().vms.map((vm) => vm.name) };
}

export async function prepareWindowsHosts(info: LabInfo, hosts: readonly LabHost[]): Promise<void> {
  if (hosts.length === 0) return;
  const certDir = join(info.labFs, 'windows-certs');
  // Sequential: the first call makes the lab CA the others sign with.
  for (const h of hosts) await ensureHostCert(certDir, computerName(h.name), [h.address]);
  info.files.winrmCa = join(info.dir, 'winrm-ca.pem');
  await copyFile(join(certDir, 'ca.pem'), info.files.winrmCa);
  for (const h of hosts) {
    const p = windowsPaths(h);
    await mkdir(h.stateDir, { recursive: true, mode: 0o700 });
    const config: WindowsHostConfig = defaultWindowsHostConfig({
      name: computerName(h.name),
      listenAddress: h.address,
      httpPort: WINRM_HTTP_PORT,
      httpsPort: WINRM_HTTPS_PORT,
      user: WINDOWS_ADMIN,
      password: info.users.password,
      certDir,
      stateFile: p.state,
      readyFile: p.ready,
    });
    await writeFile(p.config, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    await writeFile(join(h.stateDir, 'net.batch'), hostNetnsBatch(h.addresses, Number(info.subnet.split('/')[1])));
    await runTool('ip', ['-n', h.netns, '-batch', join(h.stateDir, 'net.batch')]);
  }
}

function serverEntry(): URL {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./windows/server-main${ext}`, import.meta.url);
}

export function windowsStartArgv(h: LabHost): string[] {
  return ['nsenter', `--net=/run/netns/${h.netns}`, ...nodeEntryArgv(serverEntry()), windowsPaths(h).config];
}

/** Starts the servers and waits for each one's ready file (written once it listens). */
export async function startWindowsHosts(client: SupervisorClient, hosts: readonly LabHost[]): Promise<void> {
  if (hosts.length === 0) return;
  const exited = new Map<string, ExitEvent>();
  const off = client.onExit((e) => exited.set(e.key, e));
  try {
    for (const h of hosts) {
      exited.delete(h.name);
      await rm(windowsPaths(h).ready, { force: true });
      await client.spawn(h.name, windowsStartArgv(h), windowsPaths(h).log);
    }
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (const h of hosts) {
      for (;;) {
        if (await access(windowsPaths(h).ready).then(() => true, () => false)) break;
        const exit = exited.get(h.name);
        if (exit || Date.now() > deadline) {
          const log = (await readFile(windowsPaths(h).log, 'utf8').catch(() => '')).trim().split('\n').slice(-6).join('\n');
          throw new Error(`lab: Windows host ${h.name} ${exit ? `exited (${exit.code ?? exit.signal})` : 'did not start in time'}:\n${log}`);
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  } finally {
    off();
  }
}
