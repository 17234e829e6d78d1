// Starts host process trees through the supervisor, a bounded number at a time (2 cores: hundreds of
// simultaneous mount/chroot/sshd start-ups only thrash), and waits for each sshd's pid file — written
// only once sshd listens — before counting the host as up.
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostPaths, hostStartArgv } from './linux-host.js';
import type { LabHost } from './state.js';
import type { ExitEvent, SupervisorClient } from './supervisor-client.js';

const WINDOW = 24;
const HOST_TIMEOUT_MS = 30_000;

/** The end of the host's start log and of its sshd log (sshd -E logs there, not to stderr). */
async function startLog(h: LabHost): Promise<string> {
  const p = hostPaths(h.stateDir);
  const tail = async (f: string) => (await readFile(f, 'utf8').catch(() => '')).trim().split('\n').slice(-6).join('\n');
  return [await tail(p.log), await tail(join(p.upper, 'var/log/sshd.log'))].filter(Boolean).join('\n');
}

export async function startHosts(client: SupervisorClient, hosts: readonly LabHost[], progress: (m: string) => void = () => undefined): Promise<void> {
  const exited = new Map<string, ExitEvent>();
  const off = client.onExit((e) => exited.set(e.key, e));
  try {
    const queue = [...hosts];
    const starting = new Map<LabHost, number>();
    let up = 0;
    while (queue.length > 0 || starting.size > 0) {
      while (queue.length > 0 && starting.size < WINDOW) {
        const h = queue.shift()!;
        exited.delete(h.name);
        await client.spawn(h.name, hostStartArgv(h), hostPaths(h.stateDir).log, hostPaths(h.stateDir).rebootMarker);
        starting.set(h, Date.now());
      }
      await new Promise((r) => setTimeout(r, 10));
      for (const [h, since] of starting) {
        const ready = await access(hostPaths(h.stateDir).pidFile).then(() => true, () => false);
        if (ready) {
          starting.delete(h);
          up++;
          if (up % 50 === 0) progress(`lab: ${up}/${hosts.length} hosts up`);
          continue;
        }
        const exit = exited.get(h.name);
        if (exit) {
          throw new Error(`lab: host ${h.name} failed to start (exit ${exit.code ?? exit.signal}):\n${await startLog(h)}`);
        }
        if (Date.now() - since > HOST_TIMEOUT_MS) {
          throw new Error(`lab: host ${h.name}: sshd did not come up within ${HOST_TIMEOUT_MS / 1000} s:\n${await startLog(h)}`);
        }
      }
    }
  } finally {
    off();
  }
}
