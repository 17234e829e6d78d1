// copy of directories (controller src and remote_src) on the real local connection: what lands where,
// with which modes, that a second run is ok, that check mode touches nothing and that backups are kept.
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copy } from '../../src/modules/copy.js';
import { parseTreeListing } from '../../src/modules/lib/copy-tree-read.js';
import { makeHostContext, runModule, snapshot, tempDir } from '../support/module-host.js';

let dir: string;
let cleanup: () => Promise<void>;
let ctx: ReturnType<typeof makeHostContext>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  // A controller tree: files/site/{index.html, conf/app.conf (0750 dir, 0700 file)}
  await mkdir(join(dir, 'play/files/site/conf'), { recursive: true });
  await writeFile(join(dir, 'play/files/site/index.html'), '<h1>hi</h1>\n');
  await writeFile(join(dir, 'play/files/site/conf/app.conf'), 'port=80\n');
  await chmod(join(dir, 'play/files/site/conf/app.conf'), 0o700);
  await chmod(join(dir, 'play/files/site/conf'), 0o750);
  ctx = makeHostContext({ baseDir: join(dir, 'play') });
});
afterEach(async () => cleanup());

const modeOf = async (p: string) => ((await stat(p)).mode & 0o7777).toString(8);

describe('copy of a directory', () => {
  it('without a trailing slash copies the directory itself; files get mode, new directories directory_mode', async () => {
    const args = { src: 'site', dest: join(dir, 'www'), mode: '0640', directory_mode: '0711' };
    const first = await runModule(copy, args, { ctx });
    expect(first.status).toBe('changed');
    expect(await readFile(join(dir, 'www/site/conf/app.conf'), 'utf8')).toBe('port=80\n');
    expect(await Promise.all(['www', 'www/site', 'www/site/conf', 'www/site/index.html', 'www/site/conf/app.conf'].map((p) => modeOf(join(dir, p))))).toEqual([
      '711',
      '711',
      '711',
      '640',
      '640',
    ]);
    const again = await runModule(copy, args, { ctx });
    expect(again.status).toBe('ok');
    expect(again.plan.reason).toMatch(/already holds the 2 files of site/);
  });

  it("with a trailing slash copies its contents into dest, leaving dest's other files alone", async () => {
    await mkdir(join(dir, 'www'));
    await writeFile(join(dir, 'www/other.txt'), 'mine');
    const r = await runModule(copy, { src: 'site/', dest: join(dir, 'www') }, { ctx });
    expect(r.status).toBe('changed');
    expect((await readdir(join(dir, 'www'))).sort()).toEqual(['conf', 'index.html', 'other.txt']);
    // Controller modes are not kept (as Ansible): files 0644, the directory from the umask.
    expect(await modeOf(join(dir, 'www/conf/app.conf'))).toBe('644');
    expect(await readFile(join(dir, 'www/other.txt'), 'utf8')).toBe('mine');
  });

  it('check mode lists every change with diffs and writes nothing; a changed file is replaced and backed up', async () => {
    await mkdir(join(dir, 'www/conf'), { recursive: true });
    await writeFile(join(dir, 'www/conf/app.conf'), 'port=8080\n');
    const before = await snapshot(dir);
    const check = await runModule(copy, { src: 'site/', dest: join(dir, 'www'), backup: true }, { ctx, check: true });
    expect(check.status).toBe('changed');
    expect(check.plan.diff).toEqual([
      { kind: 'text', path: join(dir, 'www/conf/app.conf'), before: 'port=8080\n', after: 'port=80\n' },
      { kind: 'text', path: join(dir, 'www/index.html'), before: '', after: '<h1>hi</h1>\n' },
    ]);
    expect(await snapshot(dir)).toEqual(before);

    const real = await runModule(copy, { src: 'site/', dest: join(dir, 'www'), backup: true }, { ctx });
    const backups = real.applied?.result?.backup_files as string[];
    expect(backups).toHaveLength(1);
    expect(await readFile(backups[0]!, 'utf8')).toBe('port=8080\n');
    expect(await readFile(join(dir, 'www/conf/app.conf'), 'utf8')).toBe('port=80\n');
  });

  it('force: false keeps differing files and still creates the missing ones', async () => {
    await mkdir(join(dir, 'www/conf'), { recursive: true });
    await writeFile(join(dir, 'www/conf/app.conf'), 'port=8080\n');
    const r = await runModule(copy, { src: 'site/', dest: join(dir, 'www'), force: false }, { ctx });
    expect(r.status).toBe('changed');
    expect(await readFile(join(dir, 'www/conf/app.conf'), 'utf8')).toBe('port=8080\n');
    expect(await readFile(join(dir, 'www/index.html'), 'utf8')).toBe('<h1>hi</h1>\n');
    const again = await runModule(copy, { src: 'site/', dest: join(dir, 'www'), force: false }, { ctx });
    expect(again.plan.reason).toMatch(/1 differing kept: force is false/);
  });

  it('refuses a dest that is a file, and a file in the way of a directory', async () => {
    await writeFile(join(dir, 'flat'), 'x');
    expect((await runModule(copy, { src: 'site/', dest: join(dir, 'flat') }, { ctx })).msg).toBe(`dest ${join(dir, 'flat')} exists and is not a directory`);
    await mkdir(join(dir, 'www'));
    await writeFile(join(dir, 'www/conf'), 'x');
    expect((await runModule(copy, { src: 'site/', dest: join(dir, 'www') }, { ctx })).msg).toBe(`dest ${join(dir, 'www/conf')} exists and is not a directory`);
  });
});

