// Authentication and host key checking against real lab sshd hosts.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UnreachableError } from '../../../../src/engine/contract/diagnostics.js';
import { SshConnection } from '../../../../src/engine/connection/ssh/index.js';
import { startLab, type TestLab } from '../../../support/lab-fixture.js';

const run = promisify(execFile);
const opts = { sshConfigFile: '/dev/null' };
let lab: TestLab;
let dir: string;
let agent: ChildProcess | undefined;
let proxy: Server | undefined;

async function keygen(name: string, args: string[]): Promise<string> {
  const file = join(dir, name);
  await run('ssh-keygen', ['-q', '-C', name, '-f', file, ...args]);
  return file;
}

/** Exec `whoami` on a fresh connection with these vars; always closes. */
async function whoami(host: string, vars: Record<string, unknown>, user?: string): Promise<string> {
  const c = new SshConnection(lab.spec(host, vars, user), opts);
  try {
    return (await c.exec('whoami')).stdout.trim();
  } finally {
    await c.close();
  }
}

const knownHostsArgs = (file: string, extra = '') => ({ ansible_ssh_common_args: `-o UserKnownHostsFile=${file} -o GlobalKnownHostsFile=/dev/null ${extra}` });

beforeAll(async () => {
  lab = await startLab({ linux: 2 });
  dir = await mkdtemp(join(tmpdir(), 'fleetplay-ssh-auth-'));
  const keys = [
    await keygen('id_rsa', ['-t', 'rsa', '-b', '2048', '-N', '']),
    await keygen('id_ecdsa', ['-t', 'ecdsa', '-b', '256', '-N', '']),
    await keygen('id_enc', ['-t', 'ed25519', '-a', '8', '-N', 'open sesame']),
    await keygen('id_agent', ['-t', 'ed25519', '-N', '']),
  ];
  const pubs = (await Promise.all(keys.map((k) => readFile(`${k}.pub`, 'utf8')))).join('');
  const admin = new SshConnection(lab.spec('linux-01'), opts);
  await admin.exec('cat >> ~/.ssh/authorized_keys', { stdin: pubs });
  await admin.close();
}, 60_000);

afterAll(async () => {
  agent?.kill();
  proxy?.close();
  await lab?.down();
  await rm(dir, { recursive: true, force: true });
});

