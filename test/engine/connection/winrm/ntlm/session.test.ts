// Sealing and signing: the MS-NLMP 4.2.4.4 GSS_WrapEx vector, then client↔server round trips with
// the per-direction RC4 streams and sequence numbers.
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { NtlmIntegrityError, NtlmSecurityContext } from '../../../../../src/engine/connection/winrm/ntlm/session.js';
import { NegotiateFlags } from '../../../../../src/engine/connection/winrm/ntlm/flags.js';

const hex = (s: string) => Buffer.from(s, 'hex');
const key = hex('55555555555555555555555555555555');
const flags = 0xe28a8233;
const pair = (k = key, f = flags) => ({
  client: new NtlmSecurityContext({ exportedSessionKey: k, flags: f, role: 'client' }),
  server: new NtlmSecurityContext({ exportedSessionKey: k, flags: f, role: 'server' }),
});

describe('NtlmSecurityContext', () => {
  it('seals "Plaintext" exactly as MS-NLMP 4.2.4.4 shows', () => {
    const { client } = pair();
    const { sealed, signature } = client.seal(Buffer.from('Plaintext', 'utf16le'));
    expect(sealed.toString('hex')).toBe('54e50165bf1936dc996020c1811b0f06fb5f');
    expect(signature.toString('hex')).toBe('010000007fb38ec5c55d497600000000');
  });

  it('the server unseals what the client sealed, across many messages both ways', () => {
    const { client, server } = pair(randomBytes(16));
    for (let i = 0; i < 20; i++) {
      const up = randomBytes(1 + i * 37);
      const a = client.seal(up);
      expect(a.signature.readUInt32LE(12)).toBe(i);
      expect(server.unseal(a.sealed, a.signature).equals(up)).toBe(true);
      const down = Buffer.from(`reply ${i} ✓`);
      const b = server.seal(down);
      expect(client.unseal(b.sealed, b.signature).equals(down)).toBe(true);
    }
  });

  it('rejects a tampered message, a tampered signature and a replay', () => {
    const { client, server } = pair(randomBytes(16));
    const m = client.seal(Buffer.from('<Envelope/>'));
    const bad = Buffer.from(m.sealed);
    bad[3] = bad[3]! ^ 1;
    expect(() => server.unseal(bad, m.signature)).toThrow(NtlmIntegrityError);

    const p2 = pair(randomBytes(16));
    const m2 = p2.client.seal(Buffer.from('one'));
    const sig = Buffer.from(m2.signature);
    sig[12] = 5; // wrong sequence number
    expect(() => p2.server.unseal(m2.sealed, sig)).toThrow(/does not match/);

    const p3 = pair(randomBytes(16));
    const first = p3.client.seal(Buffer.from('once'));
    p3.server.unseal(first.sealed, first.signature);
    expect(() => p3.server.unseal(first.sealed, first.signature)).toThrow(NtlmIntegrityError);
  });

  it('a context with another key cannot read the message', () => {
    const a = pair(randomBytes(16));
    const b = pair(randomBytes(16));
    const m = a.client.seal(Buffer.from('secret'));
    expect(() => b.server.unseal(m.sealed, m.signature)).toThrow(NtlmIntegrityError);
  });

  it('sign/verify without sealing', () => {
    const { client, server } = pair(randomBytes(16));
    const msg = Buffer.from('clear text');
    const sig = client.sign(msg);
    expect(() => server.verify(msg, sig)).not.toThrow();
    expect(() => server.verify(Buffer.from('clear texT'), client.sign(msg))).toThrow(NtlmIntegrityError);
  });

  it('refuses contexts without extended session security, and sealing when not negotiated', () => {
    expect(() => new NtlmSecurityContext({ exportedSessionKey: key, flags: NegotiateFlags.SEAL, role: 'client' })).toThrow(/extended session security/);
    const signOnly = new NtlmSecurityContext({ exportedSessionKey: key, flags: NegotiateFlags.EXTENDED_SESSIONSECURITY | NegotiateFlags.SIGN, role: 'client' });
    expect(() => signOnly.seal(Buffer.from('x'))).toThrow(/sealing was not negotiated/);
    expect(() => new NtlmSecurityContext({ exportedSessionKey: Buffer.alloc(5), flags, role: 'client' })).toThrow(/16 bytes/);
  });
});
