// NTLM message integrity and confidentiality after authentication (MS-NLMP 3.4.3, 3.4.4 with
// extended session security). Each direction has its own signing key, RC4 sealing stream and sequence
// number; the stream runs across every message of the connection, so seal/unseal calls must happen in
// exactly the order the messages travel.
import { Rc4, hmacMd5, sealKey, signKey, type Direction, type NtlmRole } from './crypto.js';
import { NegotiateFlags, hasFlag } from './flags.js';

export const SIGNATURE_LENGTH = 16;

export class NtlmIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NtlmIntegrityError';
  }
}

export interface NtlmSecurityContextOptions {
  exportedSessionKey: Uint8Array;
  /** The negotiated flags (those of the AUTHENTICATE message). */
  flags: number;
  role: NtlmRole;
}

class DirectionState {
  readonly signingKey: Buffer;
  readonly handle: Rc4;
  seq = 0;
  constructor(key: Uint8Array, flags: number, direction: Direction) {
    this.signingKey = signKey(key, direction);
    this.handle = new Rc4(sealKey(key, flags, direction));
  }
}

export class NtlmSecurityContext {
  readonly flags: number;
  readonly role: NtlmRole;
  private readonly out: DirectionState;
  private readonly in: DirectionState;
  private readonly keyExchange: boolean;

  constructor(opts: NtlmSecurityContextOptions) {
    if (opts.exportedSessionKey.length !== 16) throw new Error('NTLM exported session key must be 16 bytes');
    if (!hasFlag(opts.flags, NegotiateFlags.EXTENDED_SESSIONSECURITY)) {
      throw new Error('NTLM without extended session security is not supported (NTLMv2 requires it)');
    }
    this.flags = opts.flags >>> 0;
    this.role = opts.role;
    this.keyExchange = hasFlag(this.flags, NegotiateFlags.KEY_EXCH);
    const c2s = new DirectionState(opts.exportedSessionKey, this.flags, 'client-to-server');
    const s2c = new DirectionState(opts.exportedSessionKey, this.flags, 'server-to-client');
    this.out = opts.role === 'client' ? c2s : s2c;
    this.in = opts.role === 'client' ? s2c : c2s;
  }

  /** Encrypts and signs an outgoing message. */
  seal(message: Uint8Array): { signature: Buffer; sealed: Buffer } {
    this.requireSeal();
    const sealed = this.out.handle.update(message);
    return { signature: this.mac(this.out, message), sealed };
  }

  /** Decrypts an incoming message and verifies its signature; throws NtlmIntegrityError on mismatch. */
  unseal(sealed: Uint8Array, signature: Uint8Array): Buffer {
    this.requireSeal();
    const message = this.in.handle.update(sealed);
    this.check(signature, this.mac(this.in, message));
    return message;
  }

  /** Signature for an outgoing message sent in clear. */
  sign(message: Uint8Array): Buffer {
    return this.mac(this.out, message);
  }

  verify(message: Uint8Array, signature: Uint8Array): void {
    this.check(signature, this.mac(this.in, message));
  }

  private requireSeal(): void {
    if (!hasFlag(this.flags, NegotiateFlags.SEAL)) throw new Error('NTLM sealing was not negotiated');
  }

  private check(actual: Uint8Array, expected: Buffer): void {
    if (actual.length !== SIGNATURE_LENGTH || !expected.equals(actual)) {
      throw new NtlmIntegrityError('NTLM message signature does not match: the message was altered, replayed or sealed with another key');
    }
  }

  /** NTLMSSP_MESSAGE_SIGNATURE with extended session security: version 1, checksum, sequence number. */
  private mac(dir: DirectionState, message: Uint8Array): Buffer {
    const seq = Buffer.alloc(4);
    seq.writeUInt32LE(dir.seq >>> 0);
    dir.seq++;
    let checksum: Buffer = hmacMd5(dir.signingKey, seq, message).subarray(0, 8);
    if (this.keyExchange) checksum = dir.handle.update(checksum);
    const sig = Buffer.alloc(SIGNATURE_LENGTH);
    sig.writeUInt32LE(1, 0);
    checksum.copy(sig, 4);
    seq.copy(sig, 12);
    return sig;
  }
}
