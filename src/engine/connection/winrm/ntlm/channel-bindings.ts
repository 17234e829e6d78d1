// TLS channel binding for NTLM over HTTPS (RFC 5929 tls-server-end-point, MS-NLMP MsvAvChannelBindings):
// the MD5 of a gss_channel_bindings_struct whose application data names the server certificate's hash.
// Windows checks it when Extended Protection is on; it ties the NTLM logon to this TLS connection.
import { createHash } from 'node:crypto';
import { md5 } from './crypto.js';

/** Hash algorithm for tls-server-end-point: the certificate's signature hash, MD5/SHA-1 upgraded to SHA-256. */
export function certificateBindingHash(certDer: Buffer): 'sha256' | 'sha384' | 'sha512' {
  const oid = signatureAlgorithmOid(certDer);
  switch (oid) {
    case '1.2.840.113549.1.1.12': // sha384WithRSAEncryption
    case '1.2.840.10045.4.3.3': // ecdsa-with-SHA384
      return 'sha384';
    case '1.2.840.113549.1.1.13': // sha512WithRSAEncryption
    case '1.2.840.10045.4.3.4': // ecdsa-with-SHA512
      return 'sha512';
    default:
      return 'sha256';
  }
}

/** MsvAvChannelBindings value for a server certificate (DER). */
export function tlsServerEndPointBindings(certDer: Buffer): Buffer {
  const certHash = createHash(certificateBindingHash(certDer)).update(certDer).digest();
  const appData = Buffer.concat([Buffer.from('tls-server-end-point:', 'ascii'), certHash]);
  // initiator addrtype + address length, acceptor addrtype + address length: all zero; then app data.
  const head = Buffer.alloc(20);
  head.writeUInt32LE(appData.length, 16);
  return md5(head, appData);
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm SEQUENCE { OID, ... }, signature }. */
function signatureAlgorithmOid(der: Buffer): string | undefined {
  try {
    const cert = readTlv(der, 0);
    const tbs = readTlv(der, cert.contentStart);
    const alg = readTlv(der, tbs.end);
    const oid = readTlv(der, alg.contentStart);
    if (oid.tag !== 0x06) return undefined;
    return decodeOid(der.subarray(oid.contentStart, oid.end));
  } catch {
    return undefined;
  }
}

function readTlv(buf: Buffer, at: number): { tag: number; contentStart: number; end: number } {
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  if (start + len > buf.length) throw new Error('truncated DER');
  return { tag, contentStart: start, end: start + len };
}

function decodeOid(bytes: Buffer): string {
  const parts: number[] = [Math.floor(bytes[0]! / 40), bytes[0]! % 40];
  let v = 0;
  for (let i = 1; i < bytes.length; i++) {
    v = v * 128 + (bytes[i]! & 0x7f);
    if (!(bytes[i]! & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}
