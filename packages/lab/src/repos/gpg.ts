// The lab's repository signing keys: a trusted archive key the hosts are configured with, and a
// rogue key nothing trusts (metadata signed with it must fail GPG checking). Made with gpg in a
// private home directory that lives inside the repository cache, never in the machine's keyrings.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool } from '../run-tool.js';

export interface SigningKey {
  home: string;
  fingerprint: string;
}

const gpgArgs = (home: string) => ['--homedir', home, '--batch', '--yes', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', ''];

export async function makeKey(home: string, uid: string): Promise<SigningKey> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  // RSA: every rpm and apt build verifies it; no expiry, so a cached repository never goes stale.
  await runTool('gpg', [...gpgArgs(home), '--quick-generate-key', uid, 'rsa2048', 'sign', 'never']);
  const list = await runTool('gpg', ['--homedir', home, '--batch', '--with-colons', '--list-secret-keys']);
  const fpr = list.stdout.split('\n').find((l) => l.startsWith('fpr:'))?.split(':')[9];
  if (!fpr) throw new Error(`lab: gpg made no key for ${uid}`);
  return { home, fingerprint: fpr };
}

/** Binary (apt keyring) and armored (rpm) exports of the public key. */
export async function exportKey(key: SigningKey, binaryFile: string, armoredFile: string): Promise<void> {
  await writeFile(binaryFile, await exportBinary(key.home, key.fingerprint));
  const armored = await runTool('gpg', ['--homedir', key.home, '--batch', '--armor', '--export', key.fingerprint]);
  await writeFile(armoredFile, armored.stdout);
}

async function exportBinary(home: string, fingerprint: string): Promise<Buffer> {
  const tmp = join(home, 'export.tmp');
  await runTool('gpg', ['--homedir', home, '--batch', '--yes', '--output', tmp, '--export', fingerprint]);
  const data = await readFile(tmp);
  await rm(tmp);
  return data;
}

/** InRelease (clear-signed) and Release.gpg (detached) for an apt suite. */
export async function signRelease(key: SigningKey, release: string): Promise<void> {
  const dir = release.replace(/\/Release$/, '');
  await runTool('gpg', [...gpgArgs(key.home), '--local-user', key.fingerprint, '--digest-algo', 'SHA256', '--clearsign', '--output', join(dir, 'InRelease'), release]);
  await runTool('gpg', [...gpgArgs(key.home), '--local-user', key.fingerprint, '--digest-algo', 'SHA256', '--armor', '--detach-sign', '--output', join(dir, 'Release.gpg'), release]);
}

/** repomd.xml.asc for a dnf repository (checked when repo_gpgcheck=1). */
export async function signRepomd(key: SigningKey, repomd: string): Promise<void> {
  await runTool('gpg', [...gpgArgs(key.home), '--local-user', key.fingerprint, '--armor', '--detach-sign', '--output', `${repomd}.asc`, repomd]);
}

/** Signs rpm headers in place (checked when gpgcheck=1). */
export async function signRpms(key: SigningKey, files: readonly string[]): Promise<void> {
  if (files.length === 0) return;
  await runTool('rpmsign', ['--define', '__gpg /usr/bin/gpg', '--define', `_gpg_path ${key.home}`, '--define', `_gpg_name ${key.fingerprint}`, '--addsign', ...files], { label: 'rpmsign --addsign' });
}
