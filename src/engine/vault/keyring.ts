// The run's vault passwords and what they revealed. Loading is spread over many layers (playbooks,
// inventory group_vars/host_vars, vars_files, -e @file, vars_files templated at run time) that all
// parse YAML through one function; the keyring lets that function open vaults without every layer
// passing passwords on.
// Whatever a vault reveals is announced to listeners (the CLI's redactor) the moment it is decrypted,
// so a value decrypted mid-run (a templated vars_files entry) is masked before any event can carry it.
import { decryptVault, type VaultSecret } from './format.js';

let secrets: readonly VaultSecret[] = [];
const listeners = new Set<(values: string[]) => void>();

export function setVaultSecrets(list: readonly VaultSecret[]): void {
  secrets = list;
}

export function vaultSecrets(): readonly VaultSecret[] {
  return secrets;
}

/** Calls `fn` with the plaintext values of every vault opened from now on. */
export function onVaultReveal(fn: (values: string[]) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function announceRevealed(values: string[]): void {
  if (values.length) for (const fn of listeners) fn(values);
}

/** Decrypts an envelope with the run's passwords; throws VaultError naming `source`. */
export function openVault(text: string, source: string): string {
  const plain = decryptVault(text, secrets, source).toString('utf8');
  return plain;
}

/** Every string or number at any depth: the secrets a fully vaulted file holds. */
export function scalarsOf(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') out.push(String(v));
  else if (Array.isArray(v)) for (const x of v) scalarsOf(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) scalarsOf(x, out);
  return out;
}
