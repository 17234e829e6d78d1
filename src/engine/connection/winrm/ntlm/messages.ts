// The three NTLM messages (MS-NLMP 2.2.1), both directions: the client encodes NEGOTIATE and
// AUTHENTICATE and decodes CHALLENGE; the lab's server does the opposite. Decoders validate every
// offset so a hostile or truncated message gives an NtlmError, never an out-of-range read.
import { AvId, NegotiateFlags, hasFlag } from './flags.js';

export { AvId, NegotiateFlags, CLIENT_FLAGS, AV_FLAG_MIC_PRESENT, hasFlag } from './flags.js';

const SIGNATURE = Buffer.from('NTLMSSP\0', 'ascii');
/** Byte offset of the MIC in an AUTHENTICATE message that carries a Version. */
export const MIC_OFFSET = 72;
const AUTH_HEADER_WITH_MIC = 88;

export class NtlmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NtlmError';
  }
}

export interface NtlmVersion {
  major: number;
  minor: number;
  build: number;
  /** NTLMSSP_REVISION_W2K3 = 15. */
  revision: number;
}

/** Windows 10 / Server 2016+ family build, revision 15: what current Windows peers announce. */
export const DEFAULT_VERSION: NtlmVersion = { major: 10, minor: 0, build: 17763, revision: 15 };

export interface AvPair {
  id: number;
  value: Buffer;
}

export interface NegotiateMessage {
  flags: number;
  domain?: string;
  workstation?: string;
  version?: NtlmVersion;
}

export interface ChallengeMessage {
  flags: number;
  serverChallenge: Buffer;
  targetName: string;
  targetInfo: AvPair[];
  version?: NtlmVersion;
}

export interface AuthenticateMessage {
  flags: number;
  lmChallengeResponse: Buffer;
  ntChallengeResponse: Buffer;
  domain: string;
  user: string;
  workstation: string;
  encryptedRandomSessionKey: Buffer;
  version?: NtlmVersion;
  /** 16 bytes when the message carries a MIC (placed at MIC_OFFSET). */
  mic?: Buffer;
}

// ---- AV pairs ----

export function encodeAvPairs(pairs: readonly AvPair[]): Buffer {
  const parts: Buffer[] = [];
  for (const p of pairs) {
    if (p.id === AvId.EOL) continue;
    const head = Buffer.alloc(4);
    head.writeUInt16LE(p.id, 0);
    head.writeUInt16LE(p.value.length, 2);
    parts.push(head, p.value);
  }
  parts.push(Buffer.alloc(4));
  return Buffer.concat(parts);
}

/** The pairs before MsvAvEOL (EOL itself is not returned). */
export function decodeAvPairs(buf: Buffer): AvPair[] {
  const pairs: AvPair[] = [];
  let off = 0;
  while (off + 4 <= buf.length) {
    const id = buf.readUInt16LE(off);
    const len = buf.readUInt16LE(off + 2);
    if (id === AvId.EOL) return pairs;
    if (off + 4 + len > buf.length) throw new NtlmError('NTLM target info: AV_PAIR runs past the end');
    pairs.push({ id, value: Buffer.from(buf.subarray(off + 4, off + 4 + len)) });
    off += 4 + len;
  }
  throw new NtlmError('NTLM target info: missing MsvAvEOL terminator');
}

export function findAv(pairs: readonly AvPair[], id: number): Buffer | undefined {
  return pairs.find((p) => p.id === id)?.value;
}

// ---- shared field helpers ----

function encodeVersion(v: NtlmVersion | undefined): Buffer {
  const b = Buffer.alloc(8);
  if (!v) return b;
  b.writeUInt8(v.major, 0);
  b.writeUInt8(v.minor, 1);
  b.writeUInt16LE(v.build, 2);
  b.writeUInt8(v.revision, 7);
  return b;
}

function decodeVersion(buf: Buffer, off: number): NtlmVersion {
  return { major: buf.readUInt8(off), minor: buf.readUInt8(off + 1), build: buf.readUInt16LE(off + 2), revision: buf.readUInt8(off + 7) };
}

function encodeString(s: string | undefined, unicode: boolean): Buffer {
  if (!s) return Buffer.alloc(0);
  return Buffer.from(s, unicode ? 'utf16le' : 'latin1');
}

