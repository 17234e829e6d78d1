// Secrets never appear in stdout, -vvv output, the JSON report or error messages: the real CLI runs a
// playbook that moves secrets every way it can (inventory passwords, become and WinRM passwords, -e
// values, play vars, vars_files, set_fact, no_log successes and failures, an SSH server and a WinRM
// endpoint that refuse the password), and everything it writes is searched for the marker.
import { createServer, type Server as HttpServer } from 'node:http';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASK, Redactor, secretValues } from '../../src/engine/report/redact.js';
import { runCli } from '../support/cli-contract.js';
import { STACK_TRACE } from '../support/located.js';
import { workspace, type Workspace } from '../support/workspace.js';

const MARKER = 'S3cr3t';

let ws: Workspace;
let sshServer: ssh2.Server;
let winrmServer: HttpServer;
const sshAttempts: string[] = [];
let winrmAttempts = 0;

/** Every file under `dir` (recursively) as [relative path, content]. */
async function readTree(dir: string): Promise<Array<[string, string]>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const out: Array<[string, string]> = [];
  for (const e of entries) if (e.isFile()) out.push([join(e.parentPath, e.name), await readFile(join(e.parentPath, e.name), 'utf8')]);
  return out;
}

async function listen(server: { listen: (port: number, host: string, cb: () => void) => unknown; address: () => AddressInfo | string | null }): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  ws = await workspace('secrets', 'secrets');
  await mkdir(ws.path('out'));
  // An SSH server that asks for a password and refuses it: the password does travel, and fails.
  const hostKey = ssh2.utils.generateKeyPairSync('ed25519').private;
  sshServer = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password') sshAttempts.push(ctx.password);
      ctx.reject(['password']);
    });
    client.on('error', () => {});
  });
  const sshPort = await listen(sshServer);
  // A WinRM endpoint that refuses every credential.
  winrmServer = createServer((req, res) => {
    winrmAttempts++;
    req.resume();
    res.writeHead(401, { 'WWW-Authenticate': 'Negotiate', 'Content-Length': '0' });
    res.end();
  });
  const winrmPort = await listen(winrmServer);
  const out = ws.path('out');
  await writeFile(
    ws.path('inventory.ini'),
    [
      '[local]',
      `h1 ansible_connection=local out=${out} ansible_password=S3cr3t-inventory-pw ansible_become_password=S3cr3t-become-pw`,
      '[remote]',
      `sshhost ansible_connection=ssh ansible_host=127.0.0.1 ansible_port=${sshPort} ansible_user=fleet ansible_password=S3cr3t-ssh-pw`,
      `winhost ansible_connection=winrm ansible_host=127.0.0.1 ansible_port=${winrmPort} ansible_winrm_scheme=http ansible_user=Administrator ansible_password=S3cr3t-winrm-pw`,
      '',
    ].join('\n'),
  );
  await writeFile(ws.path('extra.yml'), 'file_secret: S3cr3t-e-file-31\n');
});

afterAll(async () => {
  sshServer?.close();
  winrmServer?.close();
  await ws?.remove();
});

