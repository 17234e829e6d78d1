// Ed25519 key pairs in OpenSSH format for the lab (client key, one host key per host).
import ssh2 from 'ssh2';

export interface KeyPair {
  /** OpenSSH private key (PEM-armoured "OPENSSH PRIVATE KEY"). */
  private: string;
  /** `ssh-ed25519 AAAA… comment` */
  public: string;
}

/** The public key blob: string "ssh-ed25519" (4 + 11 bytes) + string key (4 + 32 bytes). */
const ED25519_BLOB_LENGTH = 51;

export function generateEd25519(comment: string): KeyPair {
  // ssh2's generator drops leading zero bytes of the public key (about one key in 256), producing a
  // key OpenSSH refuses to load ("error in libcrypto"): draw again until the blob has full length.
  for (;;) {
    const k = ssh2.utils.generateKeyPairSync('ed25519', { comment });
    const blob = Buffer.from(k.public.split(' ')[1] ?? '', 'base64');
    if (blob.length === ED25519_BLOB_LENGTH) return k;
  }
}
