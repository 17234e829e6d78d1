// The HTTP (5985) and HTTPS (5986) listeners of the lab's WinRM service. HTTP demands NTLM with
// message encryption (a default Windows listener: AllowUnencrypted=false); HTTPS takes Basic or NTLM
// with the body in clear. Every request: authenticate → unseal → size check → action → seal → reply.

import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { X509Certificate } from 'node:crypto';
import { ENCRYPTED_CONTENT_TYPE, decryptBody, encryptBody, isEncryptedContentType, SOAP_CONTENT_TYPE, tlsServerEndPointBindings } from '../../product.js';
import { runAction } from './actions.js';
import { authenticate, type Account, type AuthSettings, type ConnectionAuth } from './auth.js';
import type { FaultInjector } from './faults.js';
import type { ShellManager } from './shells.js';
import { ACTIONS, faultEnvelope, Faults, parseRequest, WsmanFault } from './soap.js';

export interface WsmanServerOptions {
  computerName: string;
  account: Account;
  listenAddress: string;
  httpPort: number;
  httpsPort: number;
  tls: { cert: Buffer; key: Buffer };
  /** MaxEnvelopeSizekb × 1024. */
  maxEnvelopeSize: number;
  maxOperationTimeoutMs: number;
  cbtHardeningLevel: 'None' | 'Relaxed' | 'Strict';
  shells: ShellManager;
  faults: FaultInjector;
}

