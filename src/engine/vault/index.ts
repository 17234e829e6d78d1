export { decryptVault, encryptVault, isVaulted, parseVault, tryDecrypt, VAULT_MARKER, VaultError } from './format.js';
export type { EncryptOptions, VaultEnvelope, VaultSecret } from './format.js';
export { announceRevealed, onVaultReveal, openVault, scalarsOf, setVaultSecrets, vaultSecrets } from './keyring.js';
