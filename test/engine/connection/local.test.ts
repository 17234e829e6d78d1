import { execFileSync } from 'node:child_process';
import { chmod, chown, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalConnection } from '../../../src/engine/connection/local.js';
import { FileOpError } from '../../../src/engine/connection/posix-files.js';
import { tempDir } from '../../support/module-host.js';

const conn = new LocalConnection();
let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('fleetplay-local-'));
});
afterEach(async () => cleanup());

function requireSudo(): void {
  try {
    execFileSync('sudo', ['-n', 'true']);
  } catch {
    throw new Error('these tests need sudo (apt-get install -y sudo) and must run as root');
  }
}

describe('LocalConnection.exec', () => {
  it('keeps stdout, stderr and the exit code apart', async () => {
    const r = await conn.exec('echo out; echo err >&2; exit 7');
    expect(r).toEqual({ rc: 7, stdout: 'out\n', stderr: 'err\n' });
  });

  it('decodes a UTF-8 character split across two output chunks', async () => {
    // The euro sign is three bytes; the sleep forces them into separate reads.
    const r = await conn.exec("printf '\\342'; sleep 0.2; printf '\\202\\254\\n'");
    expect(r.stdout).toBe('€\n');
  });

  it('runs in cwd with env values that hold quotes and spaces', async () => {
    const r = await conn.exec('pwd; printf "%s" "$GREETING"', { cwd: dir, env: { GREETING: `it's "fine" $HOME` } });
    expect(r.stdout).toBe(`${dir}\nit's "fine" $HOME`);
  });

  it('refuses an invalid environment variable name', async () => {
    await expect(conn.exec('true', { env: { 'A;rm': 'x' } })).rejects.toThrow(/invalid environment variable name/);
  });

  it('fails in a missing cwd instead of running elsewhere', async () => {
    const r = await conn.exec('echo ran', { cwd: join(dir, 'nope') });
    expect(r.rc).not.toBe(0);
    expect(r.stdout).toBe('');
  });

  it('feeds stdin (string and binary) and gives EOF when there is none', async () => {
    expect((await conn.exec('cat', { stdin: 'abc' })).stdout).toBe('abc');
    expect((await conn.exec('od -An -tx1', { stdin: Buffer.from([0, 255]) })).stdout.trim()).toBe('00 ff');
    expect((await conn.exec('cat; echo done')).stdout).toBe('done\n');
  });

  it('reports a signal death with rc -1 and the signal name', async () => {
    const r = await conn.exec('kill -TERM $$');
    expect(r.rc).toBe(-1);
    expect(r.signal).toBe('SIGTERM');
  });

  it('kills the whole process group on timeout', async () => {
    const marker = join(dir, 'survivor');
    const t0 = Date.now();
    const r = await conn.exec(`(sleep 2; touch ${marker}) & sleep 30`, { timeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.rc).toBe(-1);
    expect(r.stderr).toMatch(/timed out after 300 ms/);
    await new Promise((res) => setTimeout(res, 2500));
    await expect(stat(marker)).rejects.toThrow();
  });

  it('rejects when aborted', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    await expect(conn.exec('sleep 30', { signal: ac.signal })).rejects.toThrow();
  });

  it('runs as another user with become (sudo)', async () => {
    requireSudo();
    const r = await conn.exec('id -un; echo "$X"', { become: { method: 'sudo', user: 'nobody' }, env: { X: 'kept' } });
    expect(r.stdout).toBe('nobody\nkept\n');
  });
});

