// Server side of WS-Management SOAP: reading a request envelope (addressing, selectors, options,
// timeouts, limits) and writing responses and faults the way a Windows WinRM service shapes them.

import { randomUUID } from 'node:crypto';
import { child, text, wsmanXmlParser } from '../../product.js';

export const NS = {
  s: 'http://www.w3.org/2003/05/soap-envelope',
  a: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  x: 'http://schemas.xmlsoap.org/ws/2004/09/transfer',
  w: 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd',
  p: 'http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd',
  rsp: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell',
  f: 'http://schemas.microsoft.com/wbem/wsman/1/wsmanfault',
} as const;

export const SHELL_URI = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell';
export const RESOURCE_CMD = `${SHELL_URI}/cmd`;
export const ACTIONS = {
  create: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Create',
  delete: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete',
  command: `${SHELL_URI}/Command`,
  send: `${SHELL_URI}/Send`,
  receive: `${SHELL_URI}/Receive`,
  signal: `${SHELL_URI}/Signal`,
} as const;
export const FAULT_ACTION = 'http://schemas.dmtf.org/wbem/wsman/1/wsman/fault';

export type XmlNode = Record<string, unknown>;

const parser = wsmanXmlParser(['Arguments', 'Variable']);

// Reading parsed WS-Management XML is the same on both ends of the wire: one implementation.
export { child, text };

export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A WS-Management fault: becomes an HTTP 500 with the s:Fault body (or another status when given). */
export class WsmanFault extends Error {
  constructor(
    readonly code: 's:Sender' | 's:Receiver',
    readonly subcode: string,
    message: string,
    readonly wsmanCode: string,
    readonly httpStatus = 500,
  ) {
    super(message);
    this.name = 'WsmanFault';
  }
}

export interface WsmanRequest {
  action: string;
  messageId: string;
  resourceUri: string;
  shellId?: string;
  options: Record<string, string>;
  /** OperationTimeout in ms (default 60 s like WinRM's MaxTimeoutms cap is larger). */
  operationTimeoutMs: number;
  /** The client's MaxEnvelopeSize: responses must fit in it. */
  maxEnvelopeSize?: number;
  body: XmlNode;
}

