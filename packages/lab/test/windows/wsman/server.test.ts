// The WS-Management server at the protocol level: NTLM-sealed envelopes over HTTP built with the
// client's own envelope and NTLM code, checking faults, limits, message ids and fault injection.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ntlmHandshake } from '../../../../../src/engine/connection/winrm/auth-ntlm.js';
import { decryptBody, ENCRYPTED_CONTENT_TYPE, encryptBody, isEncryptedContentType, SOAP_CONTENT_TYPE } from '../../../../../src/engine/connection/winrm/encryption.js';
import * as env from '../../../../../src/engine/connection/winrm/envelopes.js';
import type { NtlmSecurityContext } from '../../../../../src/engine/connection/winrm/ntlm/session.js';
import { parseFault, parseXml } from '../../../../../src/engine/connection/winrm/soap.js';
import { NtlmClient } from '../../../../../src/engine/connection/winrm/ntlm/client.js';
import { tlsServerEndPointBindings } from '../../../../../src/engine/connection/winrm/ntlm/channel-bindings.js';
import { HttpChannel } from '../../../../../src/engine/connection/winrm/transport-http.js';
import { defaultWindowsHostConfig } from '../../../src/windows/config.js';
import { startWindowsHost, type WindowsHostHandle } from '../../../src/windows/index.js';

let host: WindowsHostHandle;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fp-win-srv-'));
  host = await startWindowsHost(defaultWindowsHostConfig({ listenAddress: '127.0.0.1', httpPort: 0, httpsPort: 0, certDir: dir, stateFile: join(dir, 'state.json'), maxEnvelopeSizeKb: 64 }));
});
afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Session {
  post(soap: string): Promise<{ status: number; xml: string }>;
  plain(soap: string): Promise<{ status: number; xml: string }>;
  ctx: env.EnvelopeContext;
}

async function session(operationTimeoutSec = 20): Promise<Session> {
  const http = new HttpChannel({ scheme: 'http', host: '127.0.0.1', port: host.httpPort, path: '/wsman', connectTimeoutMs: 5000, readTimeoutMs: 30_000 });
  const { context } = await ntlmHandshake(http, { user: 'Administrator', password: 'Lab-Passw0rd!' }, { requireSeal: true });
  const ctx: NtlmSecurityContext = context;
  return {
    ctx: { endpoint: `http://127.0.0.1:${host.httpPort}/wsman`, operationTimeoutSec },
    async post(soap) {
      const r = await http.request({ 'Content-Type': ENCRYPTED_CONTENT_TYPE }, encryptBody(ctx, soap));
      const ct = String(r.headers['content-type'] ?? '');
      return { status: r.status, xml: isEncryptedContentType(ct) ? decryptBody(ctx, r.body, ct).toString('utf8') : r.body.toString('utf8') };
    },
    async plain(soap) {
      const r = await http.request({ 'Content-Type': SOAP_CONTENT_TYPE }, Buffer.from(soap));
      return { status: r.status, xml: r.body.toString('utf8') };
    },
  };
}

const faultOf = (xml: string) => parseFault(parseXml(xml));

