// NTLM negotiate flags and AV_PAIR ids (MS-NLMP 2.2.2.5, 2.2.2.1). Flags combine with `|`; the
// values are unsigned 32-bit, so test them with `(flags & F) !== 0`, never `> 0` on the high bit.

export const NegotiateFlags = {
  UNICODE: 0x00000001,
  OEM: 0x00000002,
  REQUEST_TARGET: 0x00000004,
  SIGN: 0x00000010,
  SEAL: 0x00000020,
  DATAGRAM: 0x00000040,
  LM_KEY: 0x00000080,
  NTLM: 0x00000200,
  ANONYMOUS: 0x00000800,
  OEM_DOMAIN_SUPPLIED: 0x00001000,
  OEM_WORKSTATION_SUPPLIED: 0x00002000,
  ALWAYS_SIGN: 0x00008000,
  TARGET_TYPE_DOMAIN: 0x00010000,
  TARGET_TYPE_SERVER: 0x00020000,
  EXTENDED_SESSIONSECURITY: 0x00080000,
  IDENTIFY: 0x00100000,
  REQUEST_NON_NT_SESSION_KEY: 0x00400000,
  TARGET_INFO: 0x00800000,
  VERSION: 0x02000000,
  NEGOTIATE_128: 0x20000000,
  KEY_EXCH: 0x40000000,
  NEGOTIATE_56: 0x80000000,
} as const;

/**
 * NTLMv2 with extended session security, key exchange, signing and sealing: what our client asks for
 * (with TARGET_INFO) and what the lab's server grants (the intersection with what a client asked for).
 */
export const SESSION_SECURITY_FLAGS =
  (NegotiateFlags.UNICODE |
    NegotiateFlags.REQUEST_TARGET |
    NegotiateFlags.SIGN |
    NegotiateFlags.SEAL |
    NegotiateFlags.NTLM |
    NegotiateFlags.ALWAYS_SIGN |
    NegotiateFlags.EXTENDED_SESSIONSECURITY |
    NegotiateFlags.VERSION |
    NegotiateFlags.NEGOTIATE_128 |
    NegotiateFlags.KEY_EXCH |
    NegotiateFlags.NEGOTIATE_56) >>>
  0;

/** What our client asks for. */
export const CLIENT_FLAGS = (SESSION_SECURITY_FLAGS | NegotiateFlags.TARGET_INFO) >>> 0;

export const AvId = {
  EOL: 0,
  NbComputerName: 1,
  NbDomainName: 2,
  DnsComputerName: 3,
  DnsDomainName: 4,
  DnsTreeName: 5,
  Flags: 6,
  Timestamp: 7,
  SingleHost: 8,
  TargetName: 9,
  ChannelBindings: 10,
} as const;

/** MsvAvFlags bit: the AUTHENTICATE message carries a MIC. */
export const AV_FLAG_MIC_PRESENT = 0x00000002;

export function hasFlag(flags: number, flag: number): boolean {
  return ((flags >>> 0) & flag) >>> 0 !== 0;
}
