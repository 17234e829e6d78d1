// Through the real CLI on the local connection: vaulted group_vars (made by ansible-vault), a vaulted
// vars_files entry with a vault id (made by fleetplay), and an inline `!vault` value (made by
// `ansible-vault encrypt_string`) decrypt transparently; what they reveal never appears in output or
// the JSON report; a wrong or missing password is one error naming the file, exit 2, nothing run.
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptVault } from '../../src/engine/vault/index.js';
import { fleetplay } from '../support/cli.js';
import { workspace, type Workspace } from '../support/workspace.js';

const run = promisify(execFile);
// Names no secret rule would catch: only the vault marks them.
const GROUP_SECRET = 'Zebra-Quartz-7781';
const FILE_SECRET = 'Walrus-Bishop-4410';
const INLINE_SECRET = 'Otter-Comet-9902';

let ws: Workspace;

beforeAll(async () => {
  ws = await workspace('vault-run');
  await mkdir(ws.path('group_vars/all'), { recursive: true });
  await mkdir(ws.path('out'));
  await writeFile(ws.path('pw'), 'correct horse\n');
  await writeFile(ws.path('wrong'), 'not it\n');
  // A vault id script, as `--vault-id prod@prod-pass.sh`.
  await writeFile(ws.path('prod-pass.sh'), '#!/bin/sh\necho "battery staple"\n');
  await chmod(ws.path('prod-pass.sh'), 0o755);
  await writeFile(ws.path('hosts.ini'), 'localhost ansible_connection=local\n');
  await writeFile(ws.path('group_vars/all/vault.yml'), `db_conn: ${GROUP_SECRET}\n`);
  await writeFile(ws.path('group_vars/all/plain.yml'), 'db_conn_ref: "{{ db_conn }}"\n');
  await writeFile(ws.path('secrets.yml'), encryptVault(`file_value: ${FILE_SECRET}\n`, 'battery staple', { label: 'prod' }));
  const [, inline] = await Promise.all([
    run('/usr/bin/ansible-vault', ['encrypt', '--vault-password-file', ws.path('pw'), ws.path('group_vars/all/vault.yml')]),
    run('/usr/bin/ansible-vault', ['encrypt_string', '--vault-password-file', ws.path('pw'), '--name', 'inline_value', INLINE_SECRET]),
  ]);
  const indented = inline.stdout.trimEnd().split('\n').map((l) => `    ${l}`).join('\n');
  await writeFile(
    ws.path('site.yml'),
    `- hosts: all
  gather_facts: false
  vars_files:
    - secrets.yml
  vars:
${indented}
  tasks:
    - debug: var=db_conn_ref
    - debug:
        msg: "file {{ file_value }} inline {{ inline_value }}"
    - copy:
        content: "{{ db_conn }} {{ file_value }} {{ inline_value }}\\n"
        dest: ${ws.path('out/used.txt')}
`,
  );
}, 120_000);

afterAll(async () => ws?.remove());

const secretsIn = (text: string) => [GROUP_SECRET, FILE_SECRET, INLINE_SECRET].filter((s) => text.includes(s));

describe('vaulted variables in a run', () => {
  it('decrypts vaulted files and inline values, and masks what they reveal everywhere', async () => {
    const r = await fleetplay(
      ['site.yml', '-i', 'hosts.ini', '--vault-password-file', 'pw', '--vault-id', 'prod@prod-pass.sh', '--json', 'report.json', '-v'],
      { cwd: ws.dir },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await readFile(ws.path('out/used.txt'), 'utf8')).toBe(`${GROUP_SECRET} ${FILE_SECRET} ${INLINE_SECRET}\n`);
    expect(r.stdout).toContain('********');
    expect(secretsIn(r.stdout)).toEqual([]);
    expect(secretsIn(await readFile(ws.path('report.json'), 'utf8'))).toEqual([]);
  });

  it('reads inline vault values in a YAML inventory', async () => {
    const word = 'Gannet-Mosaic-5150';
    const body = encryptVault(word, 'correct horse').trimEnd().split('\n').map((l) => `        ${l}`).join('\n');
    await writeFile(ws.path('hosts.yml'), `all:\n  hosts:\n    localhost:\n      ansible_connection: local\n      inv_word: !vault |\n${body}\n`);
    await writeFile(ws.path('inv.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: var=inv_word\n    - copy:\n        content: "{{ inv_word }}"\n        dest: ${ws.path('out/inv.txt')}\n`);
    const r = await fleetplay(['inv.yml', '-i', 'hosts.yml', '--vault-password-file', 'pw'], { cwd: ws.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(ws.path('out/inv.txt'), 'utf8')).toBe(word);
    expect(r.stdout).toContain('"inv_word": "********"');
    expect(r.stdout).not.toContain(word);
  });

  it('takes the default password from ANSIBLE_VAULT_PASSWORD_FILE', async () => {
    const r = await fleetplay(['site.yml', '-i', 'hosts.ini', '--vault-id', 'prod@prod-pass.sh', '--check'], {
      cwd: ws.dir,
      env: { ANSIBLE_VAULT_PASSWORD_FILE: ws.path('pw') },
    });
    expect(r.code).toBe(0);
    expect(secretsIn(r.stdout + r.stderr)).toEqual([]);
  });

  it('a wrong password is one error naming the file, exit 2, and nothing runs', async () => {
    await writeFile(ws.path('out/used.txt'), 'before\n');
    const r = await fleetplay(['site.yml', '-i', 'hosts.ini', '--vault-password-file', 'wrong', '--vault-id', 'prod@prod-pass.sh'], { cwd: ws.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain('PLAY');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^fleetplay: .*site\.yml:6:\d+: decryption failed: no vault password fits \(tried vault ids: prod, default\); nothing was run\n$/);
    expect(await readFile(ws.path('out/used.txt'), 'utf8')).toBe('before\n');
  });

  it('names a vaulted group_vars file that does not open', async () => {
    await writeFile(ws.path('plain.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: var=db_conn_ref\n');
    const r = await fleetplay(['plain.yml', '-i', 'hosts.ini', '--vault-password-file', 'wrong'], { cwd: ws.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^fleetplay: \S*group_vars\/all\/vault\.yml: decryption failed: no vault password fits \(tried vault ids: default\); nothing was run\n$/);
  });

  it('a vaulted file with no password given says how to give one', async () => {
    const r = await fleetplay(['site.yml', '-i', 'hosts.ini'], { cwd: ws.dir, env: { ANSIBLE_VAULT_PASSWORD_FILE: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no vault password was given \(use --vault-password-file, --vault-id or --ask-vault-pass\); nothing was run/);
    expect(r.stdout).toBe('');
  });
});
