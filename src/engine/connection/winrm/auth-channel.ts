// An authenticated WinRM channel: one HTTP connection plus its credentials. NTLM runs the handshake
// on an empty POST (as pywinrm does) and then seals every envelope on that same socket; Basic sends
// its header with each request. Requests on a channel are serialized: the RC4 streams of NTLM sealing
// must see messages in the order the server does.
import { ENCRYPTED_CONTENT_TYPE, SOAP_CONTENT_TYPE, decryptBody, encryptBody, isEncryptedContentType } from './encryption.js';
import { ntlmHandshake } from './auth-ntlm.js';
import { WinrmAuthError } from './auth-errors.js';
import type { NtlmSecurityContext } from './ntlm/session.js';
import { parseFault, parseXml, WinrmProtocolError, type XmlNode } from './soap.js';
import { HttpChannel, TransportError, type HttpResponse, type HttpTarget } from './transport-http.js';
import type { Socket } from 'node:net';

export { WinrmAuthError };

export interface WinrmAuth {
  method: 'ntlm' | 'basic';
  user: string;
  password: string;
  /** NTLM message encryption (required by a default HTTP listener). */
  encrypt: boolean;
}

export class WinrmChannel {
  private readonly http: HttpChannel;
  private ctx?: NtlmSecurityContext;
  private authSocket?: Socket;
  private authenticated = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    target: HttpTarget,
    private readonly auth: WinrmAuth,
  ) {
    this.http = new HttpChannel(target);
  }

  get endpoint(): string {
    return this.http.endpoint;
  }

  /** Sends one SOAP envelope; resolves with the parsed response, throws WinrmFault for SOAP faults. */
  post(soap: string, signal?: AbortSignal): Promise<XmlNode> {
    const run = this.queue.then(() => this.exchange(soap, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.http.close();
    this.reset();
  }

  private reset(): void {
    this.ctx = undefined;
    this.authSocket = undefined;
    this.authenticated = false;
  }

  private async exchange(soap: string, signal?: AbortSignal): Promise<XmlNode> {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.send(soap, signal);
        // 401 on an established NTLM connection: the server dropped our context without running
        // the request, so authenticating again and resending is safe.
        if (res.status === 401 && this.auth.method === 'ntlm' && attempt === 0) {
          this.reset();
          continue;
        }
        return this.readResponse(res);
      } catch (e) {
        if (e instanceof TransportError && e.staleSocket && attempt === 0) {
          this.reset();
          continue;
        }
        throw e;
      }
    }
  }

  private async send(soap: string, signal?: AbortSignal): Promise<HttpResponse> {
    const body = Buffer.from(soap, 'utf8');
    if (this.http.target.trace) {
      // The action names the WS-Man operation (Create shell, Command, Receive, Signal, Delete); the body can carry script text.
      const action = /<(?:\w+:)?Action\b[^>]*>([^<]+)</.exec(soap)?.[1]?.split('/').pop();
      this.http.target.trace(`WS-Man ${action ?? 'request'}${this.auth.encrypt ? ' (NTLM-sealed)' : ''}`);
    }
    if (this.auth.method === 'basic') {
      const token = Buffer.from(`${this.auth.user}:${this.auth.password}`, 'utf8').toString('base64');
      return this.http.request({ Authorization: `Basic ${token}`, 'Content-Type': SOAP_CONTENT_TYPE }, body, signal);
    }
    if (!this.authenticated || !this.authSocket || this.authSocket.destroyed) await this.handshake(signal);
    if (this.auth.encrypt) {
      return this.http.request({ 'Content-Type': ENCRYPTED_CONTENT_TYPE }, encryptBody(this.ctx!, body), signal);
    }
    return this.http.request({ 'Content-Type': SOAP_CONTENT_TYPE }, body, signal);
  }

  private async handshake(signal?: AbortSignal): Promise<void> {
    this.reset();
    const r = await ntlmHandshake(this.http, this.auth, { requireSeal: this.auth.encrypt, signal });
    this.ctx = r.context;
    this.authSocket = r.socket;
    this.authenticated = true;
  }

  private readResponse(res: HttpResponse): XmlNode {
    let xml: string;
    if (isEncryptedContentType(res.headers['content-type'])) {
      if (!this.ctx) throw new WinrmProtocolError('server sent an encrypted message on a connection without NTLM context');
      xml = decryptBody(this.ctx, res.body, String(res.headers['content-type'])).toString('utf8');
    } else {
      if (this.auth.encrypt && res.status === 200) {
        throw new WinrmProtocolError('server answered in clear text on an encrypted WinRM session');
      }
      xml = res.body.toString('utf8');
    }
    if (res.status === 401) {
      throw new WinrmAuthError(`${this.auth.method}: the server rejected the credentials for user '${this.auth.user}' (HTTP 401)`);
    }
    if (xml.trimStart().startsWith('<')) {
      const doc = parseXml(xml);
      const fault = parseFault(doc);
      if (fault) throw fault;
      if (res.status === 200) return doc;
    }
    const detail = xml.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300);
    throw new WinrmProtocolError(`unexpected HTTP ${res.status}${detail ? `: ${detail}` : ''}`);
  }
}
