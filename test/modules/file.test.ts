import { chmod, lstat, mkdir, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { file } from '../../src/modules/file.js';
import { runModule, snapshot, tempDir } from '../support/module-host.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => cleanup());

const mode = async (p: string) => (await stat(p)).mode & 0o7777;

describe('file', () => {
  it('creates a directory with its missing parents, each with the mode, then is idempotent', async () => {
    const p = join(dir, 'a/b/c');
    const r = await runModule(file, { path: p, state: 'directory', mode: '0750' });
    expect(r.status).toBe('changed');
    expect(r.plan.diff).toEqual([{ kind: 'fields', label: p, fields: [{ key: 'state', before: 'absent', after: 'directory' }] }]);
    for (const d of ['a', 'a/b', 'a/b/c']) expect(await mode(join(dir, d))).toBe(0o750);
    expect(await mode(dir)).not.toBe(0o750);
    expect((await runModule(file, { path: p, state: 'directory', mode: '0750' })).status).toBe('ok');
  });

  it('fixes mode and owner of an existing file, with a field diff', async () => {
    const p = join(dir, 'f');
    await writeFile(p, 'x');
    await chmod(p, 0o644);
    const r = await runModule(file, { path: p, mode: 'u=rw,g=,o=', owner: 'nobody' });
    expect(r.plan.diff).toEqual([
      {
        kind: 'fields',
        label: p,
        fields: [
          { key: 'mode', before: '0644', after: '0600' },
          { key: 'owner', before: 'root', after: 'nobody' },
        ],
      },
    ]);
    expect(await mode(p)).toBe(0o600);
    expect((await stat(p)).uid).toBe(65534);
    expect((await runModule(file, { path: p, mode: 'u=rw,g=,o=', owner: 'nobody' })).status).toBe('ok');
  });

  it('state=file on a missing path fails as Ansible does', async () => {
    const r = await runModule(file, { path: join(dir, 'nope'), state: 'file' });
    expect(r.msg).toBe(`file (${join(dir, 'nope')}) is absent, cannot continue`);
  });

  it('makes and retargets symlinks, refusing to replace a file without force', async () => {
    const link = join(dir, 'current');
    expect((await runModule(file, { path: link, state: 'link', src: 'v1' })).status).toBe('changed');
    expect(await readlink(link)).toBe('v1');
    expect((await runModule(file, { path: link, state: 'link', src: 'v1' })).status).toBe('ok');
    const re = await runModule(file, { path: link, state: 'link', src: 'v2' });
    expect(re.plan.diff?.[0]).toMatchObject({ fields: [{ key: 'src', before: 'v1', after: 'v2' }] });
    expect(await readlink(link)).toBe('v2');
    const plain = join(dir, 'plain');
    await writeFile(plain, 'x');
    expect((await runModule(file, { path: plain, state: 'link', src: 'v1' })).msg).toMatch(/refusing to convert from file to symlink/);
    expect((await runModule(file, { path: plain, state: 'link', src: 'v1', force: true })).status).toBe('changed');
    expect((await lstat(plain)).isSymbolicLink()).toBe(true);
  });

  it('makes a hard link (mode set on the shared inode), is idempotent, and refuses other files without force', async () => {
    const src = join(dir, 'target');
    const p = join(dir, 'hard');
    await writeFile(src, 'target\n');
    await chmod(src, 0o644);
    const r = await runModule(file, { path: p, src, state: 'hard', mode: 'u=rw,g=r,o=' });
    expect(r.status).toBe('changed');
    expect((await stat(p)).ino).toBe((await stat(src)).ino);
    expect(await mode(src)).toBe(0o640);
    expect((await runModule(file, { path: p, src, state: 'hard', mode: '0640' })).status).toBe('ok');
    const other = join(dir, 'other');
    await writeFile(other, 'o');
    expect((await runModule(file, { path: other, src, state: 'hard' })).msg).toBe('Cannot link, file exists at destination');
    expect((await runModule(file, { path: other, src, state: 'hard', force: true })).status).toBe('changed');
    expect((await stat(other)).nlink).toBe(3);
    expect((await runModule(file, { path: p, src: 'target', state: 'hard' })).msg).toBe('absolute paths are required');
    expect((await runModule(file, { path: join(dir, 'x'), src: join(dir, 'nope'), state: 'hard' })).msg).toMatch(/^src file does not exist/);
  });

  it('removes files and trees, and says when already absent', async () => {
    await mkdir(join(dir, 't/u'), { recursive: true });
    await writeFile(join(dir, 't/u/f'), 'x');
    const r = await runModule(file, { path: join(dir, 't'), state: 'absent' });
    expect(r.plan.diff?.[0]).toMatchObject({ fields: [{ key: 'state', before: 'directory', after: 'absent' }] });
    await expect(stat(join(dir, 't'))).rejects.toThrow();
    const again = await runModule(file, { path: join(dir, 't'), state: 'absent' });
    expect([again.status, again.plan.reason]).toEqual(['ok', `${join(dir, 't')} is already absent`]);
  });

  it('touch creates, then always updates times unless both are preserved', async () => {
    const p = join(dir, 'stamp');
    expect((await runModule(file, { path: p, state: 'touch', mode: '0600' })).status).toBe('changed');
    expect(await mode(p)).toBe(0o600);
    expect((await runModule(file, { path: p, state: 'touch' })).status).toBe('changed');
    const keep = { path: p, state: 'touch', modification_time: 'preserve', access_time: 'preserve' };
    expect((await runModule(file, keep)).status).toBe('ok');
  });

  it('recurse applies owner and symbolic mode below, and detects when all is done', async () => {
    const root = join(dir, 'tree');
    await mkdir(join(root, 'sub'), { recursive: true });
    await writeFile(join(root, 'sub/f'), 'x');
    await chmod(join(root, 'sub/f'), 0o600);
    await symlink('sub/f', join(root, 'ln'));
    const args = { path: root, state: 'directory', recurse: true, owner: 'nobody', mode: 'a+rX' };
    expect((await runModule(file, args)).status).toBe('changed');
    expect((await stat(join(root, 'sub/f'))).uid).toBe(65534);
    expect(await mode(join(root, 'sub/f'))).toBe(0o644);
    expect(await mode(join(root, 'sub'))).toBe(0o755);
    expect((await runModule(file, args)).status).toBe('ok');
  });

  it('check mode leaves everything as it was', async () => {
    await writeFile(join(dir, 'f'), 'x');
    const before = await snapshot(dir);
    for (const args of [
      { path: join(dir, 'f'), mode: '0700' },
      { path: join(dir, 'f'), state: 'absent' },
      { path: join(dir, 'new/dir'), state: 'directory' },
      { path: join(dir, 'l'), state: 'link', src: 'f' },
      { path: join(dir, 't'), state: 'touch' },
    ]) {
      expect((await runModule(file, args, { check: true })).status).toBe('changed');
    }
    expect(await snapshot(dir)).toEqual(before);
  });
});