export interface WsmanServers {
  httpPort: number;
  httpsPort: number;
  /** Successful authentications so far: NTLM handshakes (one per connection) and Basic requests. */
  authentications(): number;
  /** Closes every open client connection, as a listener restart or a network blip does. */
  dropConnections(): void;
  /** While down, new connections are reset at once, as a host that is rebooting does. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

interface ConnState extends ConnectionAuth {
  abort: AbortController;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function listen(server: Server, port: number, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    });
  });
}

export async function startWsmanServers(o: WsmanServerOptions): Promise<WsmanServers> {
  const conns = new WeakMap<Socket, ConnState>();
  const sockets = new Set<Socket>();
  const identity = { computerName: o.computerName.toUpperCase() };
  let authentications = 0;
  let down = false;
  const bindings = tlsServerEndPointBindings(new X509Certificate(o.tls.cert).raw);

  const state = (socket: Socket): ConnState => {
    let s = conns.get(socket);
    if (!s) {
      const created: ConnState = { abort: new AbortController() };
      socket.once('close', () => created.abort.abort());
      conns.set(socket, created);
      s = created;
    }
    return s;
  };

  const handler = (https: boolean) => async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await handle(req, res, https);
    } catch (e) {
      process.stderr.write(`lab windows host ${o.computerName}: request failed: ${e instanceof Error ? e.stack : String(e)}\n`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Length': 0 });
      res.end();
    }
  };

  async function handle(req: IncomingMessage, res: ServerResponse, https: boolean): Promise<void> {
    const conn = state(req.socket);
    const body = await readBody(req);
    const send = (status: number, payload: Buffer | string = '', headers: Record<string, string | string[]> = {}): void => {
      const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
      res.writeHead(status, { Server: 'Microsoft-HTTPAPI/2.0', 'Content-Length': String(data.length), ...headers });
      res.end(data);
    };
    if ((req.url ?? '').split('?')[0]!.toLowerCase() !== '/wsman') return send(404);
    if (req.method !== 'POST') return send(405, '', { Allow: 'POST' });
    const checkCbt = https && o.cbtHardeningLevel !== 'None';
    const settings: AuthSettings = { https, identity, account: o.account, channelBindings: checkCbt ? bindings : undefined, requireChannelBindings: checkCbt && o.cbtHardeningLevel === 'Strict' };
    const before = conn.ntlm;
    const auth = authenticate(conn, req.headers.authorization, settings);
    if (auth.kind === 'challenge') return send(401, '', { 'WWW-Authenticate': auth.header });
    if (auth.kind === 'unauthorized') return send(401, '', { 'WWW-Authenticate': https ? ['Negotiate', 'Basic realm="WSMAN"'] : 'Negotiate' });
    if (!auth.ntlm || auth.ntlm !== before) authentications++;
    if (body.length === 0) return send(200);

    const contentType = req.headers['content-type'] ?? '';
    const encrypted = isEncryptedContentType(contentType);
    const reply = (status: number, xml: string): void => {
      if (encrypted && auth.ntlm) send(status, encryptBody(auth.ntlm, xml), { 'Content-Type': ENCRYPTED_CONTENT_TYPE });
      else send(status, xml, { 'Content-Type': SOAP_CONTENT_TYPE });
    };
    let messageId = '';
    try {
      let soap: string;
      if (encrypted) {
        if (!auth.ntlm) throw Faults.badRequest('an encrypted message needs an NTLM security context on this connection.');
        try {
          soap = decryptBody(auth.ntlm, body, contentType).toString('utf8');
        } catch (e) {
          // The sealing streams are out of step now: this connection cannot be used any more.
          res.setHeader('Connection', 'close');
          throw Faults.badRequest(`the encrypted message could not be decrypted (${(e as Error).message}).`);
        }
      } else {
        if (!https) throw Faults.unencrypted();
        soap = body.toString('utf8');
      }
      const size = Buffer.byteLength(soap, 'utf8');
      if (size > o.maxEnvelopeSize) throw Faults.envelopeTooLarge(size, o.maxEnvelopeSize);
      const request = parseRequest(soap);
      messageId = request.messageId;
      const decision = o.faults.decide(request.action === ACTIONS.receive);
      if (decision === 'stall') return;
      if (decision === 'drop') {
        req.socket.destroy();
        return;
      }
      if (decision === 'http500') return send(500);
      const host = req.headers.host ?? `${o.listenAddress}:${https ? o.httpsPort : o.httpPort}`;
      const xml = await runAction({
        shells: o.shells, user: auth.user, endpoint: `${https ? 'https' : 'http'}://${host}/wsman`,
        maxEnvelopeSize: o.maxEnvelopeSize, maxOperationTimeoutMs: o.maxOperationTimeoutMs, abort: conn.abort.signal,
      }, request);
      reply(200, xml);
    } catch (e) {
      if (!(e instanceof WsmanFault)) throw e;
      if (conn.abort.signal.aborted) return;
      reply(e.httpStatus, faultEnvelope(e, messageId, o.computerName));
    }
  }

  const http = createHttpServer(handler(false));
  const https = createHttpsServer({ cert: o.tls.cert, key: o.tls.key }, handler(true));
  for (const s of [http, https]) {
    // WinRM clients keep one authenticated connection for a whole run.
    s.keepAliveTimeout = 10 * 60_000;
    s.requestTimeout = 0;
    s.on('connection', (sock: Socket) => {
      if (down) {
        sock.destroy();
        return;
      }
      sockets.add(sock);
      sock.setNoDelay(true);
      sock.once('close', () => sockets.delete(sock));
    });
  }
  https.on('secureConnection', (sock: Socket) => {
    sockets.add(sock);
    sock.once('close', () => sockets.delete(sock));
  });
  const httpPort = await listen(http, o.httpPort, o.listenAddress);
  const httpsPort = await listen(https, o.httpsPort, o.listenAddress);
  return {
    httpPort,
    httpsPort,
    authentications: () => authentications,
    dropConnections() {
      for (const sock of sockets) sock.destroy();
    },
    setDown(d) {
      down = d;
    },
    async close() {
      o.shells.closeAll();
      const closed = Promise.all([http, https].map((s) => new Promise<void>((r) => s.close(() => r()))));
      for (const sock of sockets) sock.destroy();
      await closed;
    },
  };
}
