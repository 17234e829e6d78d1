// Authentication of one TCP connection, as a Windows WinRM listener does it: NTLM over
// `Authorization: Negotiate|NTLM <raw NTLMSSP>` (the security context then belongs to the connection),
// and Basic on HTTPS only (per request). Over HTTP, Basic is refused like with AllowUnencrypted=false.
// The NTLM cryptography is the shared implementation in engine/connection/winrm/ntlm.

import { timingSafeEqual } from 'node:crypto';
import { buildChallenge, serverContext, verifyAuthenticate, type NtlmServerIdentity } from './ntlm-server.js';
import type { NtlmSecurityContext } from '../../product.js';

export interface Account {
  user: string;
  password: string;
}

export interface ConnectionAuth {
  ntlm?: NtlmSecurityContext;
  user?: string;
  pending?: { negotiate: Buffer; challenge: Buffer };
}

export type AuthOutcome =
  | { kind: 'challenge'; header: string }
  | { kind: 'unauthorized'; reason: string }
  | { kind: 'ok'; user: string; ntlm?: NtlmSecurityContext };

export interface AuthSettings {
  https: boolean;
  identity: NtlmServerIdentity;
  account: Account;
  /** MsvAvChannelBindings of the HTTPS certificate (checked when the client sends one). */
  channelBindings?: Buffer;
  /** Strict: a client that sends no channel binding is refused. */
  requireChannelBindings?: boolean;
}

const NTLMSSP = Buffer.from('NTLMSSP\0', 'latin1');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `HOST\user`, `.\user`, `user@host` and `user` all name the local account. */
function userMatches(given: string, account: Account, computerName: string): boolean {
  let u = given;
  const slash = u.indexOf('\\');
  if (slash >= 0) {
    const domain = u.slice(0, slash);
    if (domain !== '.' && domain.toUpperCase() !== computerName.toUpperCase()) return false;
    u = u.slice(slash + 1);
  } else if (u.includes('@')) u = u.slice(0, u.indexOf('@'));
  return u.toLowerCase() === account.user.toLowerCase();
}

export function authenticate(conn: ConnectionAuth, header: string | undefined, s: AuthSettings): AuthOutcome {
  if (!header) {
    if (conn.ntlm && conn.user) return { kind: 'ok', user: conn.user, ntlm: conn.ntlm };
    return { kind: 'unauthorized', reason: 'no credentials' };
  }
  const m = /^(\S+)\s+(\S+)\s*$/.exec(header);
  if (!m) return { kind: 'unauthorized', reason: 'malformed Authorization header' };
  const scheme = m[1]!;
  const token = Buffer.from(m[2]!, 'base64');
  if (scheme.toLowerCase() === 'basic') {
    if (!s.https) return { kind: 'unauthorized', reason: 'Basic authentication is refused on HTTP (AllowUnencrypted = false)' };
    const decoded = token.toString('utf8');
    const colon = decoded.indexOf(':');
    const user = decoded.slice(0, colon);
    if (colon < 0 || !userMatches(user, s.account, s.identity.computerName) || !sameText(decoded.slice(colon + 1), s.account.password)) {
      return { kind: 'unauthorized', reason: 'bad user name or password' };
    }
    return { kind: 'ok', user: s.account.user };
  }
  if (scheme.toLowerCase() !== 'negotiate' && scheme.toLowerCase() !== 'ntlm') return { kind: 'unauthorized', reason: `unsupported scheme ${scheme}` };
  if (token.length < 12 || !token.subarray(0, 8).equals(NTLMSSP)) {
    return { kind: 'unauthorized', reason: 'only raw NTLMSSP tokens are accepted (no Kerberos/SPNEGO)' };
  }
  const type = token.readUInt32LE(8);
  if (type === 1) {
    const { message } = buildChallenge(token, s.identity);
    conn.pending = { negotiate: token, challenge: message };
    conn.ntlm = undefined;
    conn.user = undefined;
    return { kind: 'challenge', header: `${scheme} ${message.toString('base64')}` };
  }
  if (type === 3 && conn.pending) {
    const { negotiate, challenge } = conn.pending;
    conn.pending = undefined;
    const result = verifyAuthenticate(token, challenge, (user, domain) => {
      const full = domain ? `${domain}\\${user}` : user;
      return userMatches(full, s.account, s.identity.computerName) || userMatches(user, s.account, s.identity.computerName) ? s.account.password : undefined;
    }, { negotiate, channelBindings: s.channelBindings, channelBindingPolicy: s.requireChannelBindings ? 'strict' : 'relaxed' });
    if (!result.ok) return { kind: 'unauthorized', reason: result.error };
    conn.ntlm = serverContext(result);
    conn.user = s.account.user;
    return { kind: 'ok', user: conn.user, ntlm: conn.ntlm };
  }
  return { kind: 'unauthorized', reason: 'unexpected NTLM message' };
}
