// Vault passwords from a prompt and from scripts, through the built CLI: on a terminal the password
// is not echoed; from a pipe, several prompts read one line each; a `*-client` script is asked for
// the vault id it should print.
import { execFile, spawn } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptVault } from '../../src/engine/vault/index.js';
import { BIN, fleetplay } from '../support/cli.js';
import { workspace, type Workspace } from '../support/workspace.js';

const run = promisify(execFile);
// A terminal for the CLI: wait for the prompt, type the password, collect everything shown.
const PTY_DRIVER = `
import os, pty, sys, select, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
out = b''
def pump(stop, timeout):
    global out
    end = time.time() + timeout
    while time.time() < end and not stop(out):
        if select.select([fd], [], [], 0.2)[0]:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                return
            if not chunk:
                return
            out += chunk
pump(lambda o: b'password: ' in o, 60)
os.write(fd, sys.argv[1].encode() + b'\\r')
pump(lambda o: False, 60)
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(status))
`;

let ws: Workspace;

beforeAll(async () => {
  ws = await workspace('vault-prompt');
  await writeFile(ws.path('a.yml'), encryptVault('a: first\n', 'Puffin-Alpha', { label: 'a' }));
  await writeFile(ws.path('b.yml'), encryptVault('b: second\n', 'Puffin-Bravo', { label: 'b' }));
  await writeFile(ws.path('d.yml'), encryptVault('d: third\n', 'Puffin-Delta'));
});

afterAll(async () => ws?.remove());

function withStdin(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ws.dir, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('vault password prompts and scripts', () => {
  it('--ask-vault-pass on a terminal does not echo the password', async () => {
    const r = await run('python3', ['-c', PTY_DRIVER, 'Puffin-Delta', process.execPath, BIN, 'vault', 'view', '--ask-vault-pass', ws.path('d.yml')]);
    expect(r.stdout.replace(/\r\n/g, '\n')).toBe('Vault password: \nd: third\n');
  });

  it('several prompts from a pipe read one line each', async () => {
    const r = await withStdin(['vault', 'view', '--vault-id', 'a@prompt', '--vault-id', 'b@prompt', 'a.yml', 'b.yml'], 'Puffin-Alpha\nPuffin-Bravo\n');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('a: first\nb: second\n');
    expect(r.stderr).toBe('Vault password (a): \nVault password (b): \n');
  });

  it('a prompt that gets nothing is a usage error', async () => {
    const r = await withStdin(['vault', 'view', '--ask-vault-pass', 'd.yml'], '');
    expect([r.code, r.stderr]).toEqual([5, "Vault password: \nfleetplay: vault password for id 'default' is empty (from prompt)\n"]);
  });

  it('a *-client script is asked for the vault id; a failing script is named', async () => {
    await writeFile(ws.path('vault-client.sh'), '#!/bin/sh\n[ "$1" = --vault-id ] || exit 9\ncase "$2" in a) echo Puffin-Alpha;; b) echo Puffin-Bravo;; esac\n');
    await writeFile(ws.path('broken.sh'), '#!/bin/sh\necho "no keyring here" >&2\nexit 3\n');
    await chmod(ws.path('vault-client.sh'), 0o755);
    await chmod(ws.path('broken.sh'), 0o755);
    const r = await fleetplay(['vault', 'view', '--vault-id', 'b@vault-client.sh', '--vault-id', 'a@vault-client.sh', 'a.yml', 'b.yml'], { cwd: ws.dir });
    expect([r.code, r.stdout]).toEqual([0, 'a: first\nb: second\n']);
    const bad = await fleetplay(['vault', 'view', '--vault-password-file', 'broken.sh', 'd.yml'], { cwd: ws.dir });
    expect([bad.code, bad.stderr]).toEqual([5, "fleetplay: vault password script 'broken.sh' failed (exit 3): no keyring here\n"]);
  });
});
