// Vaults in YAML as the loader reads them: inline `!vault` values and fully encrypted files open with
// the keyring's passwords, announce what they reveal, and fail at the value's own position.
import { afterEach, describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/engine/load/yaml-source.js';
import { encryptVault, onVaultReveal, setVaultSecrets, VaultError } from '../../../src/engine/vault/index.js';

const secret = (password: string, label = 'default') => ({ label, password: Buffer.from(password) });
const inline = (text: string, password: string) => encryptVault(text, password).trimEnd().split('\n').map((l) => `  ${l}`).join('\n');

afterEach(() => setVaultSecrets([]));

describe('vaults in YAML', () => {
  it('opens inline values and whole files, announcing every revealed value', () => {
    const revealed: string[] = [];
    const stop = onVaultReveal((v) => revealed.push(...v));
    setVaultSecrets([secret('other'), secret('pw')]);
    const src = parseYaml(`plain: 1\nword: !vault |\n${inline('Crane-Velvet', 'pw')}\n`, 'vars.yml');
    expect(src.value).toEqual({ plain: 1, word: 'Crane-Velvet' });
    const whole = parseYaml(encryptVault('a: Lynx-Mortar\nb: [7001, x]\n', 'pw'), 'all.yml');
    expect(whole.value).toEqual({ a: 'Lynx-Mortar', b: [7001, 'x'] });
    expect(whole.locs['/a']).toEqual({ file: 'all.yml', line: 1, col: 4 });
    stop();
    expect(revealed).toEqual(['Crane-Velvet', 'Lynx-Mortar', '7001', 'x']);
  });

  it('a wrong password fails at the inline value, naming file:line:col', () => {
    setVaultSecrets([secret('wrong')]);
    const text = `a: 1\nb:\n  c: !vault |\n${inline('x', 'pw').replace(/^/gm, '  ')}\n`;
    expect(() => parseYaml(text, 'group_vars/all.yml')).toThrow(new VaultError('decryption failed: no vault password fits (tried vault ids: default)', 'group_vars/all.yml:3:13'));
  });

  it('without passwords, a vault says how to give one', () => {
    expect(() => parseYaml(encryptVault('a: 1\n', 'pw'), 'f.yml')).toThrow(/^f\.yml: encrypted with Ansible Vault, but no vault password was given/);
  });
});
