// The client half of the NTLM handshake: NEGOTIATE out, CHALLENGE in, AUTHENTICATE out (with MIC
// when the server sends a timestamp, as Windows does), yielding the security context for sealing.
import { randomBytes } from 'node:crypto';
import {
  computeLmv2Response,
  computeMic,
  computeNtlmv2Response,
  encryptSessionKey,
  fileTime,
  keyExchangeKeyV2,
  newExportedSessionKey,
  ntowfv2,
  utf16le,
} from './crypto.js';
import { AV_FLAG_MIC_PRESENT, AvId, CLIENT_FLAGS, NegotiateFlags, hasFlag } from './flags.js';
import {
  MIC_OFFSET,
  NtlmError,
  decodeChallenge,
  encodeAuthenticate,
  encodeAvPairs,
  encodeNegotiate,
  findAv,
  type AvPair,
} from './messages.js';
import { NtlmSecurityContext } from './session.js';

export interface NtlmCredentials {
  /** `user`, `DOMAIN\user` or `user@domain.fqdn` (a UPN goes as the user name with an empty domain). */
  user: string;
  password: string;
  workstation?: string;
}

export interface NtlmClientOptions {
  /** MD5 of the gss_channel_bindings_struct (see channel-bindings.ts); HTTPS only. */
  channelBindings?: Buffer;
  /** SPN sent as MsvAvTargetName, e.g. `HTTP/host`. */
  targetName?: string;
  /** Fixed randomness for tests; real use leaves these unset. */
  clientChallenge?: Buffer;
  exportedSessionKey?: Buffer;
}

export interface NtlmAuthenticateResult {
  message: Buffer;
  context: NtlmSecurityContext;
  flags: number;
}

/** Splits `DOMAIN\user`; anything else is a user name with an empty domain. */
export function splitUser(user: string): { user: string; domain: string } {
  const i = user.indexOf('\\');
  return i >= 0 ? { domain: user.slice(0, i), user: user.slice(i + 1) } : { user, domain: '' };
}

export class NtlmClient {
  private negotiateBytes?: Buffer;

  constructor(
    private readonly creds: NtlmCredentials,
    private opts: NtlmClientOptions = {},
  ) {}

  negotiate(): Buffer {
    this.negotiateBytes = encodeNegotiate({ flags: CLIENT_FLAGS });
    return this.negotiateBytes;
  }

  /** `late` options are those only known after NEGOTIATE went out (the TLS certificate's binding). */
  authenticate(challengeBytes: Buffer, late: Pick<NtlmClientOptions, 'channelBindings'> = {}): NtlmAuthenticateResult {
    if (late.channelBindings) this.opts = { ...this.opts, channelBindings: late.channelBindings };
    if (!this.negotiateBytes) throw new Error('NtlmClient.authenticate called before negotiate');
    const challenge = decodeChallenge(challengeBytes);
    if (!hasFlag(challenge.flags, NegotiateFlags.EXTENDED_SESSIONSECURITY)) {
      throw new NtlmError('the server does not offer NTLM extended session security (NTLMv1-only servers are not supported)');
    }
    const flags = (challenge.flags & CLIENT_FLAGS) >>> 0;
    const { user, domain } = splitUser(this.creds.user);
    const responseKey = ntowfv2(this.creds.password, user, domain);
    const clientChallenge = this.opts.clientChallenge ?? randomBytes(8);

    const serverTime = findAv(challenge.targetInfo, AvId.Timestamp);
    const useMic = serverTime !== undefined;
    const targetInfo = encodeAvPairs(this.clientTargetInfo(challenge.targetInfo, useMic));
    const nt = computeNtlmv2Response({
      responseKeyNT: responseKey,
      serverChallenge: challenge.serverChallenge,
      clientChallenge,
      timestamp: serverTime ?? fileTime(),
      targetInfo,
    });
    // With a server timestamp the LM response must be zeros (MS-NLMP 3.1.5.1.2).
    const lm = useMic ? Buffer.alloc(24) : computeLmv2Response(responseKey, challenge.serverChallenge, clientChallenge);

    const keyExchangeKey = keyExchangeKeyV2(nt.sessionBaseKey);
    let exportedSessionKey: Buffer = keyExchangeKey;
    let encryptedRandomSessionKey: Buffer = Buffer.alloc(0);
    if (hasFlag(flags, NegotiateFlags.KEY_EXCH)) {
      exportedSessionKey = this.opts.exportedSessionKey ?? newExportedSessionKey();
      encryptedRandomSessionKey = encryptSessionKey(keyExchangeKey, exportedSessionKey);
    }

    const message = encodeAuthenticate(
      {
        flags,
        lmChallengeResponse: lm,
        ntChallengeResponse: nt.ntChallengeResponse,
        domain,
        user,
        workstation: this.creds.workstation ?? '',
        encryptedRandomSessionKey,
      },
      { withMic: useMic },
    );
    if (useMic) {
      computeMic(exportedSessionKey, this.negotiateBytes, challengeBytes, message).copy(message, MIC_OFFSET);
    }
    const context = new NtlmSecurityContext({ exportedSessionKey, flags, role: 'client' });
    return { message, context, flags };
  }

  private clientTargetInfo(serverPairs: AvPair[], useMic: boolean): AvPair[] {
    const own = new Set<number>([AvId.Flags, AvId.ChannelBindings, AvId.TargetName]);
    const pairs = serverPairs.filter((p) => !own.has(p.id));
    const serverFlags = findAv(serverPairs, AvId.Flags);
    let avFlags = serverFlags && serverFlags.length === 4 ? serverFlags.readUInt32LE(0) : 0;
    if (useMic) avFlags |= AV_FLAG_MIC_PRESENT;
    if (avFlags) {
      const v = Buffer.alloc(4);
      v.writeUInt32LE(avFlags >>> 0);
      pairs.push({ id: AvId.Flags, value: v });
    }
    pairs.push({ id: AvId.ChannelBindings, value: this.opts.channelBindings ?? Buffer.alloc(16) });
    if (this.opts.targetName) pairs.push({ id: AvId.TargetName, value: utf16le(this.opts.targetName) });
    return pairs;
  }
}
