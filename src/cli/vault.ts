// `fleetplay vault encrypt|decrypt|view|encrypt_string|rekey|edit`: ansible-vault's commands, writing
// envelopes ansible-vault reads and reading the ones it writes. Files change by temp file + rename,
// so an interrupted command leaves either the old file or the new one, never half of either.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Command } from 'commander';
import { ExitCode, UsageError } from '../engine/contract/diagnostics.js';
import { decryptVault, encryptVault, isVaulted, VaultError, type VaultSecret } from '../engine/vault/index.js';
import { promptPassword, readVaultSecrets, type VaultPasswordOptions } from './vault-passwords.js';

interface CommonOptions extends VaultPasswordOptions {
  encryptVaultId?: string;
  output?: string;
}

const collect = (v: string, prior: string[]) => [...prior, v];

function withPasswords(cmd: Command): Command {
  return cmd
    .option('--vault-id <id>', 'vault password as label@source: a file, an executable script, or prompt (repeatable)', collect, [])
    .option('--vault-password-file <file>', 'vault password file, or a script printing it (repeatable)', collect, [])
    .option('-J, --ask-vault-pass', 'prompt for the vault password (not echoed)');
}

function withEncryptId(cmd: Command): Command {
  return cmd.option('--encrypt-vault-id <label>', 'the vault id to encrypt with, when several passwords are given');
}

/** Passwords for opening; for encrypting, a prompt when none was given (as ansible-vault asks). */
async function secretsFor(opts: VaultPasswordOptions, promptIfNone: boolean): Promise<VaultSecret[]> {
  const secrets = await readVaultSecrets(opts);
  if (secrets.length === 0 && promptIfNone) return [{ label: 'default', password: await promptPassword('New Vault password: ') }];
  if (secrets.length === 0) throw new UsageError('no vault password given: use --vault-password-file, --vault-id or --ask-vault-pass (or set ANSIBLE_VAULT_PASSWORD_FILE)');
  return secrets;
}

function encryptingSecret(secrets: VaultSecret[], label: string | undefined): VaultSecret {
  if (label !== undefined) {
    const hit = secrets.find((s) => s.label === label);
    if (!hit) throw new UsageError(`--encrypt-vault-id '${label}': no password was given for that vault id`);
    return hit;
  }
  if (secrets.length > 1) throw new UsageError(`several vault passwords given (${secrets.map((s) => s.label).join(', ')}): choose one with --encrypt-vault-id`);
  return secrets[0]!;
}

function seal(plain: Buffer | string, s: VaultSecret): string {
  return encryptVault(plain, s.password, s.label === 'default' ? {} : { label: s.label });
}

