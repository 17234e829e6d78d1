// The server half of the NTLM handshake, for the lab's WS-Management server and for tests: answer a
// NEGOTIATE with a CHALLENGE, then verify the AUTHENTICATE (NTLMv2 proof, MIC, channel bindings) and
// recover the exported session key. Only NTLMv2 with extended session security is accepted.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  AV_FLAG_MIC_PRESENT,
  AvId,
  NegotiateFlags,
  NtlmSecurityContext,
  SESSION_SECURITY_FLAGS,
  computeMic,
  decryptSessionKey,
  decodeAuthenticate,
  decodeAvPairs,
  decodeNegotiate,
  encodeChallenge,
  findAv,
  fileTime,
  hasFlag,
  keyExchangeKeyV2,
  ntlmv2ResponseFromBlob,
  ntowfv2,
  utf16le,
  zeroMic,
  type AvPair,
  type ChallengeMessage,
} from '../../product.js';

export interface NtlmServerIdentity {
  /** NetBIOS computer name, e.g. `WINLAB01`. */
  computerName: string;
  /** NetBIOS domain (or workgroup-as-computer) name used as TargetName. Default: computerName. */
  domainName?: string;
  dnsComputerName?: string;
  dnsDomainName?: string;
}

export interface ChallengeOptions {
  /** Fixed for tests; random otherwise. */
  serverChallenge?: Buffer;
  /** FILETIME sent as MsvAvTimestamp (makes clients send a MIC). Default: now. */
  timestamp?: Buffer;
}

/** Flags a server may grant; the answer is the intersection with what the client asked for. */
const SERVER_SUPPORTED = SESSION_SECURITY_FLAGS;

/** Builds the CHALLENGE answering `negotiate`; keep the returned bytes: verification needs them. */
export function buildChallenge(negotiate: Buffer, id: NtlmServerIdentity, opts: ChallengeOptions = {}): { message: Buffer; challenge: ChallengeMessage } {
  const neg = decodeNegotiate(negotiate);
  const flags =
    ((neg.flags & SERVER_SUPPORTED) | NegotiateFlags.TARGET_INFO | NegotiateFlags.TARGET_TYPE_SERVER | NegotiateFlags.UNICODE) >>> 0;
  const domain = id.domainName ?? id.computerName;
  const targetInfo: AvPair[] = [
    { id: AvId.NbDomainName, value: utf16le(domain) },
    { id: AvId.NbComputerName, value: utf16le(id.computerName) },
    { id: AvId.DnsDomainName, value: utf16le(id.dnsDomainName ?? domain.toLowerCase()) },
    { id: AvId.DnsComputerName, value: utf16le(id.dnsComputerName ?? id.computerName.toLowerCase()) },
    { id: AvId.Timestamp, value: opts.timestamp ?? fileTime() },
  ];
  const challenge: ChallengeMessage = {
    flags,
    serverChallenge: opts.serverChallenge ?? randomBytes(8),
    targetName: domain,
    targetInfo,
  };
  return { message: encodeChallenge(challenge), challenge };
}

export type PasswordLookup = (user: string, domain: string) => string | undefined;

export interface VerifyOptions {
  /** The NEGOTIATE bytes received; required to check a MIC. */
  negotiate?: Buffer;
  /** Expected MsvAvChannelBindings (HTTPS). A client sending none is accepted, a wrong one is not. */
  channelBindings?: Buffer;
  /** Windows' CbtHardeningLevel: `strict` also refuses clients that send no binding. Default relaxed. */
  channelBindingPolicy?: 'relaxed' | 'strict';
}

export type NtlmVerifyResult =
  | { ok: true; user: string; domain: string; workstation: string; exportedSessionKey: Buffer; flags: number }
  | { ok: false; error: string };

const BAD_CREDENTIALS = 'logon failure: unknown user name or bad password';

/**
 * Verifies an AUTHENTICATE message against the CHALLENGE bytes this server sent. Never throws for a
 * bad client message: every failure is `{ ok: false, error }` (without revealing which part was wrong
 * when it is about credentials).
 */
