// HTTP framing of NTLM-sealed WinRM messages (MS-WSMV 2.2.9.1): a multipart/encrypted body whose
// first part names the original content type and length, and whose second part holds a 4-byte
// little-endian signature length, the signature and the sealed SOAP envelope. Used by the client
// and by the lab's server; both directions use the same layout.
import type { NtlmSecurityContext } from './ntlm/session.js';

export const ENCRYPTED_PROTOCOL = 'application/HTTP-SPNEGO-session-encrypted';
export const ENCRYPTED_BOUNDARY = 'Encrypted Boundary';
export const ENCRYPTED_CONTENT_TYPE = `multipart/encrypted;protocol="${ENCRYPTED_PROTOCOL}";boundary="${ENCRYPTED_BOUNDARY}"`;
export const SOAP_CONTENT_TYPE = 'application/soap+xml;charset=UTF-8';

export class EncryptionFramingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncryptionFramingError';
  }
}

export function isEncryptedContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const ct = contentType.toLowerCase();
  return ct.startsWith('multipart/encrypted') && ct.includes(ENCRYPTED_PROTOCOL.toLowerCase());
}

/** Seals `soap` and frames it; the result is the HTTP body to send with ENCRYPTED_CONTENT_TYPE. */
export function encryptBody(ctx: NtlmSecurityContext, soap: string | Buffer): Buffer {
  const plain = typeof soap === 'string' ? Buffer.from(soap, 'utf8') : soap;
  const { signature, sealed } = ctx.seal(plain);
  const sigLen = Buffer.alloc(4);
  sigLen.writeUInt32LE(signature.length);
  const b = `--${ENCRYPTED_BOUNDARY}\r\n`;
  return Buffer.concat([
    Buffer.from(
      `${b}\tContent-Type: ${ENCRYPTED_PROTOCOL}\r\n` +
        `\tOriginalContent: type=${SOAP_CONTENT_TYPE};Length=${plain.length}\r\n` +
        `${b}\tContent-Type: application/octet-stream\r\n`,
      'ascii',
    ),
    sigLen,
    signature,
    sealed,
    Buffer.from(`--${ENCRYPTED_BOUNDARY}--\r\n`, 'ascii'),
  ]);
}

/**
 * Unframes and unseals a body. The sealed part is read by the announced length (RC4 keeps lengths),
 * not by searching for the boundary, so payload bytes that happen to look like a boundary are safe.
 * Several part pairs (as some servers send for large messages) are concatenated in order.
 */
export function decryptBody(ctx: NtlmSecurityContext, body: Buffer, contentType: string): Buffer {
  if (!isEncryptedContentType(contentType)) {
    throw new EncryptionFramingError(`expected an encrypted WinRM message, got content type '${contentType}'`);
  }
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1] ?? ENCRYPTED_BOUNDARY;
  const open = Buffer.from(`--${boundary}`, 'ascii');
  const out: Buffer[] = [];
  let pos = 0;
  for (;;) {
    // Tolerate a line break between the sealed bytes and the next delimiter.
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a && body.subarray(pos + 2, pos + 2 + open.length).equals(open)) pos += 2;
    pos = expect(body, pos, open);
    if (body.subarray(pos, pos + 2).toString('ascii') === '--') break; // closing delimiter
    pos = skipCrlf(body, pos);
    const nextBoundary = body.indexOf(open, pos);
    if (nextBoundary < 0) throw new EncryptionFramingError('encrypted WinRM message: missing data part');
    const header = body.subarray(pos, nextBoundary).toString('latin1');
    const length = /Length=(\d+)/i.exec(header)?.[1];
    if (length === undefined) throw new EncryptionFramingError('encrypted WinRM message: OriginalContent has no Length');
    pos = skipCrlf(body, nextBoundary + open.length);
    const lineEnd = body.indexOf('\r\n', pos, 'ascii');
    if (lineEnd < 0) throw new EncryptionFramingError('encrypted WinRM message: data part has no header line');
    pos = lineEnd + 2;
    if (pos + 4 > body.length) throw new EncryptionFramingError('encrypted WinRM message: truncated signature length');
    const sigLen = body.readUInt32LE(pos);
    pos += 4;
    const dataLen = Number(length);
    if (pos + sigLen + dataLen > body.length) {
      throw new EncryptionFramingError('encrypted WinRM message: shorter than its announced length (truncated or tampered)');
    }
    const signature = body.subarray(pos, pos + sigLen);
    pos += sigLen;
    const sealed = body.subarray(pos, pos + dataLen);
    pos += dataLen;
    out.push(ctx.unseal(sealed, signature));
  }
  if (out.length === 0) throw new EncryptionFramingError('encrypted WinRM message has no parts');
  return out.length === 1 ? out[0]! : Buffer.concat(out);
}

function expect(body: Buffer, pos: number, what: Buffer): number {
  if (!body.subarray(pos, pos + what.length).equals(what)) {
    throw new EncryptionFramingError(`encrypted WinRM message: expected '${what.toString('latin1')}' at byte ${pos}`);
  }
  return pos + what.length;
}

function skipCrlf(body: Buffer, pos: number): number {
  if (body[pos] === 0x0d && body[pos + 1] === 0x0a) return pos + 2;
  throw new EncryptionFramingError(`encrypted WinRM message: expected a line break at byte ${pos}`);
}
