// NTLMv2 cryptography (MS-NLMP 3.3.2, 3.4.5). MD4 and RC4 are done in JavaScript because Node's
// OpenSSL 3 refuses both unless the legacy provider is loaded, which we cannot require of users.
// Shared by the WinRM client and the lab's WS-Management server, so both roles live here.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import md4lib from 'js-md4';
import { NegotiateFlags } from './flags.js';

export function md4(data: Uint8Array): Buffer {
  return Buffer.from(md4lib.create().update(data).arrayBuffer());
}

export function md5(...parts: Uint8Array[]): Buffer {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
}

export function hmacMd5(key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  const h = createHmac('md5', key);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** RC4 with state kept between calls: NTLM sealing runs one keystream across a whole connection. */
export class Rc4 {
  private readonly s = new Uint8Array(256);
  private i = 0;
  private j = 0;

  constructor(key: Uint8Array) {
    if (key.length === 0) throw new Error('RC4 key must not be empty');
    const s = this.s;
    for (let k = 0; k < 256; k++) s[k] = k;
    let j = 0;
    for (let k = 0; k < 256; k++) {
      j = (j + s[k]! + key[k % key.length]!) & 0xff;
      const t = s[k]!;
      s[k] = s[j]!;
      s[j] = t;
    }
  }

  update(data: Uint8Array): Buffer {
    const out = Buffer.allocUnsafe(data.length);
    const s = this.s;
    let i = this.i;
    let j = this.j;
    for (let n = 0; n < data.length; n++) {
      i = (i + 1) & 0xff;
      const si = s[i]!;
      j = (j + si) & 0xff;
      const sj = s[j]!;
      s[i] = sj;
      s[j] = si;
      out[n] = data[n]! ^ s[(si + sj) & 0xff]!;
    }
    this.i = i;
    this.j = j;
    return out;
  }
}

/** One-shot RC4 (fresh keystream), as used for the encrypted random session key. */
export function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  return new Rc4(key).update(data);
}

export function utf16le(s: string): Buffer {
  return Buffer.from(s, 'utf16le');
}

/** NTOWFv1 = MD4(UNICODE(password)): the "NT hash". */
export function ntHash(password: string): Buffer {
  return md4(utf16le(password));
}

/** NTOWFv2 from an NT hash (lets a server store hashes instead of passwords). */
export function ntowfv2FromHash(hash: Uint8Array, user: string, domain: string): Buffer {
  return hmacMd5(hash, utf16le(user.toUpperCase() + domain));
}

/** NTOWFv2(Passwd, User, UserDom) = HMAC_MD5(MD4(UNICODE(Passwd)), UNICODE(Uppercase(User) + UserDom)). */
export function ntowfv2(password: string, user: string, domain: string): Buffer {
  return ntowfv2FromHash(ntHash(password), user, domain);
}

/** In NTLMv2, LMOWFv2 is defined to be the same function as NTOWFv2. */
export const lmowfv2 = ntowfv2;

/** Windows FILETIME (100 ns ticks since 1601-01-01), little-endian, as the NTLMv2 blob carries it. */
export function fileTime(date: Date = new Date()): Buffer {
  const ticks = (BigInt(date.getTime()) + 11_644_473_600_000n) * 10_000n;
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(ticks);
  return b;
}

/** The NTLMv2_CLIENT_CHALLENGE structure ("temp" in MS-NLMP 3.3.2), target info included verbatim. */
export function ntlmv2ClientBlob(timestamp: Uint8Array, clientChallenge: Uint8Array, targetInfo: Uint8Array): Buffer {
  if (timestamp.length !== 8) throw new Error('NTLMv2 timestamp must be 8 bytes');
  if (clientChallenge.length !== 8) throw new Error('NTLMv2 client challenge must be 8 bytes');
  return Buffer.concat([
    Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]),
    timestamp,
    clientChallenge,
    Buffer.alloc(4),
    targetInfo,
    Buffer.alloc(4),
  ]);
}

