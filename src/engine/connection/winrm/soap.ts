// SOAP envelopes for WS-Management (DSP0226 / MS-WSMV): building the header every request carries,
// parsing responses with fast-xml-parser (namespace prefixes stripped, values kept as strings), and
// turning s:Fault bodies into WinrmFault errors that carry the server's own text.
import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';

export const NS = {
  s: 'http://www.w3.org/2003/05/soap-envelope',
  a: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  w: 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd',
  p: 'http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd',
  rsp: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell',
} as const;

export const RESOURCE_CMD = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd';

export const Action = {
  create: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Create',
  delete: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete',
  command: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Command',
  send: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Send',
  receive: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Receive',
  signal: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Signal',
} as const;

export const CommandStateDone = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done';

/** WSManFault codes the client reacts to. */
export const FaultCode = {
  /** Receive found no output within OperationTimeout: not an error, poll again. */
  operationTimeout: '2150858793',
  /** The shell is gone (idle timeout, service restart). */
  shellNotFound: '2150858843',
} as const;

export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export function newMessageId(): string {
  return `uuid:${randomUUID().toUpperCase()}`;
}

export interface HeaderOptions {
  endpoint: string;
  action: string;
  resourceUri?: string;
  shellId?: string;
  options?: Record<string, string>;
  maxEnvelopeSize: number;
  /** Seconds. */
  operationTimeoutSec: number;
  messageId?: string;
  locale?: string;
}

/** Wraps a body in the WS-Management envelope: addressing, resource, selectors, options, limits. */
export function envelope(h: HeaderOptions, body: string): string {
  const locale = h.locale ?? 'en-US';
  const selector = h.shellId ? `<w:SelectorSet><w:Selector Name="ShellId">${xmlEscape(h.shellId)}</w:Selector></w:SelectorSet>` : '';
  const opts = h.options && Object.keys(h.options).length
    ? `<w:OptionSet>${Object.entries(h.options).map(([k, v]) => `<w:Option Name="${xmlEscape(k)}">${xmlEscape(v)}</w:Option>`).join('')}</w:OptionSet>`
    : '';
  return (
    `<s:Envelope xmlns:s="${NS.s}" xmlns:a="${NS.a}" xmlns:w="${NS.w}" xmlns:p="${NS.p}" xmlns:rsp="${NS.rsp}">` +
    '<s:Header>' +
    `<a:To>${xmlEscape(h.endpoint)}</a:To>` +
    `<a:ReplyTo><a:Address s:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>` +
    `<w:MaxEnvelopeSize s:mustUnderstand="true">${h.maxEnvelopeSize}</w:MaxEnvelopeSize>` +
    `<a:MessageID>${h.messageId ?? newMessageId()}</a:MessageID>` +
    `<w:Locale xml:lang="${locale}" s:mustUnderstand="false"/>` +
    `<p:DataLocale xml:lang="${locale}" s:mustUnderstand="false"/>` +
    `<w:OperationTimeout>PT${h.operationTimeoutSec}S</w:OperationTimeout>` +
    `<w:ResourceURI s:mustUnderstand="true">${h.resourceUri ?? RESOURCE_CMD}</w:ResourceURI>` +
    `<a:Action s:mustUnderstand="true">${h.action}</a:Action>` +
    selector +
    opts +
    '</s:Header>' +
    `<s:Body>${body}</s:Body>` +
    '</s:Envelope>'
  );
}

/**
 * How WS-Management XML is read, on both ends of the wire (the lab's server uses it too): values stay
 * strings (a stream's base64 must not become a number), namespaces are dropped, attributes are `@x`,
 * and the elements that may repeat are always arrays (plus `repeated`, the reader's own).
 */
export function wsmanXmlParser(repeated: readonly string[]): XMLParser {
  const arrays = new Set(['Stream', 'Selector', 'Option', ...repeated]);
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    textNodeName: '#text',
    isArray: (name) => arrays.has(name),
  });
}

const parser = wsmanXmlParser(['Text']);

export type XmlNode = Record<string, unknown>;

export function parseXml(xml: string): XmlNode {
  return parser.parse(xml) as XmlNode;
}

/** Child by local name; undefined when absent. */
export function child(node: unknown, name: string): any {
  return node && typeof node === 'object' ? (node as XmlNode)[name] : undefined;
}

/** Text content of an element parsed with attributes (string or { '#text': ... }). */
export function text(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map(text).join('');
  if (typeof node === 'object') {
    const t = (node as XmlNode)['#text'];
    if (t !== undefined) return String(t);
    return Object.entries(node as XmlNode)
      .filter(([k]) => !k.startsWith('@'))
      .map(([, v]) => text(v))
      .join('');
  }
  return String(node);
}

/** The s:Body of a parsed response envelope; throws when the document is not a SOAP envelope. */
export function soapBody(doc: XmlNode): XmlNode {
  const body = child(child(doc, 'Envelope'), 'Body');
  if (body === undefined) throw new WinrmProtocolError('response is not a SOAP envelope');
  return (body === '' ? {} : body) as XmlNode;
}

export class WinrmProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WinrmProtocolError';
  }
}

/** A SOAP fault from the server, with the WSManFault code and the server's message. */
export class WinrmFault extends Error {
  constructor(
    message: string,
    readonly wsmanCode: string | undefined,
    readonly subcode: string | undefined,
  ) {
    super(message);
    this.name = 'WinrmFault';
  }
}

/** Reads a fault out of a response document, or undefined when there is none. */
export function parseFault(doc: XmlNode): WinrmFault | undefined {
  const fault = child(child(child(doc, 'Envelope'), 'Body'), 'Fault');
  if (fault === undefined) return undefined;
  const wsman = child(child(fault, 'Detail'), 'WSManFault');
  const code = wsman ? (child(wsman, '@Code') as string | undefined) : undefined;
  const subcode = text(child(child(child(fault, 'Code'), 'Subcode'), 'Value')).trim() || undefined;
  const wsmanMsg = wsman ? clean(text(child(wsman, 'Message'))) : '';
  const reason = clean(text(child(child(fault, 'Reason'), 'Text')));
  const message = wsmanMsg || reason || 'unknown WS-Management fault';
  const extra = reason && wsmanMsg && !wsmanMsg.includes(reason) ? ` (${reason})` : '';
  return new WinrmFault(`${message}${extra}${code ? ` [WSManFault ${code}]` : ''}`, code, subcode);
}

function clean(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