function readInput(file: string): Buffer {
  try {
    return file === '-' ? readFileSync(0) : readFileSync(file);
  } catch (err) {
    throw new UsageError(`cannot read '${file}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** Replaces `file` whole, keeping its mode (0600 for a new file). */
export function writeAtomic(file: string, data: string | Buffer): void {
  if (file === '-') {
    process.stdout.write(data);
    return;
  }
  let mode = 0o600;
  try {
    mode = statSync(file).mode & 0o7777;
  } catch {
    // a new file
  }
  const tmp = join(dirname(file), `.${basename(file)}.fleetplay-${process.pid}.tmp`);
  try {
    writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
    chmodSync(tmp, mode);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new UsageError(`cannot write '${file}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

function open(file: string, secrets: VaultSecret[]): Buffer {
  const text = readInput(file).toString('utf8');
  if (!isVaulted(text)) throw new UsageError(`'${file}' is not encrypted with Ansible Vault`);
  return decryptVault(text, secrets, file === '-' ? 'stdin' : file);
}

function targets(files: string[], output: string | undefined): { input: string; output: string }[] {
  if (files.length === 0) return [{ input: '-', output: output ?? '-' }];
  if (output !== undefined && files.length > 1) throw new UsageError('--output takes one input file');
  return files.map((f) => ({ input: f, output: output ?? f }));
}

/** Runs a vault action; a vault no password opens exits 2, naming the file. */
function action<A extends unknown[]>(fn: (...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    try {
      await fn(...args);
      process.exitCode = ExitCode.ok;
    } catch (err) {
      if (!(err instanceof VaultError)) throw err;
      process.stderr.write(`fleetplay vault: ${err.message}\n`);
      process.exitCode = ExitCode.hostFailed;
    }
  };
}

export function vaultCommand(): Command {
  const command = new Command('vault').description('encrypt and decrypt Ansible Vault files and values (compatible with ansible-vault)');

  withEncryptId(withPasswords(command.command('encrypt')))
    .description('encrypt files in place (stdin to stdout without files)')
    .argument('[files...]')
    .option('--output <file>', 'write here instead (- for stdout)')
    .action(action(async (files: string[], opts: CommonOptions) => {
      const secret = encryptingSecret(await secretsFor(opts, true), opts.encryptVaultId);
      for (const t of targets(files, opts.output)) {
        const plain = readInput(t.input);
        if (isVaulted(plain)) throw new UsageError(`'${t.input}' is already encrypted`);
        writeAtomic(t.output, seal(plain, secret));
      }
      if (files.length) process.stderr.write('Encryption successful\n');
    }));

  withPasswords(command.command('decrypt'))
    .description('decrypt files in place (stdin to stdout without files)')
    .argument('[files...]')
    .option('--output <file>', 'write here instead (- for stdout)')
    .action(action(async (files: string[], opts: CommonOptions) => {
      const secrets = await secretsFor(opts, false);
      for (const t of targets(files, opts.output)) writeAtomic(t.output, open(t.input, secrets));
      if (files.length) process.stderr.write('Decryption successful\n');
    }));

  withPasswords(command.command('view'))
    .description('print decrypted files')
    .argument('<files...>')
    .action(action(async (files: string[], opts: CommonOptions) => {
      const secrets = await secretsFor(opts, false);
      for (const f of files) process.stdout.write(open(f, secrets));
    }));

  withEncryptId(withPasswords(command.command('encrypt_string')))
    .description('print values as inline `!vault |` YAML (stdin when no value is given)')
    .argument('[values...]')
    .option('-n, --name <name>', 'variable name for each value, in order (repeatable)', collect, [])
    .option('--stdin-name <name>', 'variable name for the value read from stdin')
    .action(action(async (values: string[], opts: CommonOptions & { name: string[]; stdinName?: string }) => {
      const secret = encryptingSecret(await secretsFor(opts, true), opts.encryptVaultId);
      const items = values.length
        ? values.map((v, i) => ({ value: v, name: opts.name[i] }))
        : [{ value: readInput('-').toString('utf8'), name: opts.stdinName ?? opts.name[0] }];
      const blocks = items.map(({ value, name }) => {
        const body = seal(value, secret).trimEnd().split('\n').map((l) => `          ${l}`).join('\n');
        return `${name === undefined ? '' : `${name}: `}!vault |\n${body}\n`;
      });
      process.stdout.write(blocks.join('\n'));
      process.stderr.write('Encryption successful\n');
    }));

  withPasswords(command.command('rekey'))
    .description('encrypt files again with a new password')
    .argument('<files...>')
    .option('--new-vault-password-file <file>', 'the new password file or script')
    .option('--new-vault-id <id>', 'the new password as label@source')
    .action(action(async (files: string[], opts: CommonOptions & { newVaultPasswordFile?: string; newVaultId?: string }) => {
      const secrets = await secretsFor(opts, false);
      const fresh = await readVaultSecrets({
        ...(opts.newVaultId ? { vaultId: [opts.newVaultId] } : {}),
        ...(opts.newVaultPasswordFile ? { vaultPasswordFile: [opts.newVaultPasswordFile] } : {}),
      }, {});
      const secret = fresh[0] ?? { label: 'default', password: await promptPassword('New Vault password: ') };
      const plains = files.map((f) => open(f, secrets)); // every file opens before any is rewritten
      files.forEach((f, i) => writeAtomic(f, seal(plains[i]!, secret)));
      process.stderr.write('Rekey successful\n');
    }));

  withEncryptId(withPasswords(command.command('edit')))
    .description('decrypt a file into $EDITOR and encrypt the result again (a new file if it does not exist)')
    .argument('<file>')
    .action(action(async (file: string, opts: CommonOptions) => {
      let exists = true;
      try {
        statSync(file);
      } catch {
        exists = false;
      }
      const secrets = await secretsFor(opts, !exists);
      const plain = exists ? open(file, secrets) : Buffer.alloc(0);
      const secret = encryptingSecret(secrets, opts.encryptVaultId);
      // The clear text lives only in a private directory, removed whatever happens.
      const dir = mkdtempSync(join(tmpdir(), 'fleetplay-vault-'));
      try {
        const tmp = join(dir, basename(file));
        writeFileSync(tmp, plain, { mode: 0o600 });
        const editor = process.env.EDITOR || process.env.VISUAL || 'vi';
        // Through sh, as EDITOR may carry arguments (`code --wait`).
        const r = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'sh', tmp], { stdio: 'inherit' });
        if (r.status !== 0) throw new UsageError(`editor '${editor}' exited with ${r.status ?? r.signal}; '${file}' is unchanged`);
        const edited = readFileSync(tmp);
        if (exists && edited.equals(plain)) return;
        writeAtomic(file, seal(edited, secret));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }));
  return command;
}
