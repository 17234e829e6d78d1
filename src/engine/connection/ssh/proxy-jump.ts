// ProxyJump: a connection to a host behind bastions is an SSH session carried inside a
// `direct-tcpip` channel of the previous hop. Jump connections are shared process-wide (keyed by the
// whole chain) and reference-counted: 500 hosts behind one bastion make one bastion connection, not
// 500 — OpenSSH's MaxSessions does not limit forwarded channels.
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { UnreachableError } from '../../contract/diagnostics.js';
import { openClient } from './open-client.js';
import type { SshEndpoint } from './settings.js';

interface Shared {
  client: Promise<Client>;
  refs: number;
}

const shared = new Map<string, Shared>();

const chainKey = (chain: readonly SshEndpoint[]) =>
  chain.map((e) => `${e.user}@${e.host}:${e.port}/${e.hostKeys.policy}/${e.identityFiles.map((f) => f.path).join('+')}`).join(' > ');

/** A stream to `host:port` opened by `client` (the last hop). */
export function forward(client: Client, host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => (err ? reject(err) : resolve(stream)));
  });
}

/** Opens (or shares) the client for the last endpoint of `chain`, going through the ones before it. */
function acquire(chain: readonly SshEndpoint[]): Shared & { key: string } {
  const key = chainKey(chain);
  let entry = shared.get(key);
  if (!entry) {
    const target = chain[chain.length - 1]!;
    const before = chain.slice(0, -1);
    const client = (async () => {
      if (before.length === 0) return openClient(target);
      const hop = acquire(before);
      try {
        const via = await hop.client;
        const sock = await forward(via, target.host, target.port).catch((e: Error) => {
          throw new UnreachableError(`ssh ${target.label}: the jump host ${before[before.length - 1]!.label} could not connect to it (${e.message.replace(/^\(SSH\) /, '')})`, { cause: e });
        });
        const c = await openClient(target, { sock, via: `via ${before.map((b) => b.label).join(' > ')}` });
        c.once('close', () => release(hop.key));
        return c;
      } catch (e) {
        release(hop.key);
        throw e;
      }
    })();
    entry = { client, refs: 0 };
    shared.set(key, entry);
    const forget = () => {
      if (shared.get(key) === entry) shared.delete(key);
    };
    client.then((c) => c.once('close', forget), forget);
  }
  entry.refs++;
  return { ...entry, key };
}

function release(key: string): void {
  const entry = shared.get(key);
  if (!entry) return;
  if (--entry.refs > 0) return;
  shared.delete(key);
  entry.client.then((c) => c.end(), () => undefined);
}

/** A socket to the target through its jump hosts, and the function that lets go of the hops. */
export async function openThroughJumps(target: SshEndpoint): Promise<{ client: Client; release: () => void }> {
  const hop = acquire(target.jumps);
  try {
    const via = await hop.client;
    const sock = await forward(via, target.host, target.port).catch((e: Error) => {
      const last = target.jumps[target.jumps.length - 1]!;
      throw new UnreachableError(`ssh ${target.label}: the jump host ${last.label} could not connect to it (${e.message.replace(/^\(SSH\) /, '')})`, { cause: e });
    });
    const client = await openClient(target, { sock, via: `via ${target.jumps.map((j) => j.label).join(' > ')}` });
    let released = false;
    return {
      client,
      release: () => {
        if (released) return;
        released = true;
        release(hop.key);
      },
    };
  } catch (e) {
    release(hop.key);
    throw e;
  }
}