describe('copy remote_src', () => {
  it('copies a host directory keeping its modes; mode is for dest itself; a second run is ok', async () => {
    const src = join(dir, 'play/files/site');
    const args = { src, dest: join(dir, 'mirror'), remote_src: true, mode: '0700' };
    const first = await runModule(copy, args, { ctx });
    expect(first.status).toBe('changed');
    expect(await Promise.all(['mirror', 'mirror/site', 'mirror/site/conf', 'mirror/site/conf/app.conf'].map((p) => modeOf(join(dir, p))))).toEqual([
      '700',
      '755',
      '750',
      '700',
    ]);
    expect(await readFile(join(dir, 'mirror/site/index.html'), 'utf8')).toBe('<h1>hi</h1>\n');
    expect((await readdir(join(dir, 'mirror/site'))).sort()).toEqual(['conf', 'index.html']);
    expect((await runModule(copy, args, { ctx })).status).toBe('ok');

    await writeFile(join(src, 'index.html'), '<h1>v2</h1>\n');
    const changed = await runModule(copy, args, { ctx, check: true });
    expect(changed.plan.diff).toEqual([{ kind: 'text', path: join(dir, 'mirror/site/index.html'), before: '<h1>hi</h1>\n', after: '<h1>v2</h1>\n' }]);
  });

  it('copies a host file like content (mode default 0644, dest/ created), and names a missing source', async () => {
    const src = join(dir, 'play/files/site/conf/app.conf');
    const r = await runModule(copy, { src, dest: `${dir}/etc/`, remote_src: true }, { ctx });
    expect(r.status).toBe('changed');
    expect(await modeOf(join(dir, 'etc/app.conf'))).toBe('644');
    expect((await runModule(copy, { src, dest: `${dir}/etc/`, remote_src: true }, { ctx })).status).toBe('ok');
    expect((await runModule(copy, { src: join(dir, 'nope'), dest: dir, remote_src: true }, { ctx })).msg).toBe(`Source ${join(dir, 'nope')} not found`);
  });
});

describe('the host tree listing', () => {
  it('reads types, modes, owners and sha1s, including a name sha1sum escapes', () => {
    const t = parseTreeListing([
      '@dir',
      'd\t755\t0\t0\troot\troot\t4096\t',
      'f\t640\t1000\t1000\tfleet\tfleet\t3\ta\\b',
      '\\' + 'a'.repeat(40) + '  ./a\\\\b',
    ]);
    expect(t.state).toBe('directory');
    expect(t.entries.get('a\\b')).toEqual({ rel: 'a\\b', type: 'file', mode: 0o640, uid: 1000, gid: 1000, owner: 'fleet', group: 'fleet', size: 3, sha1: 'a'.repeat(40) });
    expect(t.entries.get('')?.type).toBe('directory');
  });
});