/** Lays out a fixed header followed by the payloads, writing each (len, maxLen, offset) field. */
function assemble(header: Buffer, fields: Array<{ at: number; data: Buffer }>): Buffer {
  let offset = header.length;
  for (const f of fields) {
    header.writeUInt16LE(f.data.length, f.at);
    header.writeUInt16LE(f.data.length, f.at + 2);
    header.writeUInt32LE(offset, f.at + 4);
    offset += f.data.length;
  }
  return Buffer.concat([header, ...fields.map((f) => f.data)]);
}

function readField(buf: Buffer, at: number, what: string): { data: Buffer; offset: number } {
  const len = buf.readUInt16LE(at);
  const offset = buf.readUInt32LE(at + 4);
  if (len === 0) return { data: Buffer.alloc(0), offset };
  if (offset + len > buf.length) throw new NtlmError(`NTLM message: ${what} field points past the end of the message`);
  return { data: Buffer.from(buf.subarray(offset, offset + len)), offset };
}

function checkHeader(buf: Buffer, type: number, minLength: number, name: string): void {
  if (buf.length < minLength) throw new NtlmError(`NTLM ${name} message too short (${buf.length} bytes)`);
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new NtlmError(`not an NTLM message (bad signature) where ${name} was expected`);
  const actual = buf.readUInt32LE(8);
  if (actual !== type) throw new NtlmError(`expected NTLM ${name} message (type ${type}), got type ${actual}`);
}

function startHeader(size: number, type: number): Buffer {
  const h = Buffer.alloc(size);
  SIGNATURE.copy(h, 0);
  h.writeUInt32LE(type, 8);
  return h;
}

/** Reads the type of an NTLM message (1, 2 or 3), or throws when it is not one. */
export function ntlmMessageType(buf: Buffer): number {
  if (buf.length < 12 || !buf.subarray(0, 8).equals(SIGNATURE)) throw new NtlmError('not an NTLM message');
  return buf.readUInt32LE(8);
}

// ---- NEGOTIATE (type 1) ----

export function encodeNegotiate(m: NegotiateMessage): Buffer {
  const h = startHeader(40, 1);
  let flags = m.flags >>> 0;
  if (m.domain) flags |= NegotiateFlags.OEM_DOMAIN_SUPPLIED;
  if (m.workstation) flags |= NegotiateFlags.OEM_WORKSTATION_SUPPLIED;
  h.writeUInt32LE(flags >>> 0, 12);
  encodeVersion(hasFlag(flags, NegotiateFlags.VERSION) ? (m.version ?? DEFAULT_VERSION) : undefined).copy(h, 32);
  // The domain and workstation of a NEGOTIATE message are always OEM strings.
  return assemble(h, [
    { at: 16, data: encodeString(m.domain, false) },
    { at: 24, data: encodeString(m.workstation, false) },
  ]);
}

export function decodeNegotiate(buf: Buffer): NegotiateMessage {
  checkHeader(buf, 1, 16, 'NEGOTIATE');
  const flags = buf.readUInt32LE(12);
  const m: NegotiateMessage = { flags };
  if (buf.length >= 32) {
    const domain = readField(buf, 16, 'DomainName').data;
    const ws = readField(buf, 24, 'Workstation').data;
    if (domain.length) m.domain = domain.toString('latin1');
    if (ws.length) m.workstation = ws.toString('latin1');
  }
  if (buf.length >= 40 && hasFlag(flags, NegotiateFlags.VERSION)) m.version = decodeVersion(buf, 32);
  return m;
}

// ---- CHALLENGE (type 2) ----

export function encodeChallenge(m: ChallengeMessage): Buffer {
  if (m.serverChallenge.length !== 8) throw new NtlmError('NTLM server challenge must be 8 bytes');
  const h = startHeader(56, 2);
  const flags = m.flags >>> 0;
  h.writeUInt32LE(flags, 20);
  m.serverChallenge.copy(h, 24);
  encodeVersion(hasFlag(flags, NegotiateFlags.VERSION) ? (m.version ?? DEFAULT_VERSION) : undefined).copy(h, 48);
  const unicode = hasFlag(flags, NegotiateFlags.UNICODE);
  return assemble(h, [
    { at: 12, data: encodeString(m.targetName, unicode) },
    { at: 40, data: encodeAvPairs(m.targetInfo) },
  ]);
}

