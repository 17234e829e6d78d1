// Lab Windows Hyper-V hosts for fault tests (windows-hosts.ts starts them), with
// per-host configuration (e.g. a small MaxEnvelopeSize) and an inventory whose WinRM timeouts are
// small, so a host that stops answering is declared unreachable within seconds.
import { startWindowsHosts, type LabWindowsHost, type WindowsHostSpec } from './windows-hosts.js';

export type FaultHostSpec = WindowsHostSpec;

export interface WindowsFaultFleet {
  dir: string;
  inventory: string;
  host(name: string): LabWindowsHost;
  /** sha256 of each host's persisted Hyper-V model file, by host name. */
  stateHashes(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** WinRM timeouts written into the inventory: Receive waits 1 s; 3 s of silence = unreachable. */
export const WINRM_TIMEOUTS = { ansible_winrm_operation_timeout_sec: 1, ansible_winrm_read_timeout_sec: 3 };

export async function startWindowsFaultFleet(specs: FaultHostSpec[], groupVars: Record<string, unknown> = WINRM_TIMEOUTS): Promise<WindowsFaultFleet> {
  const started = await startWindowsHosts(specs, { prefix: 'fleetplay-winfault-', groupVars });
  return {
    dir: started.dir,
    inventory: started.inventory,
    host: (name) => {
      const h = started.hosts.find((x) => x.name === name);
      if (!h) throw new Error(`no lab Windows host ${name}`);
      return h;
    },
    stateHashes: async () => Object.fromEntries(await Promise.all(started.hosts.map(async (h) => [h.name, await started.stateHash(h)] as const))),
    close: started.close,
  };
}
