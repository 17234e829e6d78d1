// The Windows Remote Shell operations (MS-WSMV 3.1.4): Create, Command, Send, Receive, Signal,
// Delete — request builders and response readers. Pure functions, no I/O.
import { Action, CommandStateDone, child, envelope, soapBody, text, xmlEscape, WinrmProtocolError, type XmlNode } from './soap.js';

/** Per-envelope ceiling we send; Windows' default MaxEnvelopeSize is larger (150–500 KB). */
export const MAX_ENVELOPE_SIZE = 153600;

export interface EnvelopeContext {
  endpoint: string;
  operationTimeoutSec: number;
  maxEnvelopeSize?: number;
}

const base = (ctx: EnvelopeContext) => ({
  endpoint: ctx.endpoint,
  operationTimeoutSec: ctx.operationTimeoutSec,
  maxEnvelopeSize: ctx.maxEnvelopeSize ?? MAX_ENVELOPE_SIZE,
});

export interface ShellOptions {
  workingDirectory?: string;
  env?: Record<string, string>;
  /** Seconds of inactivity before the server drops the shell. */
  idleTimeoutSec?: number;
  codepage?: number;
  noProfile?: boolean;
}

export function createShell(ctx: EnvelopeContext, o: ShellOptions = {}): string {
  const env = o.env && Object.keys(o.env).length
    ? `<rsp:Environment>${Object.entries(o.env).map(([k, v]) => `<rsp:Variable Name="${xmlEscape(k)}">${xmlEscape(v)}</rsp:Variable>`).join('')}</rsp:Environment>`
    : '';
  const body =
    '<rsp:Shell>' +
    (o.workingDirectory ? `<rsp:WorkingDirectory>${xmlEscape(o.workingDirectory)}</rsp:WorkingDirectory>` : '') +
    env +
    (o.idleTimeoutSec ? `<rsp:IdleTimeOut>PT${o.idleTimeoutSec}S</rsp:IdleTimeOut>` : '') +
    '<rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams>' +
    '</rsp:Shell>';
  return envelope(
    {
      ...base(ctx),
      action: Action.create,
      options: { WINRS_NOPROFILE: o.noProfile === false ? 'FALSE' : 'TRUE', WINRS_CODEPAGE: String(o.codepage ?? 65001) },
    },
    body,
  );
}

export function command(ctx: EnvelopeContext, shellId: string, exe: string, args: readonly string[]): string {
  const body =
    '<rsp:CommandLine>' +
    `<rsp:Command>${xmlEscape(exe)}</rsp:Command>` +
    args.map((a) => `<rsp:Arguments>${xmlEscape(a)}</rsp:Arguments>`).join('') +
    '</rsp:CommandLine>';
  return envelope(
    { ...base(ctx), action: Action.command, shellId, options: { WINRS_CONSOLEMODE_STDIN: 'TRUE', WINRS_SKIP_CMD_SHELL: 'FALSE' } },
    body,
  );
}

export function send(ctx: EnvelopeContext, shellId: string, commandId: string, data: Buffer, end: boolean): string {
  const body =
    '<rsp:Send>' +
    `<rsp:Stream Name="stdin" CommandId="${xmlEscape(commandId)}"${end ? ' End="true"' : ''}>${data.toString('base64')}</rsp:Stream>` +
    '</rsp:Send>';
  return envelope({ ...base(ctx), action: Action.send, shellId }, body);
}

/** Largest stdin chunk whose Send envelope stays within the envelope ceiling (base64 grows 4/3). */
export function maxSendChunk(ctx: EnvelopeContext, shellId: string, commandId: string): number {
  const overhead = Buffer.byteLength(send(ctx, shellId, commandId, Buffer.alloc(0), true));
  const room = (ctx.maxEnvelopeSize ?? MAX_ENVELOPE_SIZE) - overhead - 512;
  return Math.floor(room / 4) * 3;
}

export function receive(ctx: EnvelopeContext, shellId: string, commandId: string): string {
  const body = `<rsp:Receive><rsp:DesiredStream CommandId="${xmlEscape(commandId)}">stdout stderr</rsp:DesiredStream></rsp:Receive>`;
  return envelope({ ...base(ctx), action: Action.receive, shellId, options: { WSMAN_CMDSHELL_OPTION_KEEPALIVE: 'TRUE' } }, body);
}

export type SignalCode = 'terminate' | 'ctrl_c';

export function signal(ctx: EnvelopeContext, shellId: string, commandId: string, code: SignalCode): string {
  const body =
    `<rsp:Signal CommandId="${xmlEscape(commandId)}">` +
    `<rsp:Code>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/${code}</rsp:Code>` +
    '</rsp:Signal>';
  return envelope({ ...base(ctx), action: Action.signal, shellId }, body);
}

export function deleteShell(ctx: EnvelopeContext, shellId: string): string {
  return envelope({ ...base(ctx), action: Action.delete, shellId }, '');
}

// ---- response readers ----

export function readShellId(doc: XmlNode): string {
  const body = soapBody(doc);
  let id = text(child(child(body, 'Shell'), 'ShellId')).trim();
  if (!id) {
    const selectors = child(child(child(child(body, 'ResourceCreated'), 'ReferenceParameters'), 'SelectorSet'), 'Selector') as XmlNode[] | undefined;
    id = text(selectors?.find((s) => s['@Name'] === 'ShellId')).trim();
  }
  if (!id) throw new WinrmProtocolError('Create response carries no ShellId');
  return id;
}

export function readCommandId(doc: XmlNode): string {
  const id = text(child(child(soapBody(doc), 'CommandResponse'), 'CommandId')).trim();
  if (!id) throw new WinrmProtocolError('Command response carries no CommandId');
  return id;
}

export interface ReceiveChunk {
  stdout: Buffer[];
  stderr: Buffer[];
  done: boolean;
  exitCode?: number;
}

export function readReceive(doc: XmlNode, commandId: string): ReceiveChunk {
  const resp = child(soapBody(doc), 'ReceiveResponse');
  if (resp === undefined) throw new WinrmProtocolError('Receive response carries no ReceiveResponse');
  const out: ReceiveChunk = { stdout: [], stderr: [], done: false };
  for (const s of (child(resp, 'Stream') as XmlNode[] | undefined) ?? []) {
    const cid = s['@CommandId'];
    if (cid !== undefined && String(cid).toUpperCase() !== commandId.toUpperCase()) continue;
    const data = text(s).trim();
    if (!data) continue;
    const bytes = Buffer.from(data, 'base64');
    if (s['@Name'] === 'stdout') out.stdout.push(bytes);
    else if (s['@Name'] === 'stderr') out.stderr.push(bytes);
  }
  const state = child(resp, 'CommandState');
  if (state && String(child(state, '@State')) === CommandStateDone) {
    out.done = true;
    const code = text(child(state, 'ExitCode')).trim();
    // Exit codes are DWORDs on the wire; negative .NET exit codes arrive as large unsigned numbers.
    if (code) out.exitCode = Number(code) | 0;
  }
  return out;
}