describe('protocol', () => {
  it('echoes the MessageID in RelatesTo and runs Create/Command/Receive/Signal/Delete', async () => {
    const s = await session();
    const create = env.createShell(s.ctx);
    const id = /<a:MessageID>(.*?)<\/a:MessageID>/.exec(create)![1];
    const created = await s.post(create);
    expect(created.status).toBe(200);
    expect(created.xml).toContain(`<a:RelatesTo>${id}</a:RelatesTo>`);
    const shellId = env.readShellId(parseXml(created.xml));
    const cmd = env.readCommandId(parseXml((await s.post(env.command(s.ctx, shellId, 'cmd', ['/c', 'echo', 'hi']))).xml));
    const out = env.readReceive(parseXml((await s.post(env.receive(s.ctx, shellId, cmd))).xml), cmd);
    expect(out).toMatchObject({ done: true, exitCode: 0 });
    expect(Buffer.concat(out.stdout).toString()).toBe('hi\r\n');
    expect((await s.post(env.signal(s.ctx, shellId, cmd, 'terminate'))).status).toBe(200);
    expect((await s.post(env.deleteShell(s.ctx, shellId))).status).toBe(200);
    const gone = await s.post(env.command(s.ctx, shellId, 'hostname', []));
    expect(gone.status).toBe(500);
    expect(faultOf(gone.xml)?.wsmanCode).toBe('2150858843');
  });

  it('refuses plaintext SOAP on HTTP even after NTLM authentication', async () => {
    const s = await session();
    const r = await s.plain(env.createShell(s.ctx));
    expect(r.status).toBe(400);
    expect(faultOf(r.xml)?.message).toContain('AllowUnencrypted = false');
  });

  it('answers a Receive with no output within OperationTimeout with fault 2150858793, then delivers', async () => {
    const s = await session(1);
    const shellId = env.readShellId(parseXml((await s.post(env.createShell(s.ctx))).xml));
    const cmd = env.readCommandId(parseXml((await s.post(env.command(s.ctx, shellId, 'powershell.exe', ['-NoProfile', '-Command', '-']))).xml));
    const started = Date.now();
    const waited = await s.post(env.receive(s.ctx, shellId, cmd));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(faultOf(waited.xml)?.wsmanCode).toBe('2150858793');
    await s.post(env.send(s.ctx, shellId, cmd, Buffer.from("'late'; exit 2"), true));
    const done = env.readReceive(parseXml((await s.post(env.receive(s.ctx, shellId, cmd))).xml), cmd);
    expect(done).toMatchObject({ done: true, exitCode: 2 });
    expect((await s.post(env.receive(s.ctx, shellId, 'NOPE'))).xml).toContain('Code="2150858854"');
  });

  it('rejects envelopes larger than MaxEnvelopeSize', async () => {
    const s = await session();
    const shellId = env.readShellId(parseXml((await s.post(env.createShell(s.ctx))).xml));
    const r = await s.post(env.command(s.ctx, shellId, 'echo', ['x'.repeat(70 * 1024)]));
    expect(r.status).toBe(500);
    expect(faultOf(r.xml)?.wsmanCode).toBe('2150859025');
  });

  it('injects HTTP 500s when asked', async () => {
    const s = await session();
    host.setFaults({ http500Rate: 1 });
    try {
      expect(await s.post(env.createShell(s.ctx))).toEqual({ status: 500, xml: '' });
    } finally {
      host.setFaults({});
    }
    expect((await s.post(env.createShell(s.ctx))).status).toBe(200);
  });
});

describe('Extended Protection (CbtHardeningLevel) for NTLM over HTTPS', () => {
  /** One NTLM handshake on HTTPS, with or without the certificate's channel binding; the final status. */
  async function handshake(port: number, withBinding: boolean): Promise<number> {
    const http = new HttpChannel({ scheme: 'https', host: '127.0.0.1', port, path: '/wsman', connectTimeoutMs: 5000, readTimeoutMs: 30_000, tls: { rejectUnauthorized: false } });
    try {
      const client = new NtlmClient({ user: 'Administrator', password: 'Lab-Passw0rd!' }, { targetName: 'HTTP/127.0.0.1' });
      const first = await http.request({ Authorization: `Negotiate ${client.negotiate().toString('base64')}` }, Buffer.alloc(0));
      const challenge = Buffer.from(first.authenticate[0]!.split(' ')[1]!, 'base64');
      const cert = HttpChannel.peerCertificate(first.socket);
      const auth = client.authenticate(challenge, { channelBindings: withBinding && cert ? tlsServerEndPointBindings(cert) : undefined });
      return (await http.request({ Authorization: `Negotiate ${auth.message.toString('base64')}` }, Buffer.alloc(0))).status;
    } finally {
      http.close();
    }
  }

  it('Relaxed (the default) accepts a client without a channel binding; Strict requires one', async () => {
    expect(await handshake(host.httpsPort, false)).toBe(200);
    const d = mkdtempSync(join(tmpdir(), 'fp-win-cbt-'));
    const strict = await startWindowsHost(defaultWindowsHostConfig({ name: 'WINCBT', listenAddress: '127.0.0.1', httpPort: 0, httpsPort: 0, certDir: d, stateFile: join(d, 'state.json'), cbtHardeningLevel: 'Strict' }));
    try {
      expect(await handshake(strict.httpsPort, false)).toBe(401);
      expect(await handshake(strict.httpsPort, true)).toBe(200);
    } finally {
      await strict.close();
      rmSync(d, { recursive: true, force: true });
    }
  });
});