export function verifyAuthenticate(authenticate: Buffer, challengeBytes: Buffer, lookupPassword: PasswordLookup, opts: VerifyOptions = {}): NtlmVerifyResult {
  try {
    return verify(authenticate, challengeBytes, lookupPassword, opts);
  } catch (e) {
    return { ok: false, error: `malformed NTLM AUTHENTICATE message: ${(e as Error).message}` };
  }
}

function verify(authenticate: Buffer, challengeBytes: Buffer, lookupPassword: PasswordLookup, opts: VerifyOptions): NtlmVerifyResult {
  const auth = decodeAuthenticate(authenticate);
  const serverChallenge = challengeBytes.subarray(24, 32);
  if (auth.ntChallengeResponse.length === 0 && auth.user === '') return { ok: false, error: 'anonymous NTLM logon is not allowed' };
  if (auth.ntChallengeResponse.length <= 24) return { ok: false, error: 'NTLMv1 responses are not accepted (NTLMv2 required)' };
  if (!hasFlag(auth.flags, NegotiateFlags.EXTENDED_SESSIONSECURITY)) {
    return { ok: false, error: 'NTLM extended session security is required' };
  }
  const password = lookupPassword(auth.user, auth.domain);
  if (password === undefined) return { ok: false, error: BAD_CREDENTIALS };

  const proof = auth.ntChallengeResponse.subarray(0, 16);
  const blob = auth.ntChallengeResponse.subarray(16);
  const expected = ntlmv2ResponseFromBlob(ntowfv2(password, auth.user, auth.domain), serverChallenge, blob);
  if (!timingSafeEqual(expected.ntProofStr, proof)) return { ok: false, error: BAD_CREDENTIALS };

  const keyExchangeKey = keyExchangeKeyV2(expected.sessionBaseKey);
  let exportedSessionKey: Buffer = keyExchangeKey;
  if (hasFlag(auth.flags, NegotiateFlags.KEY_EXCH)) {
    if (auth.encryptedRandomSessionKey.length !== 16) return { ok: false, error: 'NTLM key exchange negotiated but no encrypted session key sent' };
    exportedSessionKey = decryptSessionKey(keyExchangeKey, auth.encryptedRandomSessionKey);
  }

  // The client's AV pairs sit after the 28-byte fixed part of the blob (MS-NLMP 2.2.2.7).
  const clientPairs = blob.length > 28 ? decodeAvPairs(blob.subarray(28)) : [];
  const avFlags = findAv(clientPairs, AvId.Flags);
  const micPresent = avFlags !== undefined && avFlags.length === 4 && (avFlags.readUInt32LE(0) & AV_FLAG_MIC_PRESENT) !== 0;
  if (micPresent) {
    if (!auth.mic) return { ok: false, error: 'NTLM client announced a MIC but the message carries none' };
    if (!opts.negotiate) return { ok: false, error: 'cannot check the NTLM MIC: the NEGOTIATE message was not kept' };
    const mic = computeMic(exportedSessionKey, opts.negotiate, challengeBytes, zeroMic(authenticate));
    if (!timingSafeEqual(mic, auth.mic)) return { ok: false, error: 'NTLM message integrity check (MIC) failed' };
  }

  const cbt = findAv(clientPairs, AvId.ChannelBindings);
  const sent = cbt !== undefined && cbt.some((b) => b !== 0);
  if (opts.channelBindings && sent && !cbt.equals(opts.channelBindings)) {
    return { ok: false, error: 'NTLM channel binding does not match this TLS connection' };
  }
  if (opts.channelBindings && !sent && opts.channelBindingPolicy === 'strict') {
    return { ok: false, error: 'NTLM channel binding required (extended protection) but the client sent none' };
  }
  return { ok: true, user: auth.user, domain: auth.domain, workstation: auth.workstation, exportedSessionKey, flags: auth.flags };
}

/** The server's sealing context for a successful verification. */
export function serverContext(result: { exportedSessionKey: Buffer; flags: number }): NtlmSecurityContext {
  return new NtlmSecurityContext({ exportedSessionKey: result.exportedSessionKey, flags: result.flags, role: 'server' });
}