export interface Ntlmv2ResponseInput {
  responseKeyNT: Uint8Array;
  serverChallenge: Uint8Array;
  clientChallenge: Uint8Array;
  /** 8-byte FILETIME; the server's MsvAvTimestamp when it sent one. */
  timestamp: Uint8Array;
  /** The AV_PAIR list the client echoes (server's target info, possibly extended by the client). */
  targetInfo: Uint8Array;
}

export interface Ntlmv2Response {
  /** NTProofStr followed by the client blob: the AUTHENTICATE message's NtChallengeResponse. */
  ntChallengeResponse: Buffer;
  ntProofStr: Buffer;
  sessionBaseKey: Buffer;
}

export function computeNtlmv2Response(input: Ntlmv2ResponseInput): Ntlmv2Response {
  const blob = ntlmv2ClientBlob(input.timestamp, input.clientChallenge, input.targetInfo);
  return ntlmv2ResponseFromBlob(input.responseKeyNT, input.serverChallenge, blob);
}

/** Recomputes the response for a blob received from a client (the server's verification path). */
export function ntlmv2ResponseFromBlob(responseKeyNT: Uint8Array, serverChallenge: Uint8Array, blob: Uint8Array): Ntlmv2Response {
  const ntProofStr = hmacMd5(responseKeyNT, serverChallenge, blob);
  return {
    ntChallengeResponse: Buffer.concat([ntProofStr, blob]),
    ntProofStr,
    sessionBaseKey: hmacMd5(responseKeyNT, ntProofStr),
  };
}

/** LMv2 response: HMAC_MD5(ResponseKeyLM, ServerChallenge ‖ ClientChallenge) ‖ ClientChallenge. */
export function computeLmv2Response(responseKeyLM: Uint8Array, serverChallenge: Uint8Array, clientChallenge: Uint8Array): Buffer {
  return Buffer.concat([hmacMd5(responseKeyLM, serverChallenge, clientChallenge), clientChallenge]);
}

/** KXKEY for NTLMv2 is the session base key itself (MS-NLMP 3.4.5.1). */
export function keyExchangeKeyV2(sessionBaseKey: Uint8Array): Buffer {
  return Buffer.from(sessionBaseKey);
}

/** With NEGOTIATE_KEY_EXCH the client picks a random exported key and sends it RC4-encrypted. */
export function newExportedSessionKey(): Buffer {
  return randomBytes(16);
}

export function encryptSessionKey(keyExchangeKey: Uint8Array, exportedSessionKey: Uint8Array): Buffer {
  return rc4(keyExchangeKey, exportedSessionKey);
}

/** RC4 is symmetric; named separately so call sites read as what the server does. */
export const decryptSessionKey = encryptSessionKey;

export type NtlmRole = 'client' | 'server';
export type Direction = 'client-to-server' | 'server-to-client';

const magic = (direction: Direction, purpose: 'signing' | 'sealing') =>
  Buffer.from(`session key to ${direction} ${purpose} key magic constant\0`, 'ascii');

/** SIGNKEY (MS-NLMP 3.4.5.2); only defined with extended session security. */
export function signKey(exportedSessionKey: Uint8Array, direction: Direction): Buffer {
  return md5(exportedSessionKey, magic(direction, 'signing'));
}

/** SEALKEY (MS-NLMP 3.4.5.3) with extended session security: the key is cut to 128/56/40 bits first. */
export function sealKey(exportedSessionKey: Uint8Array, flags: number, direction: Direction): Buffer {
  let key: Uint8Array = exportedSessionKey;
  if (!(flags & NegotiateFlags.NEGOTIATE_128)) {
    key = exportedSessionKey.subarray(0, flags & NegotiateFlags.NEGOTIATE_56 ? 7 : 5);
  }
  return md5(key, magic(direction, 'sealing'));
}

/** MIC = HMAC_MD5(ExportedSessionKey, NEGOTIATE ‖ CHALLENGE ‖ AUTHENTICATE-with-zeroed-MIC). */
export function computeMic(exportedSessionKey: Uint8Array, negotiate: Uint8Array, challenge: Uint8Array, authenticate: Uint8Array): Buffer {
  return hmacMd5(exportedSessionKey, negotiate, challenge, authenticate);
}
