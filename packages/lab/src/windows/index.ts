// The lab's Windows Hyper-V host: a WinRM (WS-Management) service over HTTP+NTLM sealing and HTTPS,
// running a documented PowerShell subset (POWERSHELL.md) against a persisted Hyper-V model.

import { readFile, writeFile } from 'node:fs/promises';
import { createCommandTable } from './cmdlets/table.js';
import type { HostFacts } from './cmdlets/machine.js';
import { DEFAULT_MAX_ENVELOPE_KB, type WindowsHostConfig } from './config.js';
import { ensureHostCert } from './certs.js';
import type { ProcessHost } from './host/process.js';
import { bootHost } from './model/boot.js';
import { initialState } from './model/initial.js';
import { StateStore, type LabState } from './model/state.js';
import { FaultInjector, type FaultSettings } from './wsman/faults.js';
import { startWsmanServers } from './wsman/server.js';
import { ShellManager } from './wsman/shells.js';

export { ensureLabCa, ensureHostCert } from './certs.js';
export type { WindowsHostConfig } from './config.js';
export { defaultWindowsHostConfig, loadWindowsHostConfig, nvidiaA2, nvidiaA16 } from './config.js';
export type { LabState } from './model/state.js';
export { installedWinof2Version } from './model/winof2.js';
export { labPackage, type LabPackage } from './model/packages.js';
export type { FaultSettings } from './wsman/faults.js';

export interface WindowsHostHandle {
  name: string;
  httpPort: number;
  httpsPort: number;
  /** http://<address>:<port>/wsman */
  httpUrl: string;
  httpsUrl: string;
  caCertPath: string;
  /** The live model (read-only use: tests inspect it; the state file holds the same). */
  state(): LabState;
  /** Changes fault injection while running (reliability tests). */
  setFaults(f: FaultSettings): void;
  /** Successful client authentications so far (an NTLM handshake counts once per connection). */
  authentications(): number;
  /** Closes every client connection, as a listener restart or a network blip does. */
  dropConnections(): void;
  /** Forgets every shell, as a restart of the WinRM service does (clients get "shell not found"). */
  dropShells(): void;
  /** Resolves once the host is up (not rebooting). */
  whenUp(): Promise<void>;
  close(): Promise<void>;
}

export const OS_CAPTION = 'Microsoft Windows Server 2025 Datacenter';
export const OS_VERSION = '10.0.26100';

export async function startWindowsHost(config: WindowsHostConfig): Promise<WindowsHostHandle> {
  const cert = await ensureHostCert(config.certDir, config.name, [config.listenAddress]);
  const store = StateStore.open(config.stateFile, () => initialState(config));
  const facts: HostFacts = {
    address: config.listenAddress,
    domain: config.domain ?? 'WORKGROUP',
    osCaption: OS_CAPTION,
    osVersion: OS_VERSION,
    installMs: 1000,
  };
  const host: ProcessHost = { store, facts, table: createCommandTable(), progressClixml: config.quirks?.progressClixml ?? true };
  const shells = new ShellManager(host, { maxShellsPerUser: config.maxShellsPerUser ?? 30, idleTimeoutMs: 180_000 });
  const faults = new FaultInjector(config.faults ?? {});
  const servers = await startWsmanServers({
    computerName: config.name,
    account: { user: config.user, password: config.password },
    listenAddress: config.listenAddress,
    httpPort: config.httpPort,
    httpsPort: config.httpsPort,
    tls: { cert: await readFile(cert.certPath), key: await readFile(cert.keyPath) },
    maxEnvelopeSize: (config.maxEnvelopeSizeKb ?? DEFAULT_MAX_ENVELOPE_KB) * 1024,
    maxOperationTimeoutMs: 60_000,
    cbtHardeningLevel: config.cbtHardeningLevel ?? 'Relaxed',
    shells,
    faults,
  });
  // A reboot: the asking command's answer goes out first (a short grace), then every connection and
  // shell goes, the listener resets new connections for the downtime, and the model boots.
  let rebooting: Promise<void> | null = null;
  let closed = false;
  host.requestReboot = (delayMs) => {
    if (rebooting) return;
    const downtime = config.rebootDowntimeMs ?? 1500;
    rebooting = new Promise<void>((resolve) => {
      setTimeout(() => {
        servers.setDown(true);
        shells.closeAll();
        servers.dropConnections();
        setTimeout(() => {
          bootHost(store.state);
          store.commit();
          if (!closed) servers.setDown(false);
          rebooting = null;
          resolve();
        }, downtime);
      }, Math.max(delayMs, 250));
    });
  };
  const hostPart = config.listenAddress.includes(':') ? `[${config.listenAddress}]` : config.listenAddress;
  if (config.readyFile) {
    await writeFile(config.readyFile, JSON.stringify({ name: config.name, pid: process.pid, httpPort: servers.httpPort, httpsPort: servers.httpsPort }) + '\n');
  }
  return {
    name: config.name,
    httpPort: servers.httpPort,
    httpsPort: servers.httpsPort,
    httpUrl: `http://${hostPart}:${servers.httpPort}/wsman`,
    httpsUrl: `https://${hostPart}:${servers.httpsPort}/wsman`,
    caCertPath: cert.caCertPath,
    state: () => store.state,
    setFaults(f) {
      faults.settings = f;
    },
    authentications: () => servers.authentications(),
    dropConnections: () => servers.dropConnections(),
    dropShells: () => shells.closeAll(),
    whenUp: () => rebooting ?? Promise.resolve(),
    close: async () => {
      closed = true;
      await servers.close();
    },
  };
}
