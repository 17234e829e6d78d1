// The multipart/encrypted framing: exact layout, round trip, multi-part bodies, tampering.
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { ENCRYPTED_CONTENT_TYPE, EncryptionFramingError, decryptBody, encryptBody, isEncryptedContentType } from '../../../../src/engine/connection/winrm/encryption.js';
import { NtlmIntegrityError, NtlmSecurityContext } from '../../../../src/engine/connection/winrm/ntlm/session.js';

const flags = 0xe28a8233;
function pair() {
  const k = randomBytes(16);
  return {
    client: new NtlmSecurityContext({ exportedSessionKey: k, flags, role: 'client' }),
    server: new NtlmSecurityContext({ exportedSessionKey: k, flags, role: 'server' }),
  };
}

describe('encrypted WinRM message framing', () => {
  it('has the layout Windows and pywinrm use', () => {
    const { client } = pair();
    const soap = '<s:Envelope>ü</s:Envelope>';
    const body = encryptBody(client, soap);
    const text = body.toString('latin1');
    expect(text.startsWith(
      '--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n' +
        `\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=${Buffer.byteLength(soap)}\r\n` +
        '--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n',
    )).toBe(true);
    expect(text.endsWith('--Encrypted Boundary--\r\n')).toBe(true);
    const head = text.indexOf('octet-stream\r\n') + 'octet-stream\r\n'.length;
    expect(body.readUInt32LE(head)).toBe(16);
    expect(body.length).toBe(head + 4 + 16 + Buffer.byteLength(soap) + '--Encrypted Boundary--\r\n'.length);
    expect(isEncryptedContentType(ENCRYPTED_CONTENT_TYPE)).toBe(true);
    expect(isEncryptedContentType('application/soap+xml;charset=UTF-8')).toBe(false);
  });

  it('round-trips many messages in both directions, including boundary-like payload bytes', () => {
    const { client, server } = pair();
    for (let i = 0; i < 10; i++) {
      const msg = Buffer.concat([randomBytes(i * 1000), Buffer.from('--Encrypted Boundary\r\n--Encrypted Boundary--\r\n')]);
      expect(decryptBody(server, encryptBody(client, msg), ENCRYPTED_CONTENT_TYPE).equals(msg)).toBe(true);
      const reply = Buffer.from(`reply ${i}`);
      expect(decryptBody(client, encryptBody(server, reply), ENCRYPTED_CONTENT_TYPE).equals(reply)).toBe(true);
    }
  });

  it('concatenates several part pairs and tolerates a line break before the closing delimiter', () => {
    const { client, server } = pair();
    const a = encryptBody(client, 'first-');
    const b = encryptBody(client, 'second');
    const closing = Buffer.from('--Encrypted Boundary--\r\n');
    const joined = Buffer.concat([a.subarray(0, a.length - closing.length), b.subarray(0, b.length - closing.length), Buffer.from('\r\n'), closing]);
    expect(decryptBody(server, joined, ENCRYPTED_CONTENT_TYPE).toString()).toBe('first-second');
  });

  it('reports tampering, truncation and wrong content types', () => {
    const p1 = pair();
    const body = encryptBody(p1.client, '<x/>');
    body[body.length - 30] = body[body.length - 30]! ^ 1;
    expect(() => decryptBody(p1.server, body, ENCRYPTED_CONTENT_TYPE)).toThrow(NtlmIntegrityError);
    const p2 = pair();
    const b2 = encryptBody(p2.client, '<a-longer-envelope/>');
    expect(() => decryptBody(p2.server, b2.subarray(0, b2.length - 40), ENCRYPTED_CONTENT_TYPE)).toThrow(/announced length/);
    expect(() => decryptBody(p2.server, Buffer.from('<plain/>'), 'application/soap+xml')).toThrow(EncryptionFramingError);
    expect(() => decryptBody(p2.server, Buffer.from('garbage'), ENCRYPTED_CONTENT_TYPE)).toThrow(/expected '--Encrypted Boundary'/);
  });
});
