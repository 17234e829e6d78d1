// Interop with Debian's real ansible-vault, both ways: what fleetplay writes, ansible-vault opens,
// and what ansible-vault writes, fleetplay opens. The vectors are made fresh by the tool in each run.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptVault, encryptVault, parseVault, tryDecrypt, VaultError } from '../../../src/engine/vault/index.js';
import { workspace, type Workspace } from '../../support/workspace.js';

const run = promisify(execFile);
const ANSIBLE_VAULT = '/usr/bin/ansible-vault';
// Multi-line UTF-8; the second is exactly 32 bytes, so its padding is one whole extra block.
const TEXTS = { one: 'db_password: s3cr€t\nlist:\n  - a\n', aligned: '0123456789abcdef0123456789abcdef' };

let ws: Workspace;
const fromAnsible: Record<string, string> = {};
const decryptedByAnsible: Record<string, string> = {};

beforeAll(async () => {
  ws = await workspace('vault-format');
  await writeFile(ws.path('pw-default'), 'correct horse\n');
  await writeFile(ws.path('pw-prod'), 'battery staple');
  for (const [k, t] of Object.entries(TEXTS)) {
    await writeFile(ws.path(`a-${k}`), t);
    await writeFile(ws.path(`b-${k}`), t);
    // fleetplay's envelopes for ansible-vault to open: 1.1 for the default id, 1.2 with a label.
    await writeFile(ws.path(`f11-${k}`), encryptVault(t, 'correct horse'));
    await writeFile(ws.path(`f12-${k}`), encryptVault(t, 'battery staple', { label: 'prod' }));
  }
  const keys = Object.keys(TEXTS);
  const ids = ['--vault-id', `default@${ws.path('pw-default')}`, '--vault-id', `prod@${ws.path('pw-prod')}`];
  await Promise.all([
    run(ANSIBLE_VAULT, ['encrypt', '--vault-password-file', ws.path('pw-default'), ...keys.map((k) => ws.path(`a-${k}`))]),
    run(ANSIBLE_VAULT, ['encrypt', '--vault-id', `prod@${ws.path('pw-prod')}`, '--encrypt-vault-id', 'prod', ...keys.map((k) => ws.path(`b-${k}`))]),
    run(ANSIBLE_VAULT, ['decrypt', ...ids, ...keys.flatMap((k) => [ws.path(`f11-${k}`), ws.path(`f12-${k}`)])]),
  ]);
  for (const k of keys) {
    fromAnsible[`a-${k}`] = await readFile(ws.path(`a-${k}`), 'utf8');
    fromAnsible[`b-${k}`] = await readFile(ws.path(`b-${k}`), 'utf8');
    decryptedByAnsible[`f11-${k}`] = await readFile(ws.path(`f11-${k}`), 'utf8');
    decryptedByAnsible[`f12-${k}`] = await readFile(ws.path(`f12-${k}`), 'utf8');
  }
}, 120_000);

afterAll(async () => ws?.remove());

describe('Ansible Vault format', () => {
  it('writes envelopes that ansible-vault decrypts (1.1 and 1.2 with a vault id)', () => {
    for (const [k, t] of Object.entries(TEXTS)) {
      expect(decryptedByAnsible[`f11-${k}`]).toBe(t);
      expect(decryptedByAnsible[`f12-${k}`]).toBe(t);
    }
  });

  it("decrypts ansible-vault's own 1.1 and 1.2 envelopes", () => {
    const secrets = [{ label: 'default', password: Buffer.from('correct horse\n'.trim()) }, { label: 'prod', password: Buffer.from('battery staple') }];
    for (const [k, t] of Object.entries(TEXTS)) {
      const a = fromAnsible[`a-${k}`]!;
      const b = fromAnsible[`b-${k}`]!;
      expect(a.startsWith('$ANSIBLE_VAULT;1.1;AES256\n')).toBe(true);
      expect(b.startsWith('$ANSIBLE_VAULT;1.2;AES256;prod\n')).toBe(true);
      expect(parseVault(b).label).toBe('prod');
      expect(decryptVault(a, secrets).toString('utf8')).toBe(t);
      expect(decryptVault(b, secrets).toString('utf8')).toBe(t);
    }
  });

  it('wraps the body at 80 columns and uses a fresh salt each time', () => {
    const a = encryptVault('x', 'pw');
    const b = encryptVault('x', 'pw');
    expect(a).not.toBe(b);
    const body = a.trimEnd().split('\n').slice(1);
    expect(body.slice(0, -1).every((l) => l.length === 80)).toBe(true);
    expect(body.at(-1)!.length).toBeLessThanOrEqual(80);
  });

  it('a wrong password is a clear error naming the file, not garbage', () => {
    const text = fromAnsible['a-one']!;
    expect(tryDecrypt(parseVault(text), 'wrong')).toBeUndefined();
    expect(() => decryptVault(text, [{ label: 'default', password: Buffer.from('wrong') }], 'group_vars/all/vault.yml')).toThrow(
      new VaultError('decryption failed: no vault password fits (tried vault ids: default)', 'group_vars/all/vault.yml'),
    );
    expect(() => decryptVault(text, [], 'x.yml')).toThrow(/x\.yml: encrypted with Ansible Vault, but no vault password was given/);
  });

  it('rejects malformed envelopes with a reason', () => {
    expect(() => parseVault('$ANSIBLE_VAULT;1.0;AES\nabc\n', 'v')).toThrow(/v: unsupported vault format version '1\.0'/);
    expect(() => parseVault('$ANSIBLE_VAULT;1.1;AES\n00\n')).toThrow(/unsupported vault cipher 'AES'/);
    expect(() => parseVault('$ANSIBLE_VAULT;1.1;AES256\nzz\n')).toThrow(/body is not hex/);
    expect(() => parseVault('hello')).toThrow(/not a vault/);
    const cut = fromAnsible['a-one']!.trimEnd().split('\n').slice(0, -1).join('\n');
    expect(() => parseVault(cut)).toThrow(VaultError);
  });
});
