// exec, file operations and become over real SSH, against lab hosts (real OpenSSH sshd).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshConnection } from '../../../../src/engine/connection/ssh/index.js';
import { startLab, type TestLab } from '../../../support/lab-fixture.js';

let lab: TestLab;
let conn: SshConnection;
let scratch: string;
const run = { sshConfigFile: '/dev/null' };

beforeAll(async () => {
  // MaxSessions 4 on the hosts: concurrency beyond it must go through the pool's retry.
  lab = await startLab({ linux: 2, maxSessions: 4 });
  conn = new SshConnection(lab.spec('linux-01'), run);
  await conn.connect();
  scratch = await mkdtemp(join(tmpdir(), 'fleetplay-ssh-exec-'));
});

afterAll(async () => {
  await conn?.close();
  await lab?.down();
  await rm(scratch, { recursive: true, force: true });
});

describe('exec', () => {
  it('separates stdout and stderr and returns the exit code', async () => {
    const r = await conn.exec('echo out; echo err >&2; exit 3');
    expect(r).toEqual({ rc: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('reports a signal with rc -1', async () => {
    const r = await conn.exec('kill -TERM $$');
    expect(r.rc).toBe(-1);
    expect(r.signal).toBe('SIGTERM');
  });

  it('decodes multi-byte UTF-8 split across chunks byte for byte', async () => {
    const line = 'aé€😀\n';
    const r = await conn.exec(`yes 'aé€😀' | head -n 30000`);
    expect(r.stdout.length).toBe(line.length * 30000);
    expect(r.stdout).toBe(line.repeat(30000));
  });

  it('carries 10 MB of output', async () => {
    const r = await conn.exec(`head -c 10000000 /dev/zero | tr '\\0' x`);
    expect(r.rc).toBe(0);
    expect(r.stdout.length).toBe(10_000_000);
    expect(/^x+$/.test(r.stdout)).toBe(true);
  });

  it('feeds stdin, binary-safe, and closes it', async () => {
    const data = randomBytes(300_000);
    const r = await conn.exec('sha256sum', { stdin: data });
    expect(r.stdout.split(' ')[0]).toBe(createHash('sha256').update(data).digest('hex'));
    const none = await conn.exec('cat; echo done');
    expect(none.stdout).toBe('done\n');
  });

  it('applies cwd and env inside the command', async () => {
    const r = await conn.exec('pwd; echo "$GREETING"', { cwd: '/var/lib/fleethost', env: { GREETING: "it's me" } });
    expect(r.stdout).toBe("/var/lib/fleethost\nit's me\n");
  });

  it('runs many commands at once on one connection beyond the server MaxSessions', async () => {
    const wide = new SshConnection(lab.spec('linux-02'), { ...run, maxChannels: 12 });
    try {
      const results = await Promise.all(Array.from({ length: 60 }, (_, i) => wide.exec(`echo ${i}`)));
      expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 60 }, (_, i) => `${i}\n`));
    } finally {
      await wide.close();
    }
  });

  it('times out a command and says so', async () => {
    const started = Date.now();
    const r = await conn.exec('sleep 20', { timeoutMs: 300 });
    expect(r.rc).toBe(-1);
    expect(r.stderr).toContain('timed out after 300 ms');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops on an AbortSignal', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('stop now')), 200);
    await expect(conn.exec('sleep 20', { signal: ac.signal })).rejects.toThrow('stop now');
    // The connection is still usable afterwards.
    expect((await conn.exec('echo ok')).stdout).toBe('ok\n');
  });
});

describe('become', () => {
  it('runs as root with passwordless sudo, keeping stdin for the command', async () => {
    const r = await conn.exec('id -un; cat', { become: { method: 'sudo', user: 'root' }, stdin: 'payload' });
    expect(r).toEqual({ rc: 0, stdout: 'root\npayload', stderr: '' });
  });

  it('runs as another user (become_user)', async () => {
    const r = await conn.exec('id -un', { become: { method: 'sudo', user: lab.info.users.passwordSudo } });
    expect(r.stdout).toBe(`${lab.info.users.passwordSudo}\n`);
  });

  it('answers the sudo password prompt without a pty and keeps the streams apart', async () => {
    const pw = new SshConnection(lab.spec('linux-01', {}, lab.info.users.passwordSudo), run);
    try {
      const become = { method: 'sudo' as const, user: 'root', password: lab.info.users.password };
      const r = await pw.exec('id -un; cat; echo to-stderr >&2', { become, stdin: 'line1\nline2\n' });
      expect(r).toEqual({ rc: 0, stdout: 'root\nline1\nline2\n', stderr: 'to-stderr\n' });
      expect(r.stdout + r.stderr).not.toContain(lab.info.users.password);
      // A file write under become with a password: the data reaches the file, not sudo.
      await pw.writeFile('/etc/fleet-become.conf', 'written as root\n', { become, mode: 0o600 });
      const back = await pw.readFile('/etc/fleet-become.conf', { become });
      expect(back?.data.toString()).toBe('written as root\n');
      expect(back?.stat).toMatchObject({ owner: 'root', mode: 0o600 });
    } finally {
      await pw.close();
    }
  });

  it('fails clearly on a wrong become password and never echoes it', async () => {
    const pw = new SshConnection(lab.spec('linux-02', {}, lab.info.users.passwordSudo), run);
    try {
      const r = await pw.exec('id -un', { become: { method: 'sudo', user: 'root', password: 'not-the-password' } });
      expect(r.rc).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('become failed: the become password was rejected');
      expect(r.stderr).not.toContain('not-the-password');
    } finally {
      await pw.close();
    }
  });

  it('falls back to a terminal when sudo requires one (requiretty), normalising its output', async () => {
    const root = { method: 'sudo' as const, user: 'root' };
    const rule = `Defaults:${lab.info.users.passwordSudo} requiretty\n`;
    await conn.writeFile('/etc/sudoers.d/zz-requiretty', rule, { become: root, mode: 0o440 });
    const other = new SshConnection(lab.spec('linux-01', {}, lab.info.users.passwordSudo), run);
    try {
      const become = { method: 'sudo' as const, user: 'root', password: lab.info.users.password };
      const r = await other.exec('id -un; echo to-stderr >&2', { become });
      expect(r).toEqual({ rc: 0, stdout: 'root\nto-stderr\n', stderr: '' });
      const withInput = await other.exec('cat', { become, stdin: 'data' });
      expect(withInput.rc).not.toBe(0);
      expect(withInput.stderr).toContain('requires a terminal (requiretty)');
      const wrong = await other.exec('id -un', { become: { ...become, password: 'bad-one' } });
      expect(wrong.rc).not.toBe(0);
      expect(wrong.stdout).toBe('');
      expect(wrong.stderr).toContain('become failed');
      expect(wrong.stderr).not.toContain('bad-one');
    } finally {
      await other.close();
      await conn.exec('rm -f /etc/sudoers.d/zz-requiretty', { become: root });
    }
  });

  it('reports sudo needing a password when none was given', async () => {
    const pw = new SshConnection(lab.spec('linux-02', {}, lab.info.users.passwordSudo), run);
    try {
      const r = await pw.exec('id -un', { become: { method: 'sudo', user: 'root' } });
      expect(r.rc).not.toBe(0);
      expect(r.stderr).toMatch(/password is required/);
    } finally {
      await pw.close();
    }
  });
});

describe('files', () => {
  it('writes atomically with mode and owner, reads content and stat back', async () => {
    const become = { method: 'sudo' as const, user: 'root' };
    await conn.writeFile('/opt/app.conf', 'key=välue\n', { become, mode: 0o640, owner: 'fleet', group: 'root' });
    const back = await conn.readFile('/opt/app.conf', { become });
    expect(back?.data.toString('utf8')).toBe('key=välue\n');
    expect(back?.stat).toMatchObject({ type: 'file', mode: 0o640, owner: 'fleet', group: 'root', size: 11 });
    // Rewriting keeps owner and mode; no temp files are left next to it.
    await conn.writeFile('/opt/app.conf', 'key=2\n', { become, backup: true });
    const st = await conn.stat('/opt/app.conf', { become });
    expect(st).toMatchObject({ mode: 0o640, owner: 'fleet', size: 6 });
    const ls = await conn.exec('ls -A /opt', { become });
    expect(ls.stdout).toMatch(/^app\.conf\napp\.conf\..+~\n$/);
    expect(await conn.readFile('/opt/missing')).toBeNull();
    expect(await conn.stat('/opt/missing')).toEqual({ exists: false });
  });

  it('edits /etc/waagent.conf in place (rename over an overlay file)', async () => {
    const become = { method: 'sudo' as const, user: 'root' };
    const r = await conn.exec("sed -i 's/^# OS.EnableRDMA=y/OS.EnableRDMA=y/' /etc/waagent.conf && grep '^OS.EnableRDMA' /etc/waagent.conf", { become });
    expect(r).toMatchObject({ rc: 0, stdout: 'OS.EnableRDMA=y\n' });
  });

  it('uploads 20 MiB over SFTP, atomically, with the requested mode', async () => {
    const local = join(scratch, 'big.bin');
    const data = randomBytes(20 * 1024 * 1024);
    await writeFile(local, data);
    await conn.putFile(local, '/var/lib/fleethost/big.bin', { mode: 0o600 });
    const sum = await conn.exec('sha256sum /var/lib/fleethost/big.bin; ls -A /var/lib/fleethost');
    expect(sum.stdout.split(' ')[0]).toBe(createHash('sha256').update(data).digest('hex'));
    expect(sum.stdout).not.toContain('.fleetplay-');
    expect(await conn.stat('/var/lib/fleethost/big.bin')).toMatchObject({ mode: 0o600, owner: 'fleet', size: data.length });
  });

  it('uploads under become through the privileged command, owner set', async () => {
    const local = join(scratch, 'small.bin');
    const data = randomBytes(2 * 1024 * 1024);
    await writeFile(local, data);
    const become = { method: 'sudo' as const, user: 'root' };
    await conn.putFile(local, '/usr/local/lib/blob.bin', { become, mode: 0o644, owner: 'fleet' });
    const r = await conn.exec('sha256sum /usr/local/lib/blob.bin');
    expect(r.stdout.split(' ')[0]).toBe(createHash('sha256').update(data).digest('hex'));
    expect(await conn.stat('/usr/local/lib/blob.bin')).toMatchObject({ owner: 'fleet', mode: 0o644 });
  });

  it('names the problem when the destination directory is missing', async () => {
    const local = join(scratch, 'big2.bin');
    await writeFile(local, randomBytes(1.5 * 1024 * 1024));
    await expect(conn.putFile(local, '/var/lib/fleethost/no/such/dir/f')).rejects.toThrow(/does not exist/);
    await expect(conn.writeFile('/nonexistent-dir/f', 'x')).rejects.toThrow(/does not exist/);
  });
});
