// One HTTP(S) connection to a WinRM listener. NTLM authenticates a TCP connection, not a request, so
// each HttpChannel owns an Agent with a single keep-alive socket and tells its caller which socket
// carried each exchange; the auth layer re-authenticates when that socket changes.
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface HttpTarget {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  path: string;
  /** HTTPS only. */
  tls?: { ca?: Buffer; rejectUnauthorized: boolean };
  connectTimeoutMs: number;
  /** Longest silence while waiting for a response (must exceed the WS-Man OperationTimeout). */
  readTimeoutMs: number;
  /** -vvvv: one line per request and per response (sizes, status, socket; never header values). */
  trace?: (line: string) => void;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Every WWW-Authenticate header value, unjoined. */
  authenticate: string[];
  body: Buffer;
  socket: Socket;
}

export type TransportErrorKind = 'connect' | 'timeout' | 'reset' | 'tls' | 'aborted';

/** The host could not be reached or stopped answering. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly kind: TransportErrorKind,
    /** The request went out on a kept-alive socket that the server had already closed: safe to retry once. */
    readonly staleSocket = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransportError';
  }
}

export function endpointOf(t: Pick<HttpTarget, 'scheme' | 'host' | 'port' | 'path'>): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return `${t.scheme}://${host}:${t.port}${t.path}`;
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|HOSTNAME|ERR_TLS/;

export class HttpChannel {
  private readonly agent: http.Agent;
  readonly endpoint: string;

  constructor(readonly target: HttpTarget) {
    const common = { keepAlive: true, maxSockets: 1, maxFreeSockets: 1, scheduling: 'lifo' as const };
    this.agent =
      target.scheme === 'https'
        ? new https.Agent({ ...common, ca: target.tls?.ca, rejectUnauthorized: target.tls?.rejectUnauthorized ?? true })
        : new http.Agent(common);
    this.endpoint = endpointOf(target);
  }

  request(headers: Record<string, string>, body: Buffer, signal?: AbortSignal): Promise<HttpResponse> {
    const t = this.target;
    const mod = t.scheme === 'https' ? https : http;
    return new Promise<HttpResponse>((resolve, reject) => {
      let connectTimer: NodeJS.Timeout | undefined;
      let settled = false;
      let socket: Socket | undefined;
      const fail = (e: TransportError) => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        req.destroy();
        reject(e);
      };
      const req = mod.request({
        host: t.host,
        port: t.port,
        path: t.path,
        method: 'POST',
        agent: this.agent,
        servername: t.scheme === 'https' && !/^[\d.:]+$/.test(t.host) ? t.host : undefined,
        headers: { ...headers, 'Content-Length': String(body.length), 'User-Agent': 'fleetplay WinRM client', Connection: 'Keep-Alive' },
      });
      const where = `${t.host}:${t.port}`;
      const started = Date.now();
      if (t.trace) {
        // Only the scheme of an Authorization header: the token after it is a credential (Basic) or an NTLM message.
        const auth = headers.Authorization?.split(' ')[0];
        t.trace(`POST ${this.endpoint} ${headers['Content-Type']?.split(';')[0] ?? ''}${auth ? ` Authorization: ${auth} …` : ''} (${body.length} bytes)`);
      }
      req.on('socket', (s: Socket) => {
        // res.socket is detached once the response ends; keep our own reference for identity checks.
        socket = s;
        s.setKeepAlive(true, 15_000);
        if (s.connecting) {
          connectTimer = setTimeout(
            () => fail(new TransportError(`connecting to ${where} timed out after ${t.connectTimeoutMs / 1000}s`, 'connect')),
            t.connectTimeoutMs,
          );
          s.once(t.scheme === 'https' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
        }
      });
      req.setTimeout(t.readTimeoutMs, () =>
        fail(new TransportError(`${where} did not answer within ${t.readTimeoutMs / 1000}s (read timeout)`, 'timeout')),
      );
      req.on('error', (err: NodeJS.ErrnoException) => fail(classify(err, where, req.reusedSocket)));
      const onAbort = () => fail(new TransportError('request aborted', 'aborted'));
      if (signal) {
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
      }
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err: NodeJS.ErrnoException) => fail(classify(err, where, false)));
        res.on('aborted', () => fail(new TransportError(`${where} closed the connection mid-response`, 'reset')));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          const raw = res.headersDistinct?.['www-authenticate'] ?? [];
          const size = chunks.reduce((n, c) => n + c.length, 0);
          t.trace?.(`HTTP ${res.statusCode ?? 0} (${size} bytes, ${req.reusedSocket ? 'kept-alive socket' : 'new socket'}, ${Date.now() - started} ms)${raw.length ? ` WWW-Authenticate: ${raw.map((a) => a.split(' ')[0]).join(', ')}` : ''}`);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, authenticate: raw, body: Buffer.concat(chunks), socket: socket! });
        });
      });
      req.end(body);
    });
  }

  /** DER of the server certificate on the current TLS socket (for channel binding), if any. */
  static peerCertificate(socket: Socket): Buffer | undefined {
    const tls = socket as TLSSocket;
    if (typeof tls.getPeerCertificate !== 'function') return undefined;
    const raw = tls.getPeerCertificate()?.raw;
    return raw && raw.length ? raw : undefined;
  }

  close(): void {
    this.agent.destroy();
  }
}

function classify(err: NodeJS.ErrnoException, where: string, reused: boolean): TransportError {
  if (err instanceof TransportError) return err;
  const code = err.code ?? '';
  if (TLS_CODES.test(code) || TLS_CODES.test(err.message) || code === 'EPROTO') {
    // An HTTP listener answering a TLS hello shows up as "wrong version number".
    const hint = /wrong version number/i.test(err.message) ? ' (the port answers plain HTTP: set ansible_winrm_scheme: http, or use the HTTPS port)' : '';
    const first = err.message.split('\n')[0]!.replace(/^write EPROTO [0-9A-F]+:error:[0-9A-F]+:SSL routines:/, '').replace(/:\.\.\/deps\/openssl.*$/, '');
    return new TransportError(`TLS connection to ${where} failed: ${first}${hint}`, 'tls', false, { cause: err });
  }
  if (code === 'ECONNREFUSED') return new TransportError(`connection to ${where} refused (is the WinRM listener running on this port?)`, 'connect', false, { cause: err });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new TransportError(`cannot resolve host name '${where}'`, 'connect', false, { cause: err });
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new TransportError(`no route to ${where}`, 'connect', false, { cause: err });
  const stale = reused && (code === 'ECONNRESET' || code === 'EPIPE' || err.message === 'socket hang up');
  return new TransportError(`connection to ${where} failed: ${err.message}`, 'reset', stale, { cause: err });
}
