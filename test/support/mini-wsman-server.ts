// Test-only WS-Management endpoint (HTTP, NTLM with sealing) that runs each Command as a real local
// process (`sh -c` of the command line), so output arrives WHILE a command runs: what the lab's
// Windows host cannot show (its processes run to completion at once, see packages/lab/src/windows). Everything
// else is tested against the lab host; keep this minimal.
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { buildChallenge, serverContext, verifyAuthenticate } from '@fleetplay/lab/ntlm-server';
import { ntlmMessageType } from '../../src/engine/connection/winrm/ntlm/messages.js';
import type { NtlmSecurityContext } from '../../src/engine/connection/winrm/ntlm/session.js';
import { ENCRYPTED_CONTENT_TYPE, decryptBody, encryptBody, isEncryptedContentType } from '../../src/engine/connection/winrm/encryption.js';
import { Action, CommandStateDone, child, parseXml, text, xmlEscape, type XmlNode } from '../../src/engine/connection/winrm/soap.js';

export interface MiniServerOptions {
  user: string;
  password: string;
  /** Seconds a Receive waits before the OperationTimeout fault. */
  operationTimeoutSec?: number;
}

interface Command { proc: ChildProcess; out: Buffer[]; err: Buffer[]; exit?: number; wake?: () => void }
interface ConnState { negotiate?: Buffer; challenge?: Buffer; ctx?: NtlmSecurityContext; ok: boolean }

export class MiniWsmanServer {
  private readonly server: http.Server;
  private readonly conns = new WeakMap<Socket, ConnState>();
  private readonly shells = new Map<string, Map<string, Command>>();
  private readonly sockets = new Set<Socket>();

  constructor(private readonly o: MiniServerOptions) {
    this.server = http.createServer((req, res) => void this.handle(req, res).catch((e) => {
      res.writeHead(500).end(String(e));
    }));
    this.server.on('connection', (s: Socket) => (this.sockets.add(s), s.on('close', () => this.sockets.delete(s))));
  }