export function decodeChallenge(buf: Buffer): ChallengeMessage {
  checkHeader(buf, 2, 32, 'CHALLENGE');
  const flags = buf.readUInt32LE(20);
  const unicode = hasFlag(flags, NegotiateFlags.UNICODE);
  const m: ChallengeMessage = {
    flags,
    serverChallenge: Buffer.from(buf.subarray(24, 32)),
    targetName: readField(buf, 12, 'TargetName').data.toString(unicode ? 'utf16le' : 'latin1'),
    targetInfo: [],
  };
  if (buf.length >= 48) {
    const info = readField(buf, 40, 'TargetInfo').data;
    if (info.length) m.targetInfo = decodeAvPairs(info);
  }
  if (buf.length >= 56 && hasFlag(flags, NegotiateFlags.VERSION)) m.version = decodeVersion(buf, 48);
  return m;
}

// ---- AUTHENTICATE (type 3) ----

/** Encodes with the MIC given (or 16 zero bytes when `mic` is absent but `withMic` is set). */
export function encodeAuthenticate(m: AuthenticateMessage, opts: { withMic?: boolean } = {}): Buffer {
  const withMic = opts.withMic ?? m.mic !== undefined;
  const h = startHeader(withMic ? AUTH_HEADER_WITH_MIC : MIC_OFFSET, 3);
  const flags = m.flags >>> 0;
  const unicode = hasFlag(flags, NegotiateFlags.UNICODE);
  h.writeUInt32LE(flags, 60);
  encodeVersion(hasFlag(flags, NegotiateFlags.VERSION) ? (m.version ?? DEFAULT_VERSION) : undefined).copy(h, 64);
  if (withMic) (m.mic ?? Buffer.alloc(16)).copy(h, MIC_OFFSET);
  return assemble(h, [
    { at: 28, data: encodeString(m.domain, unicode) },
    { at: 36, data: encodeString(m.user, unicode) },
    { at: 44, data: encodeString(m.workstation, unicode) },
    { at: 12, data: m.lmChallengeResponse },
    { at: 20, data: m.ntChallengeResponse },
    { at: 52, data: m.encryptedRandomSessionKey },
  ]);
}

export function decodeAuthenticate(buf: Buffer): AuthenticateMessage {
  checkHeader(buf, 3, 64, 'AUTHENTICATE');
  const flags = buf.readUInt32LE(60);
  const unicode = hasFlag(flags, NegotiateFlags.UNICODE);
  const enc = unicode ? 'utf16le' : 'latin1';
  const lm = readField(buf, 12, 'LmChallengeResponse');
  const nt = readField(buf, 20, 'NtChallengeResponse');
  const domain = readField(buf, 28, 'DomainName');
  const user = readField(buf, 36, 'UserName');
  const ws = readField(buf, 44, 'Workstation');
  const key = readField(buf, 52, 'EncryptedRandomSessionKey');
  const m: AuthenticateMessage = {
    flags,
    lmChallengeResponse: lm.data,
    ntChallengeResponse: nt.data,
    domain: domain.data.toString(enc),
    user: user.data.toString(enc),
    workstation: ws.data.toString(enc),
    encryptedRandomSessionKey: key.data,
  };
  // The header's true length is only known from where the payloads start.
  const firstPayload = Math.min(...[lm, nt, domain, user, ws, key].filter((f) => f.data.length > 0).map((f) => f.offset), buf.length);
  if (firstPayload >= MIC_OFFSET && hasFlag(flags, NegotiateFlags.VERSION)) m.version = decodeVersion(buf, 64);
  if (firstPayload >= AUTH_HEADER_WITH_MIC) m.mic = Buffer.from(buf.subarray(MIC_OFFSET, AUTH_HEADER_WITH_MIC));
  return m;
}

/** A copy of an encoded AUTHENTICATE message with its MIC zeroed, as the MIC is computed over. */
export function zeroMic(authenticate: Buffer): Buffer {
  const copy = Buffer.from(authenticate);
  copy.fill(0, MIC_OFFSET, AUTH_HEADER_WITH_MIC);
  return copy;
}