describe('authentication', () => {
  it.each(['id_rsa', 'id_ecdsa'])('authenticates with a %s key file', async (name) => {
    expect(await whoami('linux-01', { ansible_ssh_private_key_file: join(dir, name) })).toBe('fleet');
  });

  it('decrypts an encrypted key once per process, however many connections use it', async () => {
    const spy = vi.spyOn(ssh2.utils, 'parseKey');
    try {
      const vars = { ansible_ssh_private_key_file: join(dir, 'id_enc'), ansible_ssh_private_key_passphrase: 'open sesame' };
      const users = await Promise.all([whoami('linux-01', vars), whoami('linux-01', vars), whoami('linux-01', vars)]);
      expect(users).toEqual(['fleet', 'fleet', 'fleet']);
      const encCalls = spy.mock.calls.filter((c) => c[1] === 'open sesame');
      expect(encCalls).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('explains an encrypted key without (or with a wrong) passphrase', async () => {
    const err = await whoami('linux-01', { ansible_ssh_private_key_file: join(dir, 'id_enc') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toMatch(/authentication failed .*id_enc is encrypted: set ansible_ssh_private_key_passphrase/);
    const wrong = await whoami('linux-01', { ansible_ssh_private_key_file: join(dir, 'id_enc'), ansible_ssh_private_key_passphrase: 'nope' }).catch((e: Error) => e);
    expect((wrong as Error).message).toMatch(/id_enc/);
    expect((wrong as Error).message).not.toContain('nope');
  });

  it('authenticates with a password, and says which methods failed otherwise', async () => {
    const vars = { ansible_ssh_common_args: `-o UserKnownHostsFile=${lab.info.files.knownHosts} -o IdentityAgent=none -o IdentityFile=${join(dir, 'missing')}` };
    const ok = new SshConnection({ ...lab.spec('linux-02', {}, 'fleet'), vars, password: lab.info.users.password }, opts);
    expect((await ok.exec('whoami')).stdout).toBe('fleet\n');
    await ok.close();
    const bad = new SshConnection({ ...lab.spec('linux-02', {}, 'fleet'), vars, password: 'wrong-password' }, opts);
    const err = await bad.connect().catch((e: Error) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toMatch(/fleet@198\.18\.\d+\.\d+: authentication failed \(tried password; identity file .*missing not found\)/);
    expect((err as Error).message).not.toContain('wrong-password');
  });

  it('authenticates through ssh-agent', async () => {
    const sock = join(dir, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(await access(sock).then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 20));
    await run('ssh-add', ['-q', join(dir, 'id_agent')], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
    const vars = { ansible_ssh_common_args: `-o UserKnownHostsFile=${lab.info.files.knownHosts} -o IdentityAgent=${sock}` };
    const c = new SshConnection({ ...lab.spec('linux-01'), vars }, opts);
    expect((await c.exec('whoami')).stdout).toBe('fleet\n');
    await c.close();
  });
});

describe('host key checking', () => {
  const hostKey = (name: string) => lab.host(name).hostKey!.split(' ').slice(0, 2).join(' ');

  it('strict refuses an unknown host, naming it and the key fingerprint', async () => {
    const empty = join(dir, 'empty_known_hosts');
    await writeFile(empty, '');
    const err = await whoami('linux-01', knownHostsArgs(empty)).catch((e: Error) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toMatch(new RegExp(`host key for ${lab.host('linux-01').address.replace(/\./g, '\\.')} is not known \\(ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}\\)`));
  });

  it('accept-new records the key, then strict accepts it', async () => {
    const file = join(dir, 'kh_accept');
    expect(await whoami('linux-01', knownHostsArgs(file, '-o StrictHostKeyChecking=accept-new'))).toBe('fleet');
    const text = await readFile(file, 'utf8');
    expect(text).toBe(`${lab.host('linux-01').address} ${hostKey('linux-01')}\n`);
    expect(await whoami('linux-01', knownHostsArgs(file))).toBe('fleet');
  });

  it('refuses a changed key under strict and accept-new alike', async () => {
    const file = join(dir, 'kh_wrong');
    await writeFile(file, `${lab.host('linux-01').address} ${hostKey('linux-02')}\n`);
    for (const policy of ['yes', 'accept-new']) {
      const err = await whoami('linux-01', knownHostsArgs(file, `-o StrictHostKeyChecking=${policy}`)).catch((e: Error) => e);
      expect((err as Error).message).toMatch(/HOST KEY MISMATCH for 198\.18\.\d+\.\d+: the server presented ssh-ed25519 SHA256:\S+ but known_hosts has ssh-ed25519 SHA256:\S+ \(.*kh_wrong:1\)/);
    }
    expect(await readFile(file, 'utf8')).toBe(`${lab.host('linux-01').address} ${hostKey('linux-02')}\n`);
  });

  it('accepts hashed entries (ssh-keygen -H)', async () => {
    const file = join(dir, 'kh_hashed');
    await writeFile(file, await readFile(lab.info.files.knownHosts, 'utf8'));
    await run('ssh-keygen', ['-H', '-f', file]);
    expect(await readFile(file, 'utf8')).toMatch(/^\|1\|/);
    expect(await whoami('linux-02', knownHostsArgs(file))).toBe('fleet');
  });

  it('refuses a key marked @revoked', async () => {
    const file = join(dir, 'kh_revoked');
    await writeFile(file, `${lab.host('linux-01').address} ${hostKey('linux-01')}\n@revoked * ${hostKey('linux-01')}\n`);
    const err = await whoami('linux-01', knownHostsArgs(file)).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/is marked @revoked in .*kh_revoked:2/);
  });

  it('checks [host]:port entries on a non-standard port', async () => {
    const target = lab.host('linux-02');
    proxy = createServer((c) => {
      const up = connect(22, target.address);
      c.pipe(up).pipe(c);
      up.on('error', () => c.destroy());
      c.on('error', () => up.destroy());
    });
    await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', () => r()));
    const port = (proxy.address() as { port: number }).port;
    const spec = (file: string) => ({ ...lab.spec('linux-02', knownHostsArgs(file)), address: '127.0.0.1', port });
    const plainOnly = join(dir, 'kh_plain');
    await writeFile(plainOnly, `127.0.0.1 ${hostKey('linux-02')}\n`);
    const err = await new SshConnection(spec(plainOnly), opts).connect().catch((e: Error) => e);
    expect((err as Error).message).toContain(`host key for [127.0.0.1]:${port} is not known`);
    const bracketed = join(dir, 'kh_port');
    await writeFile(bracketed, `[127.0.0.1]:${port} ${hostKey('linux-02')}\n`);
    const c = new SshConnection(spec(bracketed), opts);
    expect((await c.exec('hostname')).stdout).toBe('linux-02\n');
    await c.close();
  });

  it('connects without checking only when told to (off)', async () => {
    expect(await whoami('linux-02', knownHostsArgs('/dev/null', '-o StrictHostKeyChecking=no'))).toBe('fleet');
    expect(await whoami('linux-02', { ...knownHostsArgs('/dev/null'), ansible_ssh_host_key_checking: false })).toBe('fleet');
  });
});
