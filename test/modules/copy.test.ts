import { chmod, chown, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copy } from '../../src/modules/copy.js';
import { makeHostContext, runModule, snapshot, tempDir } from '../support/module-host.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => cleanup());

const sha1Of = (s: string) => import('node:crypto').then((c) => c.createHash('sha1').update(s).digest('hex'));

describe('copy', () => {
  it('writes content, reports sha1 and mode, then is idempotent', async () => {
    const dest = join(dir, 'motd');
    const args = { dest, content: 'hello\nfleet\n', mode: '0640' };
    const first = await runModule(copy, args);
    expect(first.status).toBe('changed');
    expect(first.plan.diff).toEqual([{ kind: 'text', path: dest, before: '', after: 'hello\nfleet\n' }]);
    expect(first.applied?.result).toMatchObject({ dest, checksum: await sha1Of('hello\nfleet\n'), mode: '0640' });
    expect(await readFile(dest, 'utf8')).toBe('hello\nfleet\n');
    expect((await stat(dest)).mode & 0o7777).toBe(0o640);
    const second = await runModule(copy, args);
    expect(second.status).toBe('ok');
    expect(second.plan.reason).toMatch(/already has this content/);
  });

  it('accepts the YAML 1.1 octal int (0644 → 420) and rejects a decimal 644', async () => {
    const dest = join(dir, 'm');
    expect((await runModule(copy, { dest, content: 'x', mode: 420 })).status).toBe('changed');
    expect((await stat(dest)).mode & 0o7777).toBe(0o644);
    const bad = await runModule(copy, { dest, content: 'x', mode: 644 });
    expect(bad.status).toBe('failed');
    expect(bad.msg).toMatch(/decimal number 644.*'0644'/);
  });

  it('check mode shows the diff and leaves the tree byte-identical', async () => {
    const dest = join(dir, 'conf');
    await writeFile(dest, 'old\n');
    await chmod(dest, 0o600);
    const before = await snapshot(dir);
    const r = await runModule(copy, { dest, content: 'new\n', mode: '0644' }, { check: true });
    expect(r.status).toBe('changed');
    expect(r.plan.diff).toEqual([
      { kind: 'text', path: dest, before: 'old\n', after: 'new\n' },
      { kind: 'fields', label: dest, fields: [{ key: 'mode', before: '0600', after: '0644' }] },
    ]);
    expect(await snapshot(dir)).toEqual(before);
  });

  it('only fixes attributes when the content already matches', async () => {
    const dest = join(dir, 'same');
    await writeFile(dest, 'same');
    const before = (await stat(dest)).ino;
    const r = await runModule(copy, { dest, content: 'same', owner: 'nobody', mode: '0600' });
    expect(r.status).toBe('changed');
    expect(r.plan.changes).toEqual([{ kind: 'attrs', path: dest, want: { mode: 0o600, owner: 'nobody' } }]);
    const st = await stat(dest);
    expect([st.ino, st.uid, st.mode & 0o7777]).toEqual([before, 65534, 0o600]);
    expect((await runModule(copy, { dest, content: 'same', owner: 'nobody', mode: '0600' })).status).toBe('ok');
  });

  it('keeps the owner and mode of a file it rewrites, and backs it up', async () => {
    const dest = join(dir, 'owned');
    await writeFile(dest, 'v1');
    await chown(dest, 65534, 65534);
    await chmod(dest, 0o640);
    const r = await runModule(copy, { dest, content: 'v2', backup: true });
    const backup = r.applied?.result?.backup_file as string;
    expect(await readFile(backup, 'utf8')).toBe('v1');
    const st = await stat(dest);
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([65534, 65534, 0o640]);
  });

  it('copies a controller file from files/ into a destination directory', async () => {
    const base = join(dir, 'play');
    await mkdir(join(base, 'files'), { recursive: true });
    await writeFile(join(base, 'files', 'agent.bin'), Buffer.from([0, 1, 2, 255]));
    const destDir = join(dir, 'opt');
    await mkdir(destDir);
    const ctx = makeHostContext({ baseDir: base });
    const r = await runModule(copy, { src: 'agent.bin', dest: destDir }, { ctx });
    expect(r.status).toBe('changed');
    expect(r.plan.diff?.[0]).toMatchObject({ kind: 'fields', fields: [{ key: 'content', before: '(absent)' }] });
    expect([...(await readFile(join(destDir, 'agent.bin')))]).toEqual([0, 1, 2, 255]);
    expect((await runModule(copy, { src: 'agent.bin', dest: destDir }, { ctx })).status).toBe('ok');
  });

  it("creates the directory of a dest that ends in '/'", async () => {
    const base = join(dir, 'play');
    await mkdir(join(base, 'files'), { recursive: true });
    await writeFile(join(base, 'files', 'x.conf'), 'x');
    const r = await runModule(copy, { src: 'x.conf', dest: `${dir}/new/sub/` }, { ctx: makeHostContext({ baseDir: base }) });
    expect(r.status).toBe('changed');
    expect(await readFile(join(dir, 'new/sub/x.conf'), 'utf8')).toBe('x');
  });

  it('compares large files by checksum without fetching them', async () => {
    const dest = join(dir, 'big');
    const big = 'x'.repeat(300 * 1024);
    expect((await runModule(copy, { dest, content: big })).status).toBe('changed');
    const again = await runModule(copy, { dest, content: big });
    expect(again.status).toBe('ok');
    expect((again.current as { data?: Buffer }).data).toBeUndefined();
  });

  it('force: false never replaces an existing file', async () => {
    const dest = join(dir, 'keep');
    await writeFile(dest, 'mine');
    const r = await runModule(copy, { dest, content: 'theirs', force: false });
    expect(r.status).toBe('ok');
    expect(r.plan.reason).toMatch(/force is false/);
    expect(await readFile(dest, 'utf8')).toBe('mine');
  });

  it('explains bad combinations and missing sources', async () => {
    expect((await runModule(copy, { dest: join(dir, 'a'), content: 'x', src: 'y' })).msg).toMatch(/mutually exclusive/);
    expect((await runModule(copy, { dest: join(dir, 'a') })).msg).toMatch(/one of src or content is required/);
    const missing = await runModule(copy, { dest: join(dir, 'a'), src: 'nope.txt' }, { ctx: makeHostContext({ baseDir: dir }) });
    expect(missing.msg).toMatch(/could not find src nope.txt/);
    expect((await runModule(copy, { dest: dir, content: 'x' })).msg).toMatch(/can not use content with a dir as dest/);
    expect(await readdir(dir)).toEqual([]);
  });
});
