// Everything the lab takes from the product, in one place (the product never imports the lab): the
// WS-Management SOAP parser, NTLM message security, crypto and channel bindings — the lab's server
// must speak exactly the protocol the product's client speaks —, MLNX_OFED's tarball and DOCA's doca-host
// naming, so the lab serves what mofed_install asks for, and the options the CLI's `lab up` passes.
export { child, text, wsmanXmlParser } from '../../../src/engine/connection/winrm/soap.js';
export { ENCRYPTED_CONTENT_TYPE, SOAP_CONTENT_TYPE, decryptBody, encryptBody, isEncryptedContentType } from '../../../src/engine/connection/winrm/encryption.js';
export { tlsServerEndPointBindings } from '../../../src/engine/connection/winrm/ntlm/channel-bindings.js';
export { computeMic, decryptSessionKey, fileTime, keyExchangeKeyV2, ntlmv2ResponseFromBlob, ntowfv2, utf16le } from '../../../src/engine/connection/winrm/ntlm/crypto.js';
export { AV_FLAG_MIC_PRESENT, AvId, NegotiateFlags, SESSION_SECURITY_FLAGS, hasFlag } from '../../../src/engine/connection/winrm/ntlm/flags.js';
export {
  decodeAuthenticate,
  decodeAvPairs,
  decodeNegotiate,
  encodeChallenge,
  findAv,
  zeroMic,
  type AvPair,
  type ChallengeMessage,
} from '../../../src/engine/connection/winrm/ntlm/messages.js';
export { NtlmSecurityContext } from '../../../src/engine/connection/winrm/ntlm/session.js';
export { packageName } from '../../../src/modules/lib/mofed.js';
export { DOCA_HOST_BUILDS, docaHostFileName } from '../../../src/modules/lib/doca-host.js';
// The options `fleetplay lab up` passes (the CLI's side of the contract: src/cli/lab-api.ts).
export type { LabUpRequest } from '../../../src/cli/lab-api.js';