describe('LocalConnection file operations', () => {
  it('reads content and stat in one go, and null for a missing path', async () => {
    const p = join(dir, "a file with 'quotes'");
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await writeFile(p, bytes, { mode: 0o640 });
    const got = await conn.readFile(p);
    expect(got?.data.equals(bytes)).toBe(true);
    expect(got?.stat).toMatchObject({ exists: true, type: 'file', mode: 0o640, uid: 0, owner: 'root', size: 256 });
    expect(await conn.readFile(join(dir, 'missing'))).toBeNull();
    const d = await conn.readFile(dir);
    expect(d?.stat.type).toBe('directory');
    expect(d?.data.length).toBe(0);
  });

  it('stats files, directories, symlinks and missing paths', async () => {
    await writeFile(join(dir, 'f'), 'x');
    await symlink('f', join(dir, 'l'));
    expect(await conn.stat(join(dir, 'f'))).toMatchObject({ type: 'file', size: 1 });
    expect(await conn.stat(dir)).toMatchObject({ type: 'directory' });
    expect(await conn.stat(join(dir, 'l'))).toMatchObject({ type: 'link', linkTarget: 'f' });
    expect(await conn.stat(join(dir, 'nope'))).toEqual({ exists: false });
  });

  it('writes a new file atomically with mode 0644 and leaves no temp file', async () => {
    const p = join(dir, 'new.txt');
    expect(await conn.writeFile(p, 'hello\n')).toEqual({});
    expect(await readFile(p, 'utf8')).toBe('hello\n');
    expect((await stat(p)).mode & 0o7777).toBe(0o644);
    expect(await readdir(dir)).toEqual(['new.txt']);
  });

  it('replaces by rename (new inode) and keeps the old mode and owner', async () => {
    const p = join(dir, 'kept');
    await writeFile(p, 'old');
    await chmod(p, 0o600);
    await chown(p, 65534, 65534);
    const before = await stat(p);
    await conn.writeFile(p, 'new');
    const after = await stat(p);
    expect(await readFile(p, 'utf8')).toBe('new');
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o7777).toBe(0o600);
    expect([after.uid, after.gid]).toEqual([65534, 65534]);
  });

  it('sets an explicit mode, owner and group (including setuid, applied after chown)', async () => {
    const p = join(dir, 'explicit');
    await conn.writeFile(p, 'x', { mode: 0o4750, owner: 'nobody', group: 'root' });
    const st = await stat(p);
    expect(st.mode & 0o7777).toBe(0o4750);
    expect([st.uid, st.gid]).toEqual([65534, 0]);
  });

  it('keeps a backup in Ansible style when asked', async () => {
    const p = join(dir, 'conf');
    await writeFile(p, 'v1');
    const w = await conn.writeFile(p, 'v2', { backup: true });
    expect(w.backupPath).toMatch(new RegExp(`^${p}\\.\\d+\\.\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d~$`));
    expect(await readFile(w.backupPath!, 'utf8')).toBe('v1');
    expect(await readFile(p, 'utf8')).toBe('v2');
  });

  it('writes through a symlink to its target', async () => {
    await writeFile(join(dir, 'target'), 'old');
    await symlink('target', join(dir, 'link'));
    await conn.writeFile(join(dir, 'link'), 'new');
    expect(await readFile(join(dir, 'target'), 'utf8')).toBe('new');
    expect((await conn.stat(join(dir, 'link'))).type).toBe('link');
  });

  it('fails clearly for a missing directory, a directory path and a refused owner', async () => {
    await expect(conn.writeFile(join(dir, 'no/such/file'), 'x')).rejects.toThrow(/destination directory .* does not exist/);
    await mkdir(join(dir, 'sub'));
    await expect(conn.writeFile(join(dir, 'sub'), 'x')).rejects.toThrow(/is a directory/);
    await expect(conn.writeFile(join(dir, 'f'), 'x', { owner: 'no-such-user-xyz' })).rejects.toThrow(FileOpError);
    expect(await readdir(dir)).toEqual(['sub']);
  });

  it('reports permission problems under become as errors', async () => {
    requireSudo();
    const p = join(dir, 'secret');
    await writeFile(p, 's', { mode: 0o600 });
    await chmod(dir, 0o755);
    await expect(conn.readFile(p, { become: { method: 'sudo', user: 'nobody' } })).rejects.toThrow(/cannot read .*Permission denied/);
  });

  it('uploads a controller file through the install step', async () => {
    const src = join(dir, 'src.bin');
    await writeFile(src, Buffer.from([1, 2, 3]));
    const dest = join(dir, 'dest.bin');
    await conn.putFile(src, dest, { mode: 0o700 });
    expect([...(await readFile(dest))]).toEqual([1, 2, 3]);
    expect((await stat(dest)).mode & 0o7777).toBe(0o700);
    expect((await readdir(dir)).sort()).toEqual(['dest.bin', 'src.bin']);
  });
});