  async listen(): Promise<number> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const cmds of this.shells.values()) for (const c of cmds.values()) c.proc.kill('SIGKILL');
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await new Promise<Buffer>((r) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c)).on('end', () => r(Buffer.concat(parts)));
    });
    const sock = req.socket;
    const st = this.conns.get(sock) ?? { ok: false };
    this.conns.set(sock, st);
    const m = /^(Negotiate|NTLM) (\S+)$/i.exec(req.headers.authorization ?? '');
    if (m) {
      const token = Buffer.from(m[2]!, 'base64');
      if (ntlmMessageType(token) === 1) {
        st.negotiate = token;
        st.challenge = buildChallenge(token, { computerName: 'MINIWSMAN' }).message;
        res.writeHead(401, { 'WWW-Authenticate': `${m[1]} ${st.challenge.toString('base64')}`, 'Content-Length': 0 }).end();
        return;
      }
      const r = verifyAuthenticate(token, st.challenge!, (u) => (u.toLowerCase() === this.o.user.toLowerCase() ? this.o.password : undefined), { negotiate: st.negotiate });
      if (!r.ok) {
        res.writeHead(401, { 'WWW-Authenticate': 'Negotiate', 'Content-Length': 0 }).end();
        return;
      }
      st.ctx = serverContext(r);
      st.ok = true;
      if (body.length === 0) {
        res.writeHead(200, { 'Content-Length': 0 }).end();
        return;
      }
    }
    if (!st.ok) {
      res.writeHead(401, { 'WWW-Authenticate': 'Negotiate', 'Content-Length': 0 }).end();
      return;
    }
    if (!isEncryptedContentType(req.headers['content-type'])) {
      // AllowUnencrypted=false: plain HTTP must be sealed.
      res.writeHead(401, { 'WWW-Authenticate': 'Negotiate', 'Content-Length': 0 }).end();
      return;
    }
    const soap = decryptBody(st.ctx!, body, String(req.headers['content-type'])).toString('utf8');
    const { status, xml } = await this.dispatch(parseXml(soap));
    const out = encryptBody(st.ctx!, xml);
    res.writeHead(status, { 'Content-Type': ENCRYPTED_CONTENT_TYPE, 'Content-Length': out.length });
    res.end(out);
  }

  private async dispatch(doc: XmlNode): Promise<{ status: number; xml: string }> {
    const header = child(child(doc, 'Envelope'), 'Header');
    const body = child(child(doc, 'Envelope'), 'Body');
    const action = text(child(header, 'Action')).trim();
    const selectors = (child(child(header, 'SelectorSet'), 'Selector') as XmlNode[] | undefined) ?? [];
    const shellId = text(selectors.find((s) => s['@Name'] === 'ShellId'));
    const relatesTo = text(child(header, 'MessageID')).trim();
    const ok = (inner: string) => ({ status: 200, xml: wrap(inner, relatesTo) });
    const fault = (code: string, message: string) => faultOf(code, message, relatesTo);
    if (action === Action.create) {
      const id = randomUUID().toUpperCase();
      this.shells.set(id, new Map());
      return ok(
        '<x:ResourceCreated xmlns:x="http://schemas.xmlsoap.org/ws/2004/09/transfer"><a:Address>http://localhost/wsman</a:Address>' +
          `<a:ReferenceParameters><w:SelectorSet><w:Selector Name="ShellId">${id}</w:Selector></w:SelectorSet></a:ReferenceParameters>` +
          `</x:ResourceCreated><rsp:Shell><rsp:ShellId>${id}</rsp:ShellId></rsp:Shell>`,
      );
    }
    const shell = this.shells.get(shellId);
    if (!shell) return fault('2150858843', `The request for the Windows Remote Shell with ShellId ${shellId} failed because the shell was not found on the server.`);
    if (action === Action.delete) {
      this.shells.delete(shellId);
      return ok('');
    }
    if (action === Action.command) {
      const line = child(body, 'CommandLine');
      const exe = text(child(line, 'Command')).trim();
      const argNode = child(line, 'Arguments');
      const args = (Array.isArray(argNode) ? argNode : argNode === undefined ? [] : [argNode]).map(text);
      const id = randomUUID().toUpperCase();
      // Like WinRM's cmd.exe (WINRS_SKIP_CMD_SHELL=FALSE), the command and its arguments form one
      // command line for the system shell.
      const proc = spawn('sh', ['-c', [exe, ...args].join(' ')], { stdio: ['pipe', 'pipe', 'pipe'] });
      const cmd: Command = { proc, out: [], err: [] };
      const poke = () => cmd.wake?.();
      proc.stdout!.on('data', (c: Buffer) => (cmd.out.push(c), poke()));
      proc.stderr!.on('data', (c: Buffer) => (cmd.err.push(c), poke()));
      proc.stdin!.on('error', () => undefined);
      proc.on('error', (e) => (cmd.err.push(Buffer.from(String(e))), (cmd.exit = 9009), poke()));
      proc.on('close', (code, sig) => ((cmd.exit = code ?? (sig ? 1 : 0)), poke()));
      shell.set(id, cmd);
      return ok(`<rsp:CommandResponse><rsp:CommandId>${id}</rsp:CommandId></rsp:CommandResponse>`);
    }
    const commandId = action === Action.signal ? String(child(child(body, 'Signal'), '@CommandId')) : '';
    if (action === Action.signal) {
      const c = shell.get(commandId);
      if (c && c.exit === undefined) c.proc.kill('SIGTERM');
      if (text(child(child(body, 'Signal'), 'Code')).endsWith('terminate')) shell.delete(commandId);
      return ok('<rsp:SignalResponse/>');
    }
    if (action === Action.send) {
      const stream = (child(child(body, 'Send'), 'Stream') as XmlNode[])[0]!;
      const c = shell.get(String(stream['@CommandId']))!;
      const data = Buffer.from(text(stream), 'base64');
      if (data.length) await new Promise<void>((r) => (c.proc.stdin!.write(data) ? r() : c.proc.stdin!.once('drain', () => r())));
      if (stream['@End'] === 'true') c.proc.stdin!.end();
      return ok('<rsp:SendResponse/>');
    }
    if (action === Action.receive) {
      const id = String(child(child(child(body, 'Receive'), 'DesiredStream'), '@CommandId'));
      const c = shell.get(id);
      if (!c) return fault('2150858843', `command ${id} not found`);
      return this.receive(c, id, relatesTo);
    }
    return fault('2150858817', `action not supported by the test server: ${action}`);
  }

  private async receive(c: Command, id: string, relatesTo: string): Promise<{ status: number; xml: string }> {
    const limit = 65536;
    if (!c.out.length && !c.err.length && c.exit === undefined) {
      const woke = await new Promise<boolean>((r) => {
        const t = setTimeout(() => r(false), (this.o.operationTimeoutSec ?? 2) * 1000);
        c.wake = () => (clearTimeout(t), r(true));
      });
      c.wake = undefined;
      if (!woke) return faultOf('2150858793', 'The WS-Management service cannot complete the operation within the time specified in OperationTimeout.', relatesTo);
    }
    const take = (list: Buffer[]) => {
      const all = Buffer.concat(list);
      list.length = 0;
      if (all.length > limit) list.push(all.subarray(limit));
      return all.subarray(0, limit);
    };
    const out = take(c.out);
    const err = take(c.err);
    const streams = [['stdout', out], ['stderr', err]].filter(([, b]) => (b as Buffer).length)
      .map(([n, b]) => `<rsp:Stream Name="${n}" CommandId="${id}">${(b as Buffer).toString('base64')}</rsp:Stream>`).join('');
    const done = c.exit !== undefined && !c.out.length && !c.err.length;
    const state = done
      ? `<rsp:CommandState CommandId="${id}" State="${CommandStateDone}"><rsp:ExitCode>${c.exit}</rsp:ExitCode></rsp:CommandState>`
      : `<rsp:CommandState CommandId="${id}" State="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running"/>`;
    return { status: 200, xml: wrap(`<rsp:ReceiveResponse>${streams}${state}</rsp:ReceiveResponse>`, relatesTo) };
  }
}

function wrap(body: string, relatesTo: string): string {
  return (
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" ' +
    'xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell">' +
    `<s:Header><a:MessageID>uuid:${randomUUID().toUpperCase()}</a:MessageID><a:RelatesTo>${relatesTo}</a:RelatesTo></s:Header>` +
    `<s:Body>${body}</s:Body></s:Envelope>`
  );
}

function faultOf(code: string, message: string, relatesTo: string): { status: number; xml: string } {
  return {
    status: 500,
    xml: wrap(
      '<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:InternalError</s:Value></s:Subcode></s:Code>' +
        `<s:Reason><s:Text xml:lang="en-US">${xmlEscape(message)}</s:Text></s:Reason><s:Detail>` +
        `<f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="${code}" Machine="miniwsman">` +
        `<f:Message>${xmlEscape(message)}</f:Message></f:WSManFault></s:Detail></s:Fault>`,
      relatesTo,
    ),
  };
}
