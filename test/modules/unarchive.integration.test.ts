// unarchive's listing parser on recorded GNU tar output, and the module with the machine's tar
// (controller and "host" are both this machine through the real LocalConnection).
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { missingEntries, parseTarListing, stripComponents, unarchive } from '../../src/modules/unarchive.js';
import { runModule, tempDir } from '../support/module-host.js';

// Recorded: TZ=UTC tar -tv --full-time -f MLNX_OFED_LINUX-5.8-3.0.7.0-ubuntu22.04-x86_64.tgz (GNU tar 1.34).
const LISTING = [
  'drwxr-xr-x root/root         0 2024-01-01 00:00:00 MLNX_OFED_LINUX-5.8/',
  'drwxr-xr-x root/root         0 2024-01-01 00:00:00 MLNX_OFED_LINUX-5.8/DEBS/',
  '-rwxr-xr-x root/root      2716 2024-01-01 00:00:00 MLNX_OFED_LINUX-5.8/mlnxofedinstall',
  'lrwxrwxrwx root/root         0 2024-01-01 00:00:00 MLNX_OFED_LINUX-5.8/install -> mlnxofedinstall',
  '-rw-r--r-- root/root         6 2024-01-01 00:00:00 MLNX_OFED_LINUX-5.8/a file with spaces',
  '',
].join('\n');
const T = Date.parse('2024-01-01T00:00:00Z') / 1000;

describe('unarchive listing (pure)', () => {
  it('parses GNU tar -tv --full-time lines, links and spaces included', () => {
    expect(parseTarListing(LISTING)).toEqual([
      { type: 'directory', path: 'MLNX_OFED_LINUX-5.8', size: 0, mtime: T },
      { type: 'directory', path: 'MLNX_OFED_LINUX-5.8/DEBS', size: 0, mtime: T },
      { type: 'file', path: 'MLNX_OFED_LINUX-5.8/mlnxofedinstall', size: 2716, mtime: T },
      { type: 'link', path: 'MLNX_OFED_LINUX-5.8/install', size: 0, mtime: T, target: 'mlnxofedinstall' },
      { type: 'file', path: 'MLNX_OFED_LINUX-5.8/a file with spaces', size: 6, mtime: T },
    ]);
  });

  it('compares entries with what dest has, and follows --strip-components', () => {
    const e = parseTarListing(LISTING);
    const have = { 'MLNX_OFED_LINUX-5.8': 'directory|0|0|', 'MLNX_OFED_LINUX-5.8/DEBS': 'directory|0|0|', 'MLNX_OFED_LINUX-5.8/mlnxofedinstall': `file|2716|${T}|`, 'MLNX_OFED_LINUX-5.8/install': 'link|0|0|mlnxofedinstall' };
    expect(missingEntries(e, have)).toEqual(['MLNX_OFED_LINUX-5.8/a file with spaces']);
    expect(missingEntries(e, { ...have, 'MLNX_OFED_LINUX-5.8/mlnxofedinstall': `file|2716|${T + 1}|` })).toHaveLength(2);
    expect(stripComponents(e, ['--strip-components=1']).map((x) => x.path)).toEqual(['DEBS', 'mlnxofedinstall', 'install', 'a file with spaces']);
  });
});

let dir: string;
let cleanup: () => Promise<void>;
let archive: string;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await mkdir(join(dir, 'src/pkg/sub'), { recursive: true });
  await writeFile(join(dir, 'src/pkg/sub/a.txt'), 'alpha\n');
  await writeFile(join(dir, 'src/pkg/b.txt'), 'beta\n');
  await symlink('b.txt', join(dir, 'src/pkg/link'));
  archive = join(dir, 'pkg.tar.gz');
  execFileSync('tar', ['-czf', archive, '-C', join(dir, 'src'), 'pkg']);
  await mkdir(join(dir, 'dest'));
});
afterEach(async () => cleanup());

describe('unarchive with tar on this machine', () => {
  it('unpacks a controller archive, then is ok; check mode unpacks nothing; a changed file is unpacked again', async () => {
    const args = { src: archive, dest: join(dir, 'dest'), list_files: true };
    expect((await runModule(unarchive, args, { check: true })).status).toBe('changed');
    expect(await readdir(join(dir, 'dest'))).toEqual([]);
    const r = await runModule(unarchive, args);
    expect([r.status, [...((r.applied?.result?.files as string[]) ?? [])].sort()]).toEqual(['changed', ['pkg', 'pkg/b.txt', 'pkg/link', 'pkg/sub', 'pkg/sub/a.txt']]);
    expect(await readFile(join(dir, 'dest/pkg/sub/a.txt'), 'utf8')).toBe('alpha\n');
    expect((await runModule(unarchive, args)).status).toBe('ok');
    await writeFile(join(dir, 'dest/pkg/b.txt'), 'edited\n');
    const again = await runModule(unarchive, { ...args, remote_src: true });
    expect([again.status, await readFile(join(dir, 'dest/pkg/b.txt'), 'utf8')]).toEqual(['changed', 'beta\n']);
  });

  it('honours creates and --strip-components, and fails clearly without a dest directory', async () => {
    expect((await runModule(unarchive, { src: archive, dest: join(dir, 'dest'), creates: archive })).plan.reason).toBe(`skipped, since ${archive} exists`);
    const strip = { src: archive, dest: join(dir, 'dest'), extra_opts: ['--strip-components=1'] };
    expect((await runModule(unarchive, strip)).status).toBe('changed');
    expect((await readdir(join(dir, 'dest'))).sort()).toEqual(['b.txt', 'link', 'sub']);
    expect((await runModule(unarchive, strip)).status).toBe('ok');
    expect((await runModule(unarchive, { src: archive, dest: join(dir, 'nope') })).msg).toBe(`dest '${join(dir, 'nope')}' must be an existing dir`);
  });
});
