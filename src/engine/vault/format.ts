// Ansible Vault 1.1 / 1.2 envelopes (AES256 only, the one cipher ansible-vault writes).
// Layout: a header line `$ANSIBLE_VAULT;1.1;AES256` (1.2 adds `;label`), then the hex of
// "hex(salt)\nhex(hmac)\nhex(ciphertext)" wrapped at 80 columns. The keys come from
// PBKDF2-SHA256(password, salt, 10000) → 80 bytes: AES-256-CTR key, HMAC-SHA256 key, counter IV.
// Everything cryptographic is node:crypto; this file only arranges bytes as ansible-vault does.
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export const VAULT_MARKER = '$ANSIBLE_VAULT';
const ITERATIONS = 10000;
const BLOCK = 16;
const WRAP = 80;

/** A vault that could not be opened: malformed, or no password fits. `source` names the file. */
export class VaultError extends Error {
  constructor(message: string, readonly source?: string) {
    super(source === undefined ? message : `${source}: ${message}`);
    this.name = 'VaultError';
  }
}

export interface VaultEnvelope {
  version: '1.1' | '1.2';
  cipher: 'AES256';
  /** Only 1.2 envelopes carry a vault id label. */
  label?: string;
  salt: Buffer;
  hmac: Buffer;
  ciphertext: Buffer;
}

export function isVaulted(text: string | Buffer): boolean {
  const head = typeof text === 'string' ? text.trimStart().slice(0, VAULT_MARKER.length) : text.subarray(0, 64).toString('latin1').trimStart();
  return head.startsWith(VAULT_MARKER);
}

interface Keys { key1: Buffer; key2: Buffer; iv: Buffer }

function deriveKeys(password: Buffer, salt: Buffer): Keys {
  const bytes = pbkdf2Sync(password, salt, ITERATIONS, 2 * 32 + BLOCK, 'sha256');
  return { key1: bytes.subarray(0, 32), key2: bytes.subarray(32, 64), iv: bytes.subarray(64) };
}

function toBuffer(v: string | Buffer): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}

function pad(data: Buffer): Buffer {
  const n = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

function unpad(data: Buffer): Buffer | undefined {
  const n = data.length === 0 ? 0 : data[data.length - 1]!;
  if (n < 1 || n > BLOCK || n > data.length) return undefined;
  for (let i = data.length - n; i < data.length; i++) if (data[i] !== n) return undefined;
  return data.subarray(0, data.length - n);
}

export interface EncryptOptions {
  /** A vault id label: writes a 1.2 envelope. Without it, 1.1 as ansible-vault does for `default`. */
  label?: string;
  /** Fixed salt, for tests only; a fresh random 32-byte salt otherwise. */
  salt?: Buffer;
}

/** Encrypts `plaintext` with `password`; returns the envelope text ending in a newline. */
export function encryptVault(plaintext: string | Buffer, password: string | Buffer, opts: EncryptOptions = {}): string {
  const salt = opts.salt ?? randomBytes(32);
  const { key1, key2, iv } = deriveKeys(toBuffer(password), salt);
  const cipher = createCipheriv('aes-256-ctr', key1, iv);
  const ciphertext = Buffer.concat([cipher.update(pad(toBuffer(plaintext))), cipher.final()]);
  const hmac = createHmac('sha256', key2).update(ciphertext).digest();
  const label = opts.label !== undefined && opts.label !== 'default' ? opts.label : undefined;
  if (label !== undefined && /[;\s]/.test(label)) throw new VaultError(`vault id '${label}' may not contain ';' or whitespace`);
  const header = label === undefined ? `${VAULT_MARKER};1.1;AES256` : `${VAULT_MARKER};1.2;AES256;${label}`;
  const inner = `${salt.toString('hex')}\n${hmac.toString('hex')}\n${ciphertext.toString('hex')}`;
  const outer = Buffer.from(inner, 'latin1').toString('hex');
  const lines = [header];
  for (let i = 0; i < outer.length; i += WRAP) lines.push(outer.slice(i, i + WRAP));
  return lines.join('\n') + '\n';
}

const HEX = /^[0-9a-fA-F]*$/;

function unhex(s: string, what: string, source?: string): Buffer {
  if (s.length % 2 !== 0 || !HEX.test(s)) throw new VaultError(`malformed vault data (${what} is not hex)`, source);
  return Buffer.from(s, 'hex');
}

/** Splits an envelope into its parts without any password. */
export function parseVault(text: string, source?: string): VaultEnvelope {
  const lines = text.trim().split(/\r?\n/).map((l) => l.trim());
  const fields = (lines[0] ?? '').split(';').map((f) => f.trim());
  if (fields[0] !== VAULT_MARKER) throw new VaultError(`not a vault: the first line must start with ${VAULT_MARKER}`, source);
  const version = fields[1];
  if (version !== '1.1' && version !== '1.2') throw new VaultError(`unsupported vault format version '${version ?? ''}' (1.1 and 1.2 are supported)`, source);
  if (fields[2] !== 'AES256') throw new VaultError(`unsupported vault cipher '${fields[2] ?? ''}' (only AES256 is supported)`, source);
  const label = version === '1.2' ? fields[3] : undefined;
  const inner = unhex(lines.slice(1).join(''), 'body', source).toString('latin1').split('\n');
  if (inner.length !== 3) throw new VaultError('malformed vault data (expected salt, hmac and ciphertext)', source);
  const [salt, hmac, ciphertext] = inner.map((part, i) => unhex(part, ['salt', 'hmac', 'ciphertext'][i]!, source)) as [Buffer, Buffer, Buffer];
  if (ciphertext.length === 0 || ciphertext.length % BLOCK !== 0) throw new VaultError('malformed vault data (ciphertext length)', source);
  return { version, cipher: 'AES256', ...(label !== undefined && label !== '' ? { label } : {}), salt, hmac, ciphertext };
}

/** Decrypts with one password; undefined when the HMAC does not match (wrong password). */
export function tryDecrypt(env: VaultEnvelope, password: string | Buffer): Buffer | undefined {
  const { key1, key2, iv } = deriveKeys(toBuffer(password), env.salt);
  const mac = createHmac('sha256', key2).update(env.ciphertext).digest();
  if (mac.length !== env.hmac.length || !timingSafeEqual(mac, env.hmac)) return undefined;
  const decipher = createDecipheriv('aes-256-ctr', key1, iv);
  return unpad(Buffer.concat([decipher.update(env.ciphertext), decipher.final()]));
}

export interface VaultSecret {
  /** The vault id (`default` when none was given). */
  label: string;
  password: Buffer;
}

/**
 * Opens an envelope with the first secret that fits, trying a secret whose label matches the
 * envelope's first (as ansible does), then every other. Throws one VaultError naming `source`.
 */
export function decryptVault(text: string, secrets: readonly VaultSecret[], source?: string): Buffer {
  const env = parseVault(text, source);
  if (secrets.length === 0) throw new VaultError('encrypted with Ansible Vault, but no vault password was given (use --vault-password-file, --vault-id or --ask-vault-pass)', source);
  const ordered = [...secrets.filter((s) => s.label === env.label), ...secrets.filter((s) => s.label !== env.label)];
  for (const s of ordered) {
    const plain = tryDecrypt(env, s.password);
    if (plain !== undefined) return plain;
  }
  const ids = [...new Set(secrets.map((s) => s.label))].join(', ');
  throw new VaultError(`decryption failed: no vault password fits (tried vault ids: ${ids})`, source);
}
