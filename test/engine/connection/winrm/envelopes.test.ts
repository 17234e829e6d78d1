// Envelope building and response reading: the shapes Windows expects and sends, size limits, faults.
import { describe, expect, it } from 'vitest';
import * as env from '../../../../src/engine/connection/winrm/envelopes.js';
import { FaultCode, parseFault, parseXml, xmlEscape } from '../../../../src/engine/connection/winrm/soap.js';

const ctx = { endpoint: 'http://win01:5985/wsman', operationTimeoutSec: 20 };
const SHELL = '11111111-2222-3333-4444-555555555555';
const CMD = 'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE';

describe('request envelopes', () => {
  it('Create carries the shell options and the WS-Man header', () => {
    const xml = env.createShell(ctx, { env: { A: 'x<y' }, workingDirectory: 'C:\\Temp' });
    const doc = parseXml(xml) as any;
    const h = doc.Envelope.Header;
    expect(h.To).toBe('http://win01:5985/wsman');
    expect(h.Action['#text']).toBe('http://schemas.xmlsoap.org/ws/2004/09/transfer/Create');
    expect(h.OperationTimeout).toBe('PT20S');
    expect(h.MaxEnvelopeSize['#text']).toBe('153600');
    expect(h.MessageID).toMatch(/^uuid:[0-9A-F-]{36}$/);
    expect(h.OptionSet.Option.map((o: any) => [o['@Name'], o['#text']])).toEqual([
      ['WINRS_NOPROFILE', 'TRUE'],
      ['WINRS_CODEPAGE', '65001'],
    ]);
    expect(doc.Envelope.Body.Shell.Environment.Variable['#text']).toBe('x<y');
    expect(doc.Envelope.Body.Shell.OutputStreams).toBe('stdout stderr');
  });

  it('every envelope gets a fresh MessageID', () => {
    const ids = new Set(Array.from({ length: 50 }, () => (parseXml(env.receive(ctx, SHELL, CMD)) as any).Envelope.Header.MessageID));
    expect(ids.size).toBe(50);
  });

  it('Command escapes arguments and selects the shell', () => {
    const doc = parseXml(env.command(ctx, SHELL, 'powershell.exe', ['-Command', '"a & b" <c>'])) as any;
    expect(doc.Envelope.Header.SelectorSet.Selector[0]['#text']).toBe(SHELL);
    expect(doc.Envelope.Body.CommandLine.Arguments).toEqual(['-Command', '"a & b" <c>']);
  });

  it('Send chunks stay within MaxEnvelopeSize', () => {
    const max = env.maxSendChunk(ctx, SHELL, CMD);
    expect(max % 3).toBe(0);
    const full = env.send(ctx, SHELL, CMD, Buffer.alloc(max, 0xab), true);
    expect(Buffer.byteLength(full)).toBeLessThanOrEqual(env.MAX_ENVELOPE_SIZE);
    expect(Buffer.byteLength(full)).toBeGreaterThan(env.MAX_ENVELOPE_SIZE - 1200);
    expect(full).toContain('End="true"');
    const small = env.maxSendChunk({ ...ctx, maxEnvelopeSize: 8192 }, SHELL, CMD);
    expect(Buffer.byteLength(env.send(ctx, SHELL, CMD, Buffer.alloc(small), false))).toBeLessThanOrEqual(8192);
  });

  it('Signal uses the terminate and ctrl_c codes', () => {
    expect(env.signal(ctx, SHELL, CMD, 'terminate')).toContain('/windows/shell/signal/terminate</rsp:Code>');
    expect(env.signal(ctx, SHELL, CMD, 'ctrl_c')).toContain('/windows/shell/signal/ctrl_c</rsp:Code>');
  });
});

const wrap = (body: string) =>
  `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"><s:Header/><s:Body>${body}</s:Body></s:Envelope>`;

describe('response readers', () => {
  it('ShellId from the Shell element or the ResourceCreated selector', () => {
    expect(env.readShellId(parseXml(wrap(`<rsp:Shell><rsp:ShellId>${SHELL}</rsp:ShellId></rsp:Shell>`)))).toBe(SHELL);
    expect(env.readShellId(parseXml(wrap(`<x:ResourceCreated xmlns:x="t"><a:ReferenceParameters><w:SelectorSet><w:Selector Name="ShellId">${SHELL}</w:Selector></w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>`)))).toBe(SHELL);
    expect(() => env.readShellId(parseXml(wrap('')))).toThrow(/no ShellId/);
  });

  it('Receive: streams in order, other commands ignored, Done with exit code', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const doc = parseXml(
      wrap(
        '<rsp:ReceiveResponse>' +
          `<rsp:Stream Name="stdout" CommandId="${CMD}">${b64('ab')}</rsp:Stream>` +
          `<rsp:Stream Name="stderr" CommandId="${CMD}">${b64('E')}</rsp:Stream>` +
          `<rsp:Stream Name="stdout" CommandId="OTHER">${b64('zz')}</rsp:Stream>` +
          `<rsp:Stream Name="stdout" CommandId="${CMD.toLowerCase()}">${b64('c')}</rsp:Stream>` +
          `<rsp:Stream Name="stdout" CommandId="${CMD}" End="true"></rsp:Stream>` +
          `<rsp:CommandState CommandId="${CMD}" State="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done"><rsp:ExitCode>4294967295</rsp:ExitCode></rsp:CommandState>` +
          '</rsp:ReceiveResponse>',
      ),
    );
    const r = env.readReceive(doc, CMD);
    expect(Buffer.concat(r.stdout).toString()).toBe('abc');
    expect(Buffer.concat(r.stderr).toString()).toBe('E');
    expect(r.done).toBe(true);
    expect(r.exitCode).toBe(-1);
  });

  it('Receive while running is not done', () => {
    const r = env.readReceive(parseXml(wrap(`<rsp:ReceiveResponse><rsp:CommandState CommandId="${CMD}" State="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running"/></rsp:ReceiveResponse>`)), CMD);
    expect(r).toEqual({ stdout: [], stderr: [], done: false });
  });
});

describe('faults', () => {
  const fault = (code: string, msg: string, reason = 'The WS-Management service cannot process the request.') =>
    parseXml(
      wrap(
        `<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:TimedOut</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">${xmlEscape(reason)}</s:Text></s:Reason>` +
          `<s:Detail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="${code}" Machine="win01"><f:Message><f:ProviderFault provider="Shell cmd plugin">${xmlEscape(msg)} </f:ProviderFault></f:Message></f:WSManFault></s:Detail></s:Fault>`,
      ),
    );

  it('reports the WSManFault message, the reason and the code', () => {
    const f = parseFault(fault('2150858843', 'The request for the Windows Remote Shell with ShellId X failed because the shell was not found on the server.'))!;
    expect(f.wsmanCode).toBe(FaultCode.shellNotFound);
    expect(f.subcode).toBe('w:TimedOut');
    expect(f.message).toBe(
      'The request for the Windows Remote Shell with ShellId X failed because the shell was not found on the server. (The WS-Management service cannot process the request.) [WSManFault 2150858843]',
    );
  });

  it('falls back to the reason text, and finds no fault in a normal response', () => {
    const doc = parseXml(wrap('<s:Fault><s:Reason><s:Text xml:lang="en-US">Access is denied.</s:Text></s:Reason></s:Fault>'));
    expect(parseFault(doc)?.message).toBe('Access is denied.');
    expect(parseFault(parseXml(wrap('<rsp:Shell/>')))).toBeUndefined();
  });
});
