// `fleetplay vault ...` through the built CLI, checked against Debian's ansible-vault both ways.
import { execFile } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetplay } from '../support/cli.js';
import { workspace, type Workspace } from '../support/workspace.js';

const run = promisify(execFile);
const vault = (args: string[]) => run('/usr/bin/ansible-vault', args);
const TEXT = 'api: Heron-Plinth-5521\nport: 8443\n';

let ws: Workspace;
const pw = () => ['--vault-password-file', ws.path('pw')];

beforeAll(async () => {
  ws = await workspace('vault-cli');
  await writeFile(ws.path('pw'), 'correct horse\n');
  await writeFile(ws.path('pw-new'), 'battery staple\n');
  await writeFile(ws.path('wrong'), 'nope\n');
}, 30_000);

afterAll(async () => ws?.remove());

describe('fleetplay vault', () => {
  it('encrypt writes a file ansible-vault views; decrypt and view read what ansible-vault wrote (with a vault id)', async () => {
    await writeFile(ws.path('ours.yml'), TEXT, { mode: 0o640 });
    await writeFile(ws.path('theirs.yml'), TEXT);
    const enc = await fleetplay(['vault', 'encrypt', ...pw(), 'ours.yml'], { cwd: ws.dir });
    expect([enc.code, enc.stderr]).toEqual([0, 'Encryption successful\n']);
    expect((await stat(ws.path('ours.yml'))).mode & 0o777).toBe(0o640);
    expect(await readFile(ws.path('ours.yml'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n/);
    const [viewed] = await Promise.all([
      vault(['view', ...pw(), ws.path('ours.yml')]),
      vault(['encrypt', '--vault-id', `prod@${ws.path('pw')}`, '--encrypt-vault-id', 'prod', ws.path('theirs.yml')]),
    ]);
    expect(viewed.stdout).toBe(TEXT);
    const view = await fleetplay(['vault', 'view', '--vault-id', `prod@${ws.path('pw')}`, 'theirs.yml'], { cwd: ws.dir });
    expect([view.code, view.stdout]).toEqual([0, TEXT]);
    const dec = await fleetplay(['vault', 'decrypt', ...pw(), 'theirs.yml'], { cwd: ws.dir });
    expect(dec.code).toBe(0);
    expect(await readFile(ws.path('theirs.yml'), 'utf8')).toBe(TEXT);
  });

  it('encrypt_string prints inline values that Ansible reads', async () => {
    const r = await fleetplay(['vault', 'encrypt_string', ...pw(), '--encrypt-vault-id', 'default', '--name', 'token_x', 'Kestrel-Anvil 77'], { cwd: ws.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^token_x: !vault \|\n {10}\$ANSIBLE_VAULT;1\.1;AES256\n( {10}[0-9a-f]{1,80}\n)+$/);
    await writeFile(ws.path('inline.yml'), r.stdout);
    const shown = await run('/usr/bin/ansible', ['localhost', '-c', 'local', '-i', 'localhost,', '-m', 'debug', '-a', 'var=token_x', '-e', `@${ws.path('inline.yml')}`, ...pw()]);
    expect(shown.stdout).toContain('"token_x": "Kestrel-Anvil 77"');
  });

  it('rekey changes the password, as ansible-vault sees it', async () => {
    await writeFile(ws.path('re.yml'), TEXT);
    expect((await fleetplay(['vault', 'encrypt', ...pw(), 're.yml'], { cwd: ws.dir })).code).toBe(0);
    const r = await fleetplay(['vault', 'rekey', ...pw(), '--new-vault-password-file', 'pw-new', 're.yml'], { cwd: ws.dir });
    expect([r.code, r.stderr]).toEqual([0, 'Rekey successful\n']);
    const viewed = await vault(['view', '--vault-password-file', ws.path('pw-new'), ws.path('re.yml')]);
    expect(viewed.stdout).toBe(TEXT);
  });

  it('edit opens the clear text in $EDITOR and encrypts the result', async () => {
    await writeFile(ws.path('ed.yml'), TEXT);
    await fleetplay(['vault', 'encrypt', ...pw(), 'ed.yml'], { cwd: ws.dir });
    const r = await fleetplay(['vault', 'edit', ...pw(), 'ed.yml'], { cwd: ws.dir, env: { EDITOR: "printf 'extra: 1\\n' >>" } });
    expect(r.code).toBe(0);
    const after = await readFile(ws.path('ed.yml'), 'utf8');
    expect(after.startsWith('$ANSIBLE_VAULT;1.1;AES256\n')).toBe(true);
    const view = await fleetplay(['vault', 'view', ...pw(), 'ed.yml'], { cwd: ws.dir });
    expect(view.stdout).toBe(`${TEXT}extra: 1\n`);
  });

  it('a wrong password names the file, exits 2 and leaves the file as it was', async () => {
    await writeFile(ws.path('w.yml'), TEXT);
    await fleetplay(['vault', 'encrypt', ...pw(), 'w.yml'], { cwd: ws.dir });
    const before = await readFile(ws.path('w.yml'), 'utf8');
    const r = await fleetplay(['vault', 'decrypt', '--vault-password-file', 'wrong', 'w.yml'], { cwd: ws.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('fleetplay vault: w.yml: decryption failed: no vault password fits (tried vault ids: default)\n');
    expect(await readFile(ws.path('w.yml'), 'utf8')).toBe(before);
  });

  it('refuses to encrypt twice, and to decrypt a plain file', async () => {
    await writeFile(ws.path('p.yml'), TEXT);
    const dec = await fleetplay(['vault', 'decrypt', ...pw(), 'p.yml'], { cwd: ws.dir });
    expect([dec.code, dec.stderr]).toEqual([5, "fleetplay: 'p.yml' is not encrypted with Ansible Vault\n"]);
    await fleetplay(['vault', 'encrypt', ...pw(), 'p.yml'], { cwd: ws.dir });
    const again = await fleetplay(['vault', 'encrypt', ...pw(), 'p.yml'], { cwd: ws.dir });
    expect([again.code, again.stderr]).toEqual([5, "fleetplay: 'p.yml' is already encrypted\n"]);
  });
});