describe('secrets', () => {
  it('never reach stdout, -vvv, the JSON report or error messages; the hosts still get the real values', async () => {
    const report = ws.path('report.json');
    const args = [ws.path('play.yml'), '-i', ws.path('inventory.ini'), '-e', 'cli_password=S3cr3t-e-kv-55', '-e', '{"json_token": "S3cr3t-e-json-66"}', '-e', `@${ws.path('extra.yml')}`];
    // Handler journals (the first run leaves a handler owed; the second runs it first) go to our dir.
    const env = { FLEETPLAY_STATE_DIR: ws.path('state') };
    const verbose = await runCli([...args, '-vvvv', '--diff', '--json', report, '--host-key-checking', 'off', '-T', '5'], { cwd: ws.dir, env });
    const journals = await readTree(ws.path('state'));
    const quiet = await runCli([...args, '--host-key-checking', 'off', '-T', '5'], { cwd: ws.dir, env });
    const json = await readFile(report, 'utf8');
    expect(journals.length, 'the failed run journals the handler it owes').toBeGreaterThan(0);

    const outputs: Array<[string, string]> = [['stdout -vvvv', verbose.stdout], ['stderr -vvvv', verbose.stderr], ['stdout', quiet.stdout], ['stderr', quiet.stderr], ['JSON report', json]];
    for (const [file, text] of [...journals, ...(await readTree(ws.path('state')))]) outputs.push([`journal ${file}`, text]);
    for (const [what, text] of outputs) {
      const at = text.indexOf(MARKER);
      expect(at, `${what} leaks a secret: ...${text.slice(Math.max(0, at - 200), at + 100)}...`).toBe(-1);
      expect(text, what).not.toMatch(STACK_TRACE);
    }
    // The run did happen: the failure paths were taken and the masked values were there to mask.
    expect(verbose.code).toBe(2);
    expect(verbose.stdout).toContain(`"msg": "cannot continue with ${MASK} and ${MASK}"`);
    // The second run found the journaled handler (and the journal was read with secrets in play).
    expect(quiet.stdout).toMatch(/handler pending from an earlier run on h1: restart the agent/);
    expect(verbose.stdout).toContain(MASK);
    expect(verbose.stdout).toMatch(/sshhost.*unreachable=1/);
    expect(verbose.stdout).toMatch(/winhost.*unreachable=1/);
    expect(verbose.stdout).toMatch(/h1 +: ok=\d+ +changed=\d+ +unreachable=0 +failed=1/);
    expect(sshAttempts).toContain('S3cr3t-ssh-pw');
    expect(winrmAttempts).toBeGreaterThan(0);
    // -vvv's connection lines and -vvvv's transport traces were there to search (and were masked).
    expect(verbose.stdout).toMatch(/<h1> ESTABLISH LOCAL CONNECTION TO local/);
    expect(verbose.stdout).toMatch(/<h1> EXEC .+\n<h1> EXEC: rc=\d+ \(\d+\.\d\ds\)/);
    expect(verbose.stdout).toMatch(/<sshhost> ESTABLISH SSH CONNECTION TO ssh fleet@127\.0\.0\.1:\d+/);
    expect(verbose.stdout).toMatch(/<sshhost> ssh fleet@127\.0\.0\.1:\d+: .*USERAUTH/);
    expect(verbose.stdout).toMatch(/<winhost> POST http:\/\/127\.0\.0\.1:\d+\/wsman .*Authorization: Negotiate …/);
    expect(verbose.stdout).toMatch(/<winhost> HTTP 401 \(0 bytes, .*\) WWW-Authenticate: Negotiate/);
    expect(quiet.stdout).not.toMatch(/ESTABLISH|<h1> EXEC/);
    expect(JSON.parse(json)).toBeTypeOf('object');
    // The host got the real secrets; only output is masked.
    expect(await readFile(ws.path('out/creds'), 'utf8')).toBe('db=S3cr3t-play-77a inv=S3cr3t-inventory-pw e=S3cr3t-e-kv-55 f=S3cr3t-varsfile-4c1\n');
  }, 120_000);
});

describe('what counts as secret', () => {
  it('masks values of secret-named variables at any depth, longest first, in keys and JSON-escaped forms', () => {
    const values = secretValues({ ansible_password: 'pw-1234', db: { admin_pass: 'x"y\\z1', port: 5432 }, client_token: 98765, list: ['not-secret'], api_key: ['k-one', 'k-two'], ab: 'short' });
    expect(values.sort()).toEqual(['98765', 'k-one', 'k-two', 'pw-1234', 'x"y\\z1'].sort());
    // Where a secret is kept is not itself secret: -vvv must be able to say which key file was tried.
    expect(secretValues({ ansible_ssh_private_key_file: '/keys/id_fleet', vault_password_file: '/etc/fleet/vault.pw', token_path: '/run/t' })).toEqual([]);
    const r = new Redactor();
    r.add([...values, 'pw-1234-longer', 'abc']);
    expect(r.text('use pw-1234-longer and pw-1234, port 5432, not abc')).toBe(`use ${MASK} and ${MASK}, port 5432, not abc`);
    expect(r.value({ msg: JSON.stringify({ p: 'x"y\\z1' }), 'k-one': ['k-two'] })).toEqual({ msg: `{"p":"${MASK}"}`, [MASK]: [MASK] });
  });
});
