// NTLM crypto against the published MS-NLMP section 4.2 test vectors (NTLMv2: user "User", domain
// "Domain", password "Password", server challenge 0123456789abcdef, client challenge aa..aa, time 0,
// random session key 55..55), plus the classic MD4/RC4 vectors.
import { describe, expect, it } from 'vitest';
import {
  Rc4,
  computeLmv2Response,
  computeNtlmv2Response,
  encryptSessionKey,
  fileTime,
  keyExchangeKeyV2,
  lmowfv2,
  md4,
  ntHash,
  ntowfv2,
  rc4,
  sealKey,
  signKey,
} from '../../../../../src/engine/connection/winrm/ntlm/crypto.js';
import { NegotiateFlags } from '../../../../../src/engine/connection/winrm/ntlm/flags.js';
import { AvId, encodeAvPairs } from '../../../../../src/engine/connection/winrm/ntlm/messages.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const utf16 = (s: string) => Buffer.from(s, 'utf16le');

export const vectors = {
  user: 'User',
  domain: 'Domain',
  password: 'Password',
  serverChallenge: hex('0123456789abcdef'),
  clientChallenge: hex('aaaaaaaaaaaaaaaa'),
  timestamp: Buffer.alloc(8),
  randomSessionKey: hex('55555555555555555555555555555555'),
  flags: 0xe28a8233,
  // AV pairs of the 4.2.4 CHALLENGE: NetBIOS domain "Domain", NetBIOS computer "Server".
  targetInfo: encodeAvPairs([
    { id: AvId.NbDomainName, value: utf16('Domain') },
    { id: AvId.NbComputerName, value: utf16('Server') },
  ]),
};

describe('MD4 and RC4 work without OpenSSL legacy algorithms', () => {
  it('MD4 matches RFC 1320', () => {
    expect(md4(Buffer.alloc(0)).toString('hex')).toBe('31d6cfe0d16ae931b73c59d7e0c089c0');
    expect(md4(Buffer.from('abc')).toString('hex')).toBe('a448017aaf21d8525fc10ae87aa6729d');
    expect(md4(Buffer.from('message digest')).toString('hex')).toBe('d9130a8164549fe818874806e1c7014b');
  });

  it('NT hash of "Password" matches MS-NLMP 4.2.2.1.2', () => {
    expect(ntHash('Password').toString('hex')).toBe('a4f49c406510bdcab6824ee7c30fd852');
  });

  it('RC4 matches the well-known vectors', () => {
    expect(rc4(Buffer.from('Key'), Buffer.from('Plaintext')).toString('hex')).toBe('bbf316e8d940af0ad3');
    expect(rc4(Buffer.from('Wiki'), Buffer.from('pedia')).toString('hex')).toBe('1021bf0420');
    expect(rc4(Buffer.from('Secret'), Buffer.from('Attack at dawn')).toString('hex')).toBe('45a01f645fc35b383552544b9bf5');
  });

  it('RC4 keeps its keystream across update calls', () => {
    const data = Buffer.from('a somewhat longer message split into pieces');
    const oneShot = rc4(Buffer.from('k3y'), data);
    const streaming = new Rc4(Buffer.from('k3y'));
    const pieces = Buffer.concat([streaming.update(data.subarray(0, 7)), streaming.update(data.subarray(7, 8)), streaming.update(data.subarray(8))]);
    expect(pieces.equals(oneShot)).toBe(true);
    expect(() => new Rc4(Buffer.alloc(0))).toThrow(/empty/);
  });
});

describe('MS-NLMP 4.2.4 NTLMv2 authentication', () => {
  const responseKey = ntowfv2(vectors.password, vectors.user, vectors.domain);

  it('NTOWFv2 and LMOWFv2 (4.2.4.1.1, 4.2.4.1.2)', () => {
    expect(responseKey.toString('hex')).toBe('0c868a403bfd7a93a3001ef22ef02e3f');
    expect(lmowfv2(vectors.password, vectors.user, vectors.domain).toString('hex')).toBe('0c868a403bfd7a93a3001ef22ef02e3f');
  });

  it('user name is upper-cased but the domain is not', () => {
    expect(ntowfv2('Password', 'user', 'Domain').equals(responseKey)).toBe(true);
    expect(ntowfv2('Password', 'User', 'DOMAIN').equals(responseKey)).toBe(false);
  });

  it('LMv2 response (4.2.4.2.1)', () => {
    expect(computeLmv2Response(responseKey, vectors.serverChallenge, vectors.clientChallenge).toString('hex')).toBe(
      '86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa',
    );
  });

  it('NTProofStr, NTLMv2 response and session base key (4.2.4.1.3, 4.2.4.2.2)', () => {
    const r = computeNtlmv2Response({
      responseKeyNT: responseKey,
      serverChallenge: vectors.serverChallenge,
      clientChallenge: vectors.clientChallenge,
      timestamp: vectors.timestamp,
      targetInfo: vectors.targetInfo,
    });
    expect(r.ntProofStr.toString('hex')).toBe('68cd0ab851e51c96aabc927bebef6a1c');
    expect(r.sessionBaseKey.toString('hex')).toBe('8de40ccadbc14a82f15cb0ad0de95ca3');
    // The response is NTProofStr followed by the client blob (header, time, challenge, AV pairs).
    expect(r.ntChallengeResponse.subarray(0, 16).equals(r.ntProofStr)).toBe(true);
    expect(r.ntChallengeResponse.subarray(16, 24).toString('hex')).toBe('0101000000000000');
    expect(r.ntChallengeResponse.subarray(32, 40).equals(vectors.clientChallenge)).toBe(true);
    expect(r.ntChallengeResponse.length).toBe(16 + 28 + vectors.targetInfo.length + 4);
  });

  it('encrypted random session key (4.2.4.2.3)', () => {
    const base = hex('8de40ccadbc14a82f15cb0ad0de95ca3');
    expect(encryptSessionKey(keyExchangeKeyV2(base), vectors.randomSessionKey).toString('hex')).toBe('c5dad2544fc9799094ce1ce90bc9d03e');
  });

  it('client-to-server sealing and signing keys (4.2.4.4)', () => {
    expect(sealKey(vectors.randomSessionKey, vectors.flags, 'client-to-server').toString('hex')).toBe('59f600973cc4960a25480a7c196e4c58');
    expect(signKey(vectors.randomSessionKey, 'client-to-server').toString('hex')).toBe('4788dc861b4782f35d43fd98fe1a2d39');
  });

  it('the two directions and key strengths give different keys', () => {
    const k = vectors.randomSessionKey;
    const c2s = sealKey(k, vectors.flags, 'client-to-server');
    expect(sealKey(k, vectors.flags, 'server-to-client').equals(c2s)).toBe(false);
    expect(sealKey(k, NegotiateFlags.NEGOTIATE_56, 'client-to-server').equals(c2s)).toBe(false);
    expect(sealKey(k, 0, 'client-to-server').equals(sealKey(k, NegotiateFlags.NEGOTIATE_56, 'client-to-server'))).toBe(false);
  });
});

describe('fileTime', () => {
  it('counts 100 ns ticks since 1601', () => {
    expect(fileTime(new Date(0)).readBigUInt64LE()).toBe(116444736000000000n);
    expect(fileTime(new Date(Date.UTC(2024, 0, 1))).readBigUInt64LE()).toBe(133485408000000000n);
  });
});
