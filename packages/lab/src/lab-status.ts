// `fleetplay lab status`: each host, whether its process tree is running, and whether its server
// answers (an SSH banner; the WinRM port for Windows hosts) (hosts on the isolated segment are only reachable through the bastion,
// so for them the running state is all the controller can see directly).
import { connect } from 'node:net';
import pLimit from 'p-limit';
import { readLabInfo, type LabHost, type LabInfo } from './state.js';
import { SupervisorClient } from './supervisor-client.js';

export interface HostStatus {
  name: string;
  kind: LabHost['kind'];
  distro?: string;
  address: string;
  segment: LabHost['segment'];
  running: boolean;
  /**
   * Whether the host's server answers: 'answering' (SSH banner seen; for a Windows host, its WinRM
   * port open), 'silent', or 'behind-bastion' (isolated segment: not checked from the controller).
   */
  sshd: 'answering' | 'silent' | 'behind-bastion';
  /** Running and, where the controller can check, answering. */
  up: boolean;
  banner?: string;
}

export interface LabStatus {
  info: LabInfo;
  supervisorRunning: boolean;
  hosts: HostStatus[];
}

/** Reads the server's identification line ("SSH-2.0-OpenSSH_9.2p1 …"), or undefined on timeout. */
export function readSshBanner(host: string, port: number, timeoutMs = 2000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    let buf = '';
    const done = (v: string | undefined) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => {
      buf += d;
      const line = buf.split('\n').find((l) => l.startsWith('SSH-'));
      if (line) done(line.trim());
    });
    sock.on('error', () => done(undefined));
    sock.on('close', () => done(undefined));
  });
}

function portOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const done = (v: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

export async function labStatus(dir: string): Promise<LabStatus> {
  const info = await readLabInfo(dir);
  if (!info) throw new Error(`lab: no lab in ${dir}`);
  let running = new Set<string>();
  let supervisorRunning = false;
  if (info.supervisor) {
    try {
      const client = await SupervisorClient.connect(info.supervisor.socket, 1000);
      try {
        running = new Set((await client.list()).map((c) => c.key));
        supervisorRunning = true;
      } finally {
        client.close();
      }
    } catch {
      // supervisor gone: nothing of the lab runs
    }
  }
  // Each connection costs the host an sshd fork+exec before the banner: probe a few at a time.
  const limit = pLimit(16);
  const hosts = await Promise.all(
    info.hosts.map((h) => limit(async (): Promise<HostStatus> => {
      const base = { name: h.name, kind: h.kind, distro: h.distro, address: h.address, segment: h.segment, running: running.has(h.name) };
      if (h.segment === 'isolated') return { ...base, sshd: 'behind-bastion', up: base.running };
      if (h.kind === 'windows') {
        const open = await portOpen(h.address, h.port, 3000);
        return { ...base, sshd: open ? 'answering' : 'silent', up: base.running && open, banner: open ? `WinRM on port ${h.port}` : undefined };
      }
      const banner = await readSshBanner(h.address, h.port, 3000);
      return { ...base, sshd: banner ? 'answering' : 'silent', up: base.running && banner !== undefined, banner };
    })),
  );
  return { info, supervisorRunning, hosts };
}
