// The NTLM handshake over HTTP: two empty POSTs on one kept-alive socket (NEGOTIATE → 401 with the
// CHALLENGE → AUTHENTICATE → 200). Windows accepts raw NTLM tokens under the `Negotiate` scheme;
// servers that only offer `NTLM` get that scheme instead.
import type { Socket } from 'node:net';
import { NtlmClient } from './ntlm/client.js';
import { tlsServerEndPointBindings } from './ntlm/channel-bindings.js';
import { NegotiateFlags, hasFlag } from './ntlm/flags.js';
import type { NtlmSecurityContext } from './ntlm/session.js';
import { SOAP_CONTENT_TYPE } from './encryption.js';
import { HttpChannel, type HttpResponse } from './transport-http.js';
import { WinrmAuthError } from './auth-errors.js';

export interface NtlmHandshakeResult {
  context: NtlmSecurityContext;
  socket: Socket;
  flags: number;
}

const TOKEN = /^(Negotiate|NTLM)\s+([A-Za-z0-9+/=]+)\s*$/i;

function offered(res: HttpResponse): string[] {
  return res.authenticate.flatMap((h) => h.split(',')).map((h) => h.trim().split(/\s+/)[0]!.toLowerCase()).filter(Boolean);
}

export async function ntlmHandshake(
  http: HttpChannel,
  creds: { user: string; password: string },
  opts: { requireSeal: boolean; signal?: AbortSignal },
): Promise<NtlmHandshakeResult> {
  const host = http.target.host;
  const empty = Buffer.alloc(0);
  let scheme = 'Negotiate';
  for (let attempt = 0; attempt < 2; attempt++) {
    const client = new NtlmClient({ user: creds.user, password: creds.password }, { targetName: `HTTP/${host}` });
    const negotiate = client.negotiate();
    const first = await http.request({ Authorization: `${scheme} ${negotiate.toString('base64')}`, 'Content-Type': SOAP_CONTENT_TYPE }, empty, opts.signal);
    if (first.status !== 401) {
      throw new WinrmAuthError(`ntlm: expected an NTLM challenge (HTTP 401) from ${http.endpoint}, got HTTP ${first.status}`);
    }
    const token = first.authenticate.map((h) => TOKEN.exec(h.trim())).find((m) => m !== null);
    if (!token) {
      const schemes = offered(first);
      if (scheme === 'Negotiate' && schemes.includes('ntlm')) {
        scheme = 'NTLM';
        continue;
      }
      throw new WinrmAuthError(
        `ntlm: ${http.endpoint} did not answer the NTLM negotiation (it offers: ${schemes.join(', ') || 'nothing'}); ` +
          'is Negotiate authentication enabled on the WinRM service?',
      );
    }
    // The certificate for channel binding is known only once the TLS socket exists.
    const cert = http.target.scheme === 'https' ? HttpChannel.peerCertificate(first.socket) : undefined;
    const auth = client.authenticate(Buffer.from(token[2]!, 'base64'), { channelBindings: cert ? tlsServerEndPointBindings(cert) : undefined });
    if (opts.requireSeal && !hasFlag(auth.flags, NegotiateFlags.SEAL)) {
      throw new WinrmAuthError('ntlm: the server did not agree to message encryption (sealing), which plain HTTP requires');
    }
    const second = await http.request({ Authorization: `${token[1]} ${auth.message.toString('base64')}`, 'Content-Type': SOAP_CONTENT_TYPE }, empty, opts.signal);
    if (second.status === 401) {
      throw new WinrmAuthError(`ntlm: the server rejected the credentials for user '${creds.user}' (HTTP 401)`);
    }
    if (second.status < 200 || second.status >= 300) {
      throw new WinrmAuthError(`ntlm: authentication with ${http.endpoint} ended with HTTP ${second.status}`);
    }
    if (second.socket !== first.socket) {
      throw new WinrmAuthError('ntlm: the server closed the connection during authentication (NTLM needs HTTP keep-alive)');
    }
    return { context: auth.context, socket: second.socket, flags: auth.flags };
  }
  throw new WinrmAuthError(`ntlm: ${http.endpoint} does not offer NTLM authentication`);
}
