// Opens one authenticated ssh2 client to an endpoint, directly over TCP (with TCP_NODELAY: ssh2
// leaves Nagle on, costing ~45 ms per exec) or through a stream forwarded by a jump host. Every
// failure becomes an UnreachableError whose message says what went wrong and where.
import { connect as tcpConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2, { type Client } from 'ssh2';
import { UnreachableError } from '../../contract/diagnostics.js';
import { authHandler, planAuth } from './auth.js';
import { preferredHostKeyTypes, verifyHostKey } from './host-keys.js';
import type { SshEndpoint } from './settings.js';

const SERVER_HOST_KEY_ALGOS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

/** Host key algorithms with the ones already known for the host first. */
function hostKeyAlgorithms(known: string[]): string[] {
  const first = known.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t])).filter((t) => SERVER_HOST_KEY_ALGOS.includes(t));
  return [...new Set([...first, ...SERVER_HOST_KEY_ALGOS])];
}

function describe(e: Error & { code?: string; level?: string }, ep: SshEndpoint, tried: string[], notes: string[]): string {
  const where = `ssh ${ep.label}`;
  const secs = `${Math.round(ep.connectTimeoutMs / 100) / 10} s`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `${where}: connection refused (no SSH server listening on port ${ep.port})`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where}: host unreachable (${e.code})`;
    case 'ETIMEDOUT':
      return `${where}: TCP connection timed out`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${where}: cannot resolve host name '${ep.host}'`;
    case 'ECONNRESET':
      return `${where}: connection reset by the server`;
  }
  if (e.level === 'client-timeout' || /Timed out while waiting for handshake/.test(e.message)) {
    return `${where}: no SSH handshake within ${secs} (host down, or something that is not an SSH server is listening)`;
  }
  if (e.level === 'client-authentication') {
    const detail = [tried.length ? `tried ${tried.join(', ')}` : 'no usable credentials', ...notes].join('; ');
    return `${where}: authentication failed (${detail})`;
  }
  if (/before handshake/i.test(e.message)) return `${where}: connection closed before the SSH handshake`;
  if (/Channel open failure/i.test(e.message)) return `${where}: the jump host could not connect to it (${e.message.replace(/^\(SSH\) /, '')})`;
  return `${where}: ${e.message}`;
}

/**
 * ssh2 counts only the replies to its own keepalive pings, so a slow link busy with a long output
 * delays those replies behind the data and a host that is sending all along is declared dead.
 * OpenSSH's ServerAliveInterval counts any data from the server: do the same. ssh2 has no public
 * hook for it; without `_resetKA` (another ssh2 version) its own stricter behaviour stays.
 */
function countDataAsAlive(client: Client, sock: Duplex): void {
  const reset = (client as unknown as { _resetKA?: () => void })._resetKA;
  if (typeof reset !== 'function') return;
  let last = 0;
  sock.on('data', () => {
    const now = Date.now();
    // Restarting ssh2's interval timer on every chunk of a big transfer would be wasted work.
    if (now - last < 100) return;
    last = now;
    reset();
  });
}

export interface OpenOptions {
  /** A stream to the endpoint's SSH port (from a jump host); default: a direct TCP connection. */
  sock?: Duplex;
  /** How the endpoint is reached, for messages (e.g. "via fleet@bastion"). */
  via?: string;
}

export async function openClient(ep: SshEndpoint, opts: OpenOptions = {}): Promise<Client> {
  const plan = await planAuth(ep);
  const tried: string[] = [];
  let refusal: string | undefined;
  const known = await preferredHostKeyTypes(ep.hostKeys);
  const client = new ssh2.Client();
  const sock: Duplex | Socket = opts.sock ?? tcpConnect({ host: ep.host, port: ep.port, noDelay: true, keepAlive: true });
  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    const fail = (e: Error & { code?: string; level?: string }) => {
      if (settled) return;
      settled = true;
      client.end();
      sock.destroy();
      const msg = refusal ? `ssh ${ep.label}: ${refusal}` : describe(e, ep, tried, plan.notes);
      reject(new UnreachableError(opts.via ? `${msg} (${opts.via})` : msg, { cause: e }));
    };
    client.once('ready', () => {
      settled = true;
      client.removeListener('error', fail);
      // Errors after ready are the connection's business (it watches 'close'); keep them from throwing.
      client.on('error', () => undefined);
      countDataAsAlive(client, sock);
      resolve(client);
    });
    client.on('error', fail);
    client.once('close', () => fail(new Error('connection closed before the SSH handshake')));
    try {
      client.connect({
        sock: sock as Duplex,
        username: ep.user,
        readyTimeout: ep.connectTimeoutMs,
        keepaliveInterval: ep.keepaliveIntervalMs,
        keepaliveCountMax: ep.keepaliveCountMax,
        algorithms: { serverHostKey: hostKeyAlgorithms(known) as never },
        hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
          verifyHostKey(ep.hostKeys, key).then(
            (reason) => {
              refusal = reason;
              verify(reason === undefined);
            },
            (e: Error) => {
              refusal = `cannot check the host key: ${e.message}`;
              verify(false);
            },
          );
        },
        authHandler: authHandler(plan, ep.user, tried),
        ...(ep.debug ? { debug: ep.debug } : {}),
      });
    } catch (e) {
      fail(e as Error);
    }
  });
}
