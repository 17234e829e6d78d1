// The Windows Remote Shell actions: one SOAP request in, one response envelope out (or a WsmanFault).

import { ACTIONS, child, Faults, RESOURCE_CMD, responseEnvelope, text, xmlEscape, type WsmanRequest, type XmlNode } from './soap.js';
import type { ShellManager } from './shells.js';
import { parseDuration } from './soap.js';

export interface ActionContext {
  shells: ShellManager;
  /** Authenticated user (owner of the shells). */
  user: string;
  /** http(s)://host:port/wsman as the client addressed it. */
  endpoint: string;
  /** Largest envelope this server accepts and sends (MaxEnvelopeSizekb). */
  maxEnvelopeSize: number;
  /** Longest a Receive may wait (caps the client's OperationTimeout). */
  maxOperationTimeoutMs: number;
  abort?: AbortSignal;
}

const CMD_STATE = `${'http://schemas.microsoft.com/wbem/wsman/1/windows/shell'}/CommandState`;

function commandLineOf(body: XmlNode): string {
  const line = child(body, 'CommandLine');
  const exe = text(child(line, 'Command')).trim();
  const args = ((child(line, 'Arguments') as unknown[] | undefined) ?? []).map((a) => text(a));
  return [exe, ...args].filter((s) => s !== '').join(' ');
}

function shellCreated(ctx: ActionContext, shellId: string): string {
  return `<x:ResourceCreated><a:Address>${xmlEscape(ctx.endpoint)}</a:Address><a:ReferenceParameters>` +
    `<w:ResourceURI>${RESOURCE_CMD}</w:ResourceURI><w:SelectorSet><w:Selector Name="ShellId">${shellId}</w:Selector></w:SelectorSet>` +
    `</a:ReferenceParameters></x:ResourceCreated>` +
    `<rsp:Shell><rsp:ShellId>${shellId}</rsp:ShellId><rsp:ResourceUri>${RESOURCE_CMD}</rsp:ResourceUri><rsp:Owner>${xmlEscape(ctx.user)}</rsp:Owner>` +
    `<rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>`;
}

export async function runAction(ctx: ActionContext, req: WsmanRequest): Promise<string> {
  if (req.resourceUri && req.resourceUri !== RESOURCE_CMD) throw Faults.resourceNotSupported(req.resourceUri);
  const reply = (action: string, body: string): string => responseEnvelope(`${action}Response`, req.messageId, body);
  switch (req.action) {
    case ACTIONS.create: {
      const shell = child(req.body, 'Shell');
      const env: Record<string, string> = {};
      for (const v of (child(child(shell, 'Environment'), 'Variable') as XmlNode[] | undefined) ?? []) env[String(v['@Name'])] = text(v);
      const cwd = text(child(shell, 'WorkingDirectory')).trim() || undefined;
      const idle = parseDuration(text(child(shell, 'IdleTimeOut')));
      const id = ctx.shells.create(ctx.user, { cwd, env }, idle);
      return reply(req.action, shellCreated(ctx, id));
    }
    case ACTIONS.delete:
      ctx.shells.delete(req.shellId);
      return reply(req.action, '');
    case ACTIONS.command: {
      const line = commandLineOf(req.body);
      if (!line) throw Faults.badRequest('the Command element is empty.');
      const id = ctx.shells.command(req.shellId, line);
      return reply(req.action, `<rsp:CommandResponse><rsp:CommandId>${id}</rsp:CommandId></rsp:CommandResponse>`);
    }
    case ACTIONS.send: {
      for (const s of (child(child(req.body, 'Send'), 'Stream') as XmlNode[] | undefined) ?? []) {
        const data = Buffer.from(text(s).trim(), 'base64');
        ctx.shells.send(req.shellId, String(s['@CommandId'] ?? ''), data, String(s['@End'] ?? '').toLowerCase() === 'true');
      }
      return reply(req.action, '<rsp:SendResponse/>');
    }
    case ACTIONS.receive: {
      const desired = child(child(req.body, 'Receive'), 'DesiredStream');
      const commandId = String(child(desired, '@CommandId') ?? '');
      const envelope = Math.min(req.maxEnvelopeSize ?? ctx.maxEnvelopeSize, ctx.maxEnvelopeSize);
      // Room for the envelope itself, then base64's 4/3 growth.
      const maxBytes = Math.max(1024, Math.floor(((envelope - 2048) * 3) / 4));
      const timeout = Math.min(req.operationTimeoutMs, ctx.maxOperationTimeoutMs);
      const r = await ctx.shells.receive(req.shellId, commandId, timeout, maxBytes, ctx.abort);
      const cid = xmlEscape(commandId);
      let body = '<rsp:ReceiveResponse>';
      if (r.stdout.length) body += `<rsp:Stream Name="stdout" CommandId="${cid}">${r.stdout.toString('base64')}</rsp:Stream>`;
      if (r.stderr.length) body += `<rsp:Stream Name="stderr" CommandId="${cid}">${r.stderr.toString('base64')}</rsp:Stream>`;
      if (r.done) {
        body += `<rsp:Stream Name="stdout" CommandId="${cid}" End="true"></rsp:Stream><rsp:Stream Name="stderr" CommandId="${cid}" End="true"></rsp:Stream>`;
        body += `<rsp:CommandState CommandId="${cid}" State="${CMD_STATE}/Done"><rsp:ExitCode>${(r.exitCode ?? 0) >>> 0}</rsp:ExitCode></rsp:CommandState>`;
      } else body += `<rsp:CommandState CommandId="${cid}" State="${CMD_STATE}/Running"></rsp:CommandState>`;
      return reply(req.action, body + '</rsp:ReceiveResponse>');
    }
    case ACTIONS.signal: {
      const sig = child(req.body, 'Signal');
      ctx.shells.signal(req.shellId, String(child(sig, '@CommandId') ?? ''), text(child(sig, 'Code')).trim());
      return reply(req.action, '<rsp:SignalResponse/>');
    }
    default:
      throw Faults.actionNotSupported(req.action);
  }
}
