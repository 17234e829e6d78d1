// Independent cross-check of our NTLM server helper (ntlm/server.ts), sealing and message framing:
// Debian's python3-winrm (pywinrm + requests_ntlm + ntlm-auth, a separate NTLM implementation) talks
// to an endpoint built only from those helpers, over HTTP with message encryption and over HTTPS with
// channel binding required.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MiniWsmanServer } from './support/mini-wsman-server.js';
import { makeTestCa, type TestCa } from './support/test-ca.js';

const USER = 'Administrator';
const PASSWORD = 'Cr0ss-check!';
const dir = mkdtempSync(join(tmpdir(), 'pywinrm-'));
// pywinrm's NTLM needs MD4, which OpenSSL 3 only offers through the legacy provider.
const opensslConf = join(dir, 'openssl.cnf');
writeFileSync(
  opensslConf,
  ['openssl_conf = init', '[init]', 'providers = prov', '[prov]', 'default = dflt', 'legacy = lgcy', '[dflt]', 'activate = 1', '[lgcy]', 'activate = 1', ''].join('\n'),
);
const script = join(dir, 'client.py');
writeFileSync(
  script,
  [
    'import json, sys, winrm',
    'url, ca, cmd = sys.argv[1], sys.argv[2], sys.argv[3]',
    "kw = {'ca_trust_path': ca} if ca else {}",
    "s = winrm.Session(url, auth=(sys.argv[4], sys.argv[5]), transport='ntlm', **kw)",
    'r = s.run_cmd(cmd)',
    "print(json.dumps({'rc': r.status_code, 'out': r.std_out.decode(), 'err': r.std_err.decode()}))",
  ].join('\n'),
);

function pywinrm(url: string, cmd: string, ca = '', password = PASSWORD): Promise<{ rc: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/python3', [script, url, ca, cmd, USER, password], { env: { ...process.env, OPENSSL_CONF: opensslConf }, timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`pywinrm failed: ${stderr.split('\n').filter(Boolean).slice(-1)[0] ?? err.message}`));
      else resolve(JSON.parse(stdout) as { rc: number; out: string; err: string });
    });
  });
}

describe('python3-winrm against our NTLM server helpers', () => {
  let ca: TestCa;
  let plain: MiniWsmanServer;
  let tls: MiniWsmanServer;
  let httpPort: number;
  let httpsPort: number;
  beforeAll(async () => {
    ca = makeTestCa();
    plain = new MiniWsmanServer({ user: USER, password: PASSWORD });
    tls = new MiniWsmanServer({ user: USER, password: PASSWORD, tls: { key: ca.key, cert: ca.cert } });
    httpPort = await plain.listen();
    httpsPort = await tls.listen();
  });
  afterAll(async () => {
    await plain.close();
    await tls.close();
  });

  it('HTTP with NTLM message encryption: output and exit code', async () => {
    const r = await pywinrm(`http://127.0.0.1:${httpPort}/wsman`, "echo hello from $(echo sealed); echo warn >&2; exit 7");
    expect(r).toEqual({ rc: 7, out: 'hello from sealed\n', err: 'warn\n' });
    expect(plain.handshakes).toBe(1);
  });

  it('HTTPS with NTLM and a channel binding the server requires', async () => {
    const r = await pywinrm(`https://localhost:${httpsPort}/wsman`, 'printf tls-ok', ca.caFile);
    expect(r).toEqual({ rc: 0, out: 'tls-ok', err: '' });
  });

  it('a wrong password is refused', async () => {
    await expect(pywinrm(`http://127.0.0.1:${httpPort}/wsman`, 'true', '', 'nope')).rejects.toThrow(/credentials were rejected/);
  });
});
