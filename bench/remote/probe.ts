// Remote commands and round trips per host for one run, measured outside every tool: sessions from
// each host's sshd log (sshd-log.ts), turns from a capture of the SSH streams (turns.ts).
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startCapture } from './capture.js';
import { countSince, logOffsets, sshdLogPath } from './sshd-log.js';
import { countTurns } from './turns.js';

/** Per host, in the lab's host order. */
export interface RemoteCounts {
  commands: number[];
  sftp: number[];
  connections: number[];
  /** Empty when the run was not captured (as streams). */
  roundTrips: number[];
  streams: number[];
  /** Packets the kernel dropped from the capture (round trips are a lower bound when > 0). */
  dropped: number;
}


export interface ProbeTarget {
  /** Each host's state directory and the address its SSH streams are seen with on `iface`. */
  hosts: readonly { stateDir: string; address: string }[];
  /** Where the SSH streams to the hosts pass (the lab bridge; behind a bastion, its inner link). */
  iface: string;
  /** Capture and count round trips (default true); without it, only sessions are counted. */
  capture?: boolean;
}

export interface RemoteProbe {
  start(runDir: string): Promise<{ stop(): Promise<RemoteCounts> }>;
}

export function remoteProbe(t: ProbeTarget): RemoteProbe {
  const logs = t.hosts.map((h) => sshdLogPath(h.stateDir));
  return {
    async start(runDir) {
      const offsets = await logOffsets(logs);
      const file = join(runDir, 'ssh.pcap');
      const capture = t.capture === false ? undefined : await startCapture(t.iface, file);
      return {
        async stop() {
          const dropped = capture ? (await capture.stop()).dropped : 0;
          const sessions = await countSince(logs, offsets);
          const turns = capture ? countTurns(await readFile(file), new Set(t.hosts.map((h) => h.address))) : new Map<string, { turns: number; streams: number }>();
          // The capture is only an input to these counts (and large at big fleets).
          await rm(file, { force: true });
          return {
            commands: sessions.map((s) => s.commands),
            sftp: sessions.map((s) => s.sftp),
            connections: sessions.map((s) => s.connections),
            roundTrips: capture ? t.hosts.map((h) => turns.get(h.address)?.turns ?? 0) : [],
            streams: capture ? t.hosts.map((h) => turns.get(h.address)?.streams ?? 0) : [],
            dropped,
          };
        },
      };
    },
  };
}