/** ISO 8601 durations as WinRM sends them: PT60S, PT60.000S, PT1M30S. */
export function parseDuration(s: string): number | undefined {
  const m = /^P(?:\d+D)?T?(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/i.exec(s.trim());
  if (!m || s.trim() === 'P' || s.trim() === 'PT') return undefined;
  return Math.round(((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000);
}

export function parseRequest(xml: string): WsmanRequest {
  let doc: XmlNode;
  try {
    doc = parser.parse(xml, true) as XmlNode;
  } catch (e) {
    throw new WsmanFault('s:Sender', 'w:SchemaValidationError', `The WS-Management service cannot process the request because the XML is invalid: ${(e as Error).message}`, '2150858778', 400);
  }
  const env = child(doc, 'Envelope');
  const header = child(env, 'Header');
  if (!env || !header) throw new WsmanFault('s:Sender', 'w:SchemaValidationError', 'The WS-Management service cannot process the request because the request is not a SOAP envelope.', '2150858778', 400);
  const options: Record<string, string> = {};
  for (const o of (child(child(header, 'OptionSet'), 'Option') as XmlNode[] | undefined) ?? []) options[String(o['@Name'])] = text(o);
  const shellSelector = ((child(child(header, 'SelectorSet'), 'Selector') as XmlNode[] | undefined) ?? []).find((s) => s['@Name'] === 'ShellId');
  const maxEnv = Number(text(child(header, 'MaxEnvelopeSize')).trim());
  const body = child(env, 'Body');
  return {
    action: text(child(header, 'Action')).trim(),
    messageId: text(child(header, 'MessageID')).trim(),
    resourceUri: text(child(header, 'ResourceURI')).trim(),
    shellId: shellSelector ? text(shellSelector).trim() : undefined,
    options,
    operationTimeoutMs: parseDuration(text(child(header, 'OperationTimeout'))) ?? 60_000,
    maxEnvelopeSize: Number.isFinite(maxEnv) && maxEnv > 0 ? maxEnv : undefined,
    body: (body && typeof body === 'object' ? body : {}) as XmlNode,
  };
}

const ENVELOPE_OPEN = `<s:Envelope xml:lang="en-US" xmlns:s="${NS.s}" xmlns:a="${NS.a}" xmlns:x="${NS.x}" xmlns:w="${NS.w}" xmlns:rsp="${NS.rsp}" xmlns:p="${NS.p}">`;

export function responseEnvelope(action: string, relatesTo: string, body: string): string {
  return ENVELOPE_OPEN +
    `<s:Header><a:Action>${action}</a:Action><a:MessageID>uuid:${randomUUID().toUpperCase()}</a:MessageID>` +
    `<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>` +
    (relatesTo ? `<a:RelatesTo>${xmlEscape(relatesTo)}</a:RelatesTo>` : '') +
    `</s:Header><s:Body>${body}</s:Body></s:Envelope>`;
}

export function faultEnvelope(f: WsmanFault, relatesTo: string, machine: string): string {
  const msg = xmlEscape(f.message);
  const body = `<s:Fault><s:Code><s:Value>${f.code}</s:Value><s:Subcode><s:Value>${f.subcode}</s:Value></s:Subcode></s:Code>` +
    `<s:Reason><s:Text xml:lang="en-US">${msg}</s:Text></s:Reason>` +
    `<s:Detail><f:WSManFault xmlns:f="${NS.f}" Code="${f.wsmanCode}" Machine="${xmlEscape(machine)}"><f:Message>${msg}</f:Message></f:WSManFault></s:Detail></s:Fault>`;
  return responseEnvelope(FAULT_ACTION, relatesTo, body);
}

/** Faults the service raises, with Windows' codes and wording. */
export const Faults = {
  operationTimeout: () => new WsmanFault('s:Receiver', 'w:TimedOut', 'The WS-Management service cannot complete the operation within the time specified in OperationTimeout.  ', '2150858793'),
  shellNotFound: (id: string) => new WsmanFault('s:Sender', 'w:InvalidSelectors',
    `The request for the Windows Remote Shell with ShellId ${id} failed because the shell was not found on the server. Possible causes are: the specified ShellId is incorrect or the shell no longer exists on the server. Provide the correct ShellId or create a new shell and try again. `, '2150858843'),
  commandNotFound: (id: string) => new WsmanFault('s:Sender', 'w:InvalidParameter',
    `The Windows Remote Shell received a request to perform an operation on a command identifier that does not exist. Either the command has completed execution or the client specified an invalid command identifier (${id}). `, '2150858854'),
  envelopeTooLarge: (size: number, max: number) => new WsmanFault('s:Sender', 'w:EncodingLimit',
    `The WS-Management service cannot process the request because the request size (${size} bytes) exceeded the configured MaxEnvelopeSize quota (${max} bytes).`, '2150859025'),
  actionNotSupported: (action: string) => new WsmanFault('s:Sender', 'a:ActionNotSupported',
    `The WS-Management service cannot process the request because the action ${action || '(none)'} is not supported by the lab host's Windows Remote Shell.`, '2150858753'),
  resourceNotSupported: (uri: string) => new WsmanFault('s:Sender', 'w:DestinationUnreachable',
    `The WS-Management service cannot process the request. The resource URI ${uri || '(none)'} is not supported by the lab host (only ${RESOURCE_CMD}).`, '2150858770'),
  shellQuota: (max: number) => new WsmanFault('s:Receiver', 'w:QuotaLimit',
    `The WS-Management service cannot process the request. This user is allowed a maximum number of ${max} concurrent shells, which has been exceeded. Close existing shells or raise the quota for this user. `, '2150859174'),
  unencrypted: () => new WsmanFault('s:Sender', 'w:AccessDenied',
    'The WinRM service refuses unencrypted traffic on HTTP (AllowUnencrypted = false): use NTLM message encryption or HTTPS.', '5', 400),
  badRequest: (what: string) => new WsmanFault('s:Sender', 'w:InvalidParameter', `The WS-Management service cannot process the request: ${what}`, '2150858882', 400),
};
