// A playbook whose secrets live in Ansible Vault runs on a real lab host: a group_vars file that
// ansible-vault encrypted and an inline `!vault` value that fleetplay encrypted. The host gets the
// clear values; no output (-vvv, --diff) and no JSON report carries them.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { encryptVault } from '../../src/engine/vault/index.js';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const run = promisify(execFile);
const H = 'linux-01';
const lab = useLab({ linux: 1 });
// Names no secret-name rule would catch: only the vault marks these values.
const GROUP_SECRET = 'Magpie-Lantern-3307';
const INLINE_SECRET = 'Bison-Harbor-6612';
const CONF = '/etc/fleetplay-vault-app.conf';

describe('vaulted variables on a lab host', () => {
  it('uses the clear values on the host and shows them nowhere', async () => {
    const dir = `${lab.work}/vault`;
    await mkdir(`${dir}/group_vars/all`, { recursive: true });
    await writeFile(`${dir}/pw`, 'lab vault pass\n');
    await writeFile(`${dir}/group_vars/all/vault.yml`, `app_conn: ${GROUP_SECRET}\n`);
    await run('/usr/bin/ansible-vault', ['encrypt', '--vault-password-file', `${dir}/pw`, `${dir}/group_vars/all/vault.yml`]);
    const inline = encryptVault(INLINE_SECRET, 'lab vault pass').trimEnd().split('\n').map((l) => `        ${l}`).join('\n');
    await writeFile(
      `${dir}/site.yml`,
      `- hosts: all
  gather_facts: false
  become: true
  vars:
    app_word: !vault |
${inline}
  tasks:
    - name: write the app config
      copy:
        content: "conn={{ app_conn }} word={{ app_word }}\\n"
        dest: ${CONF}
        mode: "0600"
    - name: use the inline value in a command
      shell: echo "{{ app_word }}" | wc -c
      register: counted
    - debug: var=app_conn
    - debug: var=counted
`,
    );
    const json = `${dir}/report.json`;
    const r = await fleetplay([`${dir}/site.yml`, '-i', lab.inventory, '--vault-password-file', `${dir}/pw`, '--diff', '-vvv', '--json', json]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(recap(r.stdout)[H]).toMatchObject({ changed: 2, failed: 0 });
    expect(await lab.files(H, [CONF])).toEqual({ [CONF]: `conn=${GROUP_SECRET} word=${INLINE_SECRET}\n` });
    const everything = r.stdout + r.stderr + (await readFile(json, 'utf8'));
    expect(everything).toContain('********');
    expect([GROUP_SECRET, INLINE_SECRET].filter((s) => everything.includes(s))).toEqual([]);

    await writeFile(`${dir}/wrong`, 'not the lab vault pass\n');
    const wrong = await fleetplay([`${dir}/site.yml`, '-i', lab.inventory, '--vault-id', `${dir}/wrong`]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/\/vault\/site\.yml:5:22: decryption failed: no vault password fits \(tried vault ids: default\); nothing was run\n$/);
    expect(wrong.stdout).toBe('');
  });
});
