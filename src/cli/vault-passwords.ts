// Where vault passwords come from, as ansible-playbook takes them: --vault-id label@source
// (repeatable; source a file, an executable script, or `prompt`), --vault-password-file (the
// `default` id), --ask-vault-pass, and ANSIBLE_VAULT_PASSWORD_FILE when no file was named.
import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { promisify } from 'node:util';
import { UsageError } from '../engine/contract/diagnostics.js';
import type { VaultSecret } from '../engine/vault/index.js';

export interface VaultPasswordOptions {
  vaultId?: string[];
  vaultPasswordFile?: string[];
  askVaultPass?: boolean;
}

const run = promisify(execFile);

export async function readVaultSecrets(opts: VaultPasswordOptions, env = process.env): Promise<VaultSecret[]> {
  const wanted: { label: string; source: string }[] = [];
  for (const id of opts.vaultId ?? []) {
    const at = id.indexOf('@');
    wanted.push(at < 0 ? { label: 'default', source: id } : { label: id.slice(0, at) || 'default', source: id.slice(at + 1) });
  }
  const files = opts.vaultPasswordFile?.length ? opts.vaultPasswordFile : env.ANSIBLE_VAULT_PASSWORD_FILE ? [env.ANSIBLE_VAULT_PASSWORD_FILE] : [];
  for (const f of files) wanted.push({ label: 'default', source: f });
  if (opts.askVaultPass) wanted.push({ label: 'default', source: 'prompt' });
  const out: VaultSecret[] = [];
  for (const w of wanted) {
    const password = w.source === 'prompt' ? await promptPassword(w.label === 'default' ? 'Vault password: ' : `Vault password (${w.label}): `) : await fromFile(w.source, w.label);
    if (password.length === 0) throw new UsageError(`vault password for id '${w.label}' is empty (from ${w.source})`);
    out.push({ label: w.label, password });
  }
  return out;
}

/** A plain file's content (surrounding whitespace stripped), or an executable's stdout (line ends stripped). */
async function fromFile(file: string, label: string): Promise<Buffer> {
  const path = resolve(file);
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new UsageError(`vault password file '${file}' not found`);
  }
  if (!isFile) throw new UsageError(`vault password file '${file}' is not a file`);
  if (!isExecutable(path)) return Buffer.from(readFileSync(path, 'utf8').trim(), 'utf8');
  // A "client" script (name ending in -client) is told which vault id is wanted, as Ansible does.
  const args = /-client(\.[^.]*)?$/.test(basename(path)) ? ['--vault-id', label] : [];
  try {
    const { stdout } = await run(path, args, { encoding: 'buffer', maxBuffer: 1 << 20 });
    return Buffer.from(stdout.toString('utf8').replace(/^[\r\n]+|[\r\n]+$/g, ''), 'utf8');
  } catch (err) {
    const e = err as { code?: unknown; stderr?: Buffer };
    const why = e.stderr?.length ? `: ${e.stderr.toString('utf8').trim()}` : '';
    throw new UsageError(`vault password script '${file}' failed (exit ${String(e.code)})${why}`);
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Reads a line without echo on a terminal; from a pipe, just the first line. */
export async function promptPassword(prompt: string, input: NodeJS.ReadStream = process.stdin): Promise<Buffer> {
  return new Promise((done, fail) => {
    let text = '';
    const tty = input.isTTY;
    // Echo goes off before the prompt shows, so a password typed the moment it appears is not echoed.
    if (tty) input.setRawMode(true);
    process.stderr.write(prompt);
    input.setEncoding('utf8');
    const finish = (err?: Error) => {
      input.off('data', onData);
      input.off('end', onEnd);
      if (tty) input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (err) fail(err);
      else done(Buffer.from(text, 'utf8'));
    };
    const onData = (chunk: string) => {
      for (const [i, ch] of [...chunk].entries()) {
        if (ch === '\r' || ch === '\n') {
          // The rest of a piped chunk belongs to the next prompt (several `--vault-id x@prompt`).
          const rest = [...chunk].slice(i + 1).join('').replace(/^\n/, '');
          finish();
          if (rest) input.unshift(rest);
          return;
        }
        if (ch === '\u0003') return finish(new UsageError('vault password prompt interrupted'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    const onEnd = () => finish();
    input.on('data', onData);
    input.on('end', onEnd);
    if (input.readableEnded) return finish();
    input.resume();
  });
}
