// NTLM message encoding: the MS-NLMP 4.2.4.3 CHALLENGE decodes and re-encodes byte for byte; every
// message type round-trips; malformed input is an NtlmError, not a crash.
import { describe, expect, it } from 'vitest';
import {
  AvId,
  CLIENT_FLAGS,
  NegotiateFlags,
  NtlmError,
  decodeAuthenticate,
  decodeAvPairs,
  decodeChallenge,
  decodeNegotiate,
  encodeAuthenticate,
  encodeAvPairs,
  encodeChallenge,
  encodeNegotiate,
  findAv,
  ntlmMessageType,
  zeroMic,
  MIC_OFFSET,
} from '../../../../../src/engine/connection/winrm/ntlm/messages.js';

const challenge424 = Buffer.from(
  '4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef' +
    '00000000000000002400240044000000060070170000000f5300650072007600' +
    '6500720002000c0044006f006d00610069006e0001000c005300650072007600' +
    '6500720000000000',
  'hex',
);

describe('CHALLENGE', () => {
  it('decodes the MS-NLMP 4.2.4.3 challenge message', () => {
    const c = decodeChallenge(challenge424);
    expect(c.flags >>> 0).toBe(0xe28a8233);
    expect(c.serverChallenge.toString('hex')).toBe('0123456789abcdef');
    expect(c.targetName).toBe('Server');
    expect(c.targetInfo.map((p) => [p.id, p.value.toString('utf16le')])).toEqual([
      [AvId.NbDomainName, 'Domain'],
      [AvId.NbComputerName, 'Server'],
    ]);
    expect(c.version).toEqual({ major: 6, minor: 0, build: 6000, revision: 15 });
  });

  it('re-encodes it byte for byte', () => {
    expect(encodeChallenge(decodeChallenge(challenge424)).equals(challenge424)).toBe(true);
  });

  it('rejects truncated and foreign messages with a clear error', () => {
    expect(() => decodeChallenge(challenge424.subarray(0, 20))).toThrow(NtlmError);
    expect(() => decodeChallenge(challenge424.subarray(0, 60))).toThrow(/past the end/);
    expect(() => decodeChallenge(Buffer.from('HTTP/1.1 200 OK and some more bytes here'))).toThrow(/bad signature/);
    expect(() => decodeNegotiate(challenge424)).toThrow(/expected NTLM NEGOTIATE message \(type 1\), got type 2/);
    expect(ntlmMessageType(challenge424)).toBe(2);
  });
});

describe('NEGOTIATE and AUTHENTICATE round trips', () => {
  it('NEGOTIATE', () => {
    const bytes = encodeNegotiate({ flags: CLIENT_FLAGS, domain: 'CORP', workstation: 'CTRL01' });
    const m = decodeNegotiate(bytes);
    expect(m.domain).toBe('CORP');
    expect(m.workstation).toBe('CTRL01');
    expect(m.flags & NegotiateFlags.OEM_DOMAIN_SUPPLIED).toBeTruthy();
    expect(m.flags & NegotiateFlags.KEY_EXCH).toBeTruthy();
    expect(m.version?.revision).toBe(15);
  });

  it('AUTHENTICATE with and without MIC', () => {
    const base = {
      flags: CLIENT_FLAGS,
      lmChallengeResponse: Buffer.alloc(24, 1),
      ntChallengeResponse: Buffer.alloc(60, 2),
      domain: 'Dömain',
      user: 'Administrator',
      workstation: 'WS',
      encryptedRandomSessionKey: Buffer.alloc(16, 3),
    };
    const plain = decodeAuthenticate(encodeAuthenticate(base));
    expect(plain).toMatchObject({ user: 'Administrator', domain: 'Dömain', workstation: 'WS' });
    expect(plain.mic).toBeUndefined();
    expect(plain.ntChallengeResponse.equals(base.ntChallengeResponse)).toBe(true);

    const mic = Buffer.alloc(16, 9);
    const bytes = encodeAuthenticate({ ...base, mic });
    const withMic = decodeAuthenticate(bytes);
    expect(withMic.mic?.equals(mic)).toBe(true);
    expect(withMic.encryptedRandomSessionKey.equals(base.encryptedRandomSessionKey)).toBe(true);
    const zeroed = zeroMic(bytes);
    expect(zeroed.subarray(MIC_OFFSET, MIC_OFFSET + 16).equals(Buffer.alloc(16))).toBe(true);
    expect(bytes.subarray(MIC_OFFSET, MIC_OFFSET + 16).equals(mic)).toBe(true);
  });

  it('OEM strings when UNICODE is not negotiated', () => {
    const bytes = encodeAuthenticate({
      flags: NegotiateFlags.NTLM,
      lmChallengeResponse: Buffer.alloc(0),
      ntChallengeResponse: Buffer.alloc(0),
      domain: 'D',
      user: 'u',
      workstation: '',
      encryptedRandomSessionKey: Buffer.alloc(0),
    });
    expect(bytes.includes(Buffer.from('u\0', 'latin1'))).toBe(false);
    expect(decodeAuthenticate(bytes).user).toBe('u');
  });
});

describe('AV pairs', () => {
  it('round-trip and stop at MsvAvEOL', () => {
    const pairs = [
      { id: AvId.NbComputerName, value: Buffer.from('WIN', 'utf16le') },
      { id: AvId.Timestamp, value: Buffer.alloc(8, 7) },
    ];
    const enc = encodeAvPairs(pairs);
    expect(enc.subarray(-4).equals(Buffer.alloc(4))).toBe(true);
    const dec = decodeAvPairs(Buffer.concat([enc, Buffer.from('trailing')]));
    expect(dec).toHaveLength(2);
    expect(findAv(dec, AvId.Timestamp)?.equals(Buffer.alloc(8, 7))).toBe(true);
    expect(() => decodeAvPairs(enc.subarray(0, 6))).toThrow(NtlmError);
  });
});
