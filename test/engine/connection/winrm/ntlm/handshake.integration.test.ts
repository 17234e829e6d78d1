// Full NTLM handshakes between our client and our server helpers: MIC, key exchange, channel
// bindings, wrong credentials, tampering.
import { describe, expect, it } from 'vitest';
import { NtlmClient, splitUser } from '../../../../../src/engine/connection/winrm/ntlm/client.js';
import { buildChallenge, serverContext, verifyAuthenticate } from '@fleetplay/lab/ntlm-server';
import { MIC_OFFSET, decodeAuthenticate, decodeChallenge, NegotiateFlags } from '../../../../../src/engine/connection/winrm/ntlm/messages.js';
import { tlsServerEndPointBindings, certificateBindingHash } from '../../../../../src/engine/connection/winrm/ntlm/channel-bindings.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const identity = { computerName: 'WINLAB01' };
const accounts: Record<string, string> = { administrator: 'S3cret!pw' };
const lookup = (user: string) => accounts[user.toLowerCase()];

function handshake(user: string, password: string, opts: { cbt?: Buffer; serverCbt?: Buffer; tamper?: (b: Buffer) => void } = {}) {
  const client = new NtlmClient({ user, password }, { channelBindings: opts.cbt, targetName: 'HTTP/winlab01' });
  const negotiate = client.negotiate();
  const { message: challenge } = buildChallenge(negotiate, identity);
  const auth = client.authenticate(challenge);
  opts.tamper?.(auth.message);
  const result = verifyAuthenticate(auth.message, challenge, lookup, { negotiate, channelBindings: opts.serverCbt });
  return { auth, result, challenge };
}

describe('NTLM handshake client ↔ server', () => {
  it('authenticates, agrees on the session key and seals both ways', () => {
    const { auth, result, challenge } = handshake('Administrator', 'S3cret!pw');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user).toBe('Administrator');
    const c = decodeChallenge(challenge);
    expect(c.flags & NegotiateFlags.KEY_EXCH).toBeTruthy();
    expect(decodeAuthenticate(auth.message).mic).toBeDefined();
    const server = serverContext(result);
    const up = auth.context.seal(Buffer.from('<s:Envelope>request</s:Envelope>'));
    expect(server.unseal(up.sealed, up.signature).toString()).toBe('<s:Envelope>request</s:Envelope>');
    const down = server.seal(Buffer.from('response'));
    expect(auth.context.unseal(down.sealed, down.signature).toString()).toBe('response');
  });

  it('accepts DOMAIN\\user and passes the domain to the lookup', () => {
    expect(splitUser('LAB\\Administrator')).toEqual({ domain: 'LAB', user: 'Administrator' });
    expect(splitUser('admin@lab.local')).toEqual({ domain: '', user: 'admin@lab.local' });
    const seen: string[] = [];
    const client = new NtlmClient({ user: 'LAB\\Administrator', password: 'S3cret!pw' });
    const negotiate = client.negotiate();
    const { message: challenge } = buildChallenge(negotiate, identity);
    const r = verifyAuthenticate(client.authenticate(challenge).message, challenge, (u, d) => (seen.push(`${d}\\${u}`), lookup(u)), { negotiate });
    expect(r.ok).toBe(true);
    expect(seen).toEqual(['LAB\\Administrator']);
  });

  it('refuses a wrong password or unknown user with the same message', () => {
    const bad = handshake('Administrator', 'wrong').result;
    const unknown = handshake('nobody', 'S3cret!pw').result;
    expect(bad).toEqual({ ok: false, error: 'logon failure: unknown user name or bad password' });
    expect(unknown).toEqual(bad);
  });

  it('detects a tampered AUTHENTICATE through the MIC', () => {
    const { result } = handshake('Administrator', 'S3cret!pw', { tamper: (b) => void (b[MIC_OFFSET] = b[MIC_OFFSET]! ^ 0xff) });
    expect(result).toEqual({ ok: false, error: 'NTLM message integrity check (MIC) failed' });
    const flagsFlip = handshake('Administrator', 'S3cret!pw', { tamper: (b) => void (b[60] = b[60]! & ~0x20) }).result;
    expect(flagsFlip.ok).toBe(false);
  });

  it('checks channel bindings when both sides have them', () => {
    const good = Buffer.alloc(16, 1);
    expect(handshake('Administrator', 'S3cret!pw', { cbt: good, serverCbt: good }).result.ok).toBe(true);
    expect(handshake('Administrator', 'S3cret!pw', { serverCbt: good }).result.ok).toBe(true);
    const strictNone = verifyStrict();
    expect(strictNone).toEqual({ ok: false, error: 'NTLM channel binding required (extended protection) but the client sent none' });
    const wrong = handshake('Administrator', 'S3cret!pw', { cbt: Buffer.alloc(16, 2), serverCbt: good }).result;
    expect(wrong).toEqual({ ok: false, error: 'NTLM channel binding does not match this TLS connection' });
  });

  it('never throws on garbage', () => {
    const client = new NtlmClient({ user: 'a', password: 'b' });
    const { message: challenge } = buildChallenge(client.negotiate(), identity);
    const r = verifyAuthenticate(Buffer.from('NTLMSSP\0\x03\0\0\0garbage'), challenge, lookup);
    expect(r.ok).toBe(false);
    expect(() => client.authenticate(Buffer.from('not ntlm'))).toThrow(/NTLM/);
  });
});

function verifyStrict() {
  const client = new NtlmClient({ user: 'Administrator', password: 'S3cret!pw' });
  const negotiate = client.negotiate();
  const { message: challenge } = buildChallenge(negotiate, identity);
  return verifyAuthenticate(client.authenticate(challenge).message, challenge, lookup, {
    negotiate,
    channelBindings: Buffer.alloc(16, 1),
    channelBindingPolicy: 'strict',
  });
}

describe('TLS channel bindings', () => {
  it('hashes per the certificate signature algorithm', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbt-'));
    const make = (digest: string) => {
      const pem = join(dir, `${digest}.pem`);
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', pem, '-days', '1', '-subj', '/CN=x', `-${digest}`], { stdio: 'ignore' });
      const b64 = readFileSync(pem, 'utf8').replace(/-----[^-]+-----|\s/g, '');
      return Buffer.from(b64, 'base64');
    };
    const c256 = make('sha256');
    const c384 = make('sha384');
    expect(certificateBindingHash(c256)).toBe('sha256');
    expect(certificateBindingHash(c384)).toBe('sha384');
    expect(tlsServerEndPointBindings(c256)).toHaveLength(16);
    expect(tlsServerEndPointBindings(c256).equals(tlsServerEndPointBindings(c384))).toBe(false);
  });
});
