import { readFile, stat, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authorizedKey } from '../../src/modules/authorized-key.js';
import { editAuthorizedKeys, parseKeyLine } from '../../src/modules/lib/authorized-keys.js';
import { runModule, tempDir } from '../support/module-host.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => cleanup());

const A = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa alice@laptop';
const B = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCbbbbbbbbbbbbbbbbbbbbb bob';
const want = (keys: string[], extra: Partial<Parameters<typeof editAuthorizedKeys>[1]> = {}) => ({ keys, state: 'present' as const, exclusive: false, ...extra });

describe('authorized_keys editing (pure)', () => {
  it('parses options with quoted spaces, type, blob and comment', () => {
    expect(parseKeyLine(`from="10.0.0.0/8",command="echo a b" ${A}`)).toEqual({
      options: 'from="10.0.0.0/8",command="echo a b"',
      type: 'ssh-ed25519',
      blob: 'AAAAC3NzaC1lZDI1NTE5AAAAIAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      comment: 'alice@laptop',
    });
    expect(parseKeyLine('# a comment')).toBeUndefined();
    expect(parseKeyLine('not a key')).toBeUndefined();
  });

  it('appends missing keys, keeps comments, rewrites a key whose options changed in place', () => {
    const file = `# managed\n${A}\n`;
    expect(editAuthorizedKeys(file, want([A, B])).content).toBe(`# managed\n${A}\n${B}\n`);
    expect(editAuthorizedKeys(file, want([A])).content).toBe(file);
    expect(editAuthorizedKeys(file, want([A], { key_options: 'no-pty' })).content).toBe(`# managed\nno-pty ${A}\n`);
    expect(editAuthorizedKeys(file, want([A.replace('alice@laptop', 'alice@desk')])).content).toBe(`# managed\n${A.replace('laptop', 'desk')}\n`);
  });

  it('exclusive leaves only the given keys; absent removes by blob whatever the comment', () => {
    const file = `# managed\n${A}\n${B}\n`;
    expect(editAuthorizedKeys(file, want([B], { exclusive: true })).content).toBe(`${B}\n`);
    expect(editAuthorizedKeys(file, want([A.replace('alice@laptop', 'other')], { state: 'absent' })).content).toBe(`# managed\n${B}\n`);
    expect(editAuthorizedKeys(file, want(['garbage'])).invalid).toEqual(['garbage']);
  });
});

describe('authorized_key on a file', () => {
  const me = userInfo().username;

  it('creates the directory and file 0700/0600; check mode writes nothing; second run ok', async () => {
    const path = join(dir, 'ssh', 'authorized_keys');
    const args = { user: me, key: `${A}\n${B}`, path };
    expect((await runModule(authorizedKey, args, { check: true })).status).toBe('changed');
    await expect(stat(join(dir, 'ssh'))).rejects.toThrow();
    const r = await runModule(authorizedKey, args);
    expect(r.status).toBe('changed');
    expect(r.plan.diff?.[0]).toMatchObject({ kind: 'text', before: '', after: `${A}\n${B}\n` });
    expect(await readFile(path, 'utf8')).toBe(`${A}\n${B}\n`);
    expect(((await stat(join(dir, 'ssh'))).mode & 0o777).toString(8)).toBe('700');
    expect(((await stat(path)).mode & 0o777).toString(8)).toBe('600');
    expect((await runModule(authorizedKey, args)).status).toBe('ok');
    expect((await runModule(authorizedKey, { ...args, key: B, state: 'absent' })).status).toBe('changed');
    expect(await readFile(path, 'utf8')).toBe(`${A}\n`);
  });

  it('fails clearly: an unknown user, an invalid key, a missing directory without manage_dir', async () => {
    expect((await runModule(authorizedKey, { user: 'no-such-user-x', key: A })).msg).toBe('Failed to lookup user no-such-user-x: no such user');
    expect((await runModule(authorizedKey, { user: me, key: 'ssh-rsa', path: join(dir, 'k') })).msg).toBe('invalid key specified: ssh-rsa');
    expect((await runModule(authorizedKey, { user: me, key: A, path: join(dir, 'no', 'k'), manage_dir: false })).msg).toBe(`${join(dir, 'no')} does not exist (set manage_dir to create it)`);
    await writeFile(join(dir, 'k'), `${A}\n`, { mode: 0o644 });
    // manage_dir also corrects the mode of a file that already has the key.
    expect((await runModule(authorizedKey, { user: me, key: A, path: join(dir, 'k') })).status).toBe('changed');
    expect(((await stat(join(dir, 'k'))).mode & 0o777).toString(8)).toBe('600');
  });
});
