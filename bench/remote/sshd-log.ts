// Remote commands per host, counted by the hosts' own sshd, whatever tool ran: at LogLevel VERBOSE
// OpenSSH logs one "Starting session: <type> for <user> from …" line per session it serves (an exec
// request, an SFTP subsystem, a shell). The lab keeps each host's log in its overlay's upper layer,
// so the bench reads it from the machine; a run's share is what the log grew by during the run.
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface SessionCounts {
  /** exec requests (`ssh host cmd`, Ansible's modules, fleetplay's commands). */
  commands: number;
  /** SFTP subsystem sessions (file transfers). */
  sftp: number;
  /** Interactive shells and other subsystems. */
  other: number;
  /** Authenticated SSH connections. */
  connections: number;
}

const SESSION = /Starting session: (command|forced-command \([^)]*\)|subsystem '([^']*)'|shell)/;

/** Counts the sessions and connections in a piece of an sshd log (whole lines). */
export function countSshdLog(text: string): SessionCounts {
  const c: SessionCounts = { commands: 0, sftp: 0, other: 0, connections: 0 };
  for (const line of text.split('\n')) {
    if (/\bAccepted \S+ for \S+ from /.test(line)) {
      c.connections++;
      continue;
    }
    const m = SESSION.exec(line);
    if (!m) continue;
    if (m[1] === 'command' || m[1]!.startsWith('forced-command')) c.commands++;
    else if (m[2] === 'sftp') c.sftp++;
    else c.other++;
  }
  return c;
}

/** A host's sshd log as the machine sees it (`sshd -E /var/log/sshd.log` inside the host). */
export function sshdLogPath(stateDir: string): string {
  return join(stateDir, 'upper', 'var', 'log', 'sshd.log');
}

/** Current size of each log (where a run's lines will start). */
export async function logOffsets(paths: readonly string[]): Promise<number[]> {
  return Promise.all(paths.map((p) => stat(p).then((s) => s.size, () => 0)));
}

/** What each log gained since `offsets`, counted. */
export async function countSince(paths: readonly string[], offsets: readonly number[]): Promise<SessionCounts[]> {
  return Promise.all(
    paths.map(async (p, i) => {
      const fh = await open(p, 'r').catch(() => undefined);
      if (!fh) return countSshdLog('');
      try {
        const size = (await fh.stat()).size;
        const from = Math.min(offsets[i] ?? 0, size);
        const buf = Buffer.alloc(size - from);
        await fh.read(buf, 0, buf.length, from);
        return countSshdLog(buf.toString('utf8'));
      } finally {
        await fh.close();
      }
    }),
  );
}
