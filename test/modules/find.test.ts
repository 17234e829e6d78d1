import { mkdir, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FoundEntry, type Listing, type Selection, find, parseListing, selectFiles } from '../../src/modules/find.js';
import { runModule, snapshot, tempDir } from '../support/module-host.js';

const NOW = 1_000_000;
const entry = (path: string, o: Partial<FoundEntry> = {}): FoundEntry => ({
  type: 'f', mode: 0o644, size: 10, uid: 0, gid: 0, owner: 'root', group: 'root', mtime: NOW - 60, atime: NOW, ctime: NOW, inode: 1, nlink: 1, dev: 1, path, ...o,
});
const LISTING: Listing = {
  now: NOW,
  skipped: [],
  entries: [
    entry('/l/b.log', { size: 2048, mtime: NOW - 3 * 86400 }),
    entry('/l/a.log'),
    entry('/l/.hidden.log'),
    entry('/l/a.txt'),
    entry('/l/sub', { type: 'd', mode: 0o755 }),
    entry('/l/link.log', { type: 'l' }),
  ],
};
const sel = (o: Partial<Selection> = {}): Selection => ({ patterns: [], excludes: [], useRegex: false, fileType: 'file', hidden: false, ageStamp: 'mtime', ...o });
const paths = (o: Partial<Selection>) => selectFiles(LISTING, sel(o)).map((e) => e.path);

describe('selectFiles (Ansible find rules)', () => {
  it('globs on the base name, excludes, hidden names, file types; sorted by path', () => {
    expect(paths({})).toEqual(['/l/a.log', '/l/a.txt', '/l/b.log']);
    expect(paths({ patterns: ['*.log'] })).toEqual(['/l/a.log', '/l/b.log']);
    expect(paths({ patterns: ['*.log'], hidden: true })).toEqual(['/l/.hidden.log', '/l/a.log', '/l/b.log']);
    expect(paths({ patterns: ['[ab].*'], excludes: ['*.txt'] })).toEqual(['/l/a.log', '/l/b.log']);
    expect(paths({ patterns: ['?.log'] })).toEqual(['/l/a.log', '/l/b.log']);
    expect(paths({ fileType: 'directory' })).toEqual(['/l/sub']);
    expect(paths({ fileType: 'link' })).toEqual(['/l/link.log']);
    expect(paths({ fileType: 'any', patterns: ['*.log'] })).toEqual(['/l/a.log', '/l/b.log', '/l/link.log']);
  });

  it('Python regexps match at the start of the name', () => {
    expect(paths({ useRegex: true, patterns: ['(?P<x>a)\\.'] })).toEqual(['/l/a.log', '/l/a.txt']);
    expect(paths({ useRegex: true, patterns: ['log'] })).toEqual([]);
  });

  it('age and size, positive = at least, negative = at most; bad units fail clearly', () => {
    expect(paths({ age: '2d' })).toEqual(['/l/b.log']);
    expect(paths({ age: '-1h' })).toEqual(['/l/a.log', '/l/a.txt']);
    expect(paths({ size: '1k' })).toEqual(['/l/b.log']);
    expect(paths({ size: '-1k' })).toEqual(['/l/a.log', '/l/a.txt']);
    expect(() => paths({ age: '2y' })).toThrow("failed to process age '2y'");
  });

  it('contains keeps only the regular files grep found; directories are not content-filtered', () => {
    const listing = { ...LISTING, containing: ['/l/a.txt'] };
    expect(selectFiles(listing, sel({ contains: true })).map((e) => e.path)).toEqual(['/l/a.txt']);
    expect(selectFiles(listing, sel({ contains: true, fileType: 'any', patterns: ['[as]*'] })).map((e) => e.path)).toEqual(['/l/a.txt', '/l/sub']);
  });

  it('parses find -printf records, paths with tabs, and skipped paths', () => {
    const out = `${NOW}.5\nf\t640\t5\t0\t0\troot\troot\t1.5\t2\t3\t7\t1\t9\t/d/a\tb\0S\t/missing\0`;
    expect(parseListing(out)).toEqual({ now: NOW + 0.5, skipped: ['/missing'], entries: [entry('/d/a\tb', { mode: 0o640, size: 5, mtime: 1.5, atime: 2, ctime: 3, inode: 7, dev: 9 })] });
  });
});

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => cleanup());

describe('find on a real tree', () => {
  it('finds, recurses to a depth, reports skipped paths, and writes nothing (also in check mode)', async () => {
    await mkdir(join(dir, 'a/b/c'), { recursive: true });
    await writeFile(join(dir, 'top.conf'), 'x');
    await writeFile(join(dir, 'a/mid.conf'), 'xx');
    await writeFile(join(dir, 'a/b/c/deep.conf'), 'xxx');
    await symlink('top.conf', join(dir, 'ln.conf'));
    const old = new Date(Date.now() - 10 * 86400_000);
    await utimes(join(dir, 'a/mid.conf'), old, old);
    const before = await snapshot(dir);
    const names = (r: Awaited<ReturnType<typeof runModule>>) => (r.plan.result?.files as Array<{ path: string }>).map((f) => f.path.slice(dir.length + 1));
    const flat = await runModule(find, { paths: dir, patterns: '*.conf' }, { check: true });
    expect([flat.status, names(flat), flat.plan.result?.matched, flat.plan.result?.examined]).toEqual(['ok', ['top.conf'], 1, 3]);
    expect(flat.plan.result?.files).toMatchObject([{ mode: '0644', isreg: true, size: 1 }]);
    expect(names(await runModule(find, { paths: dir, patterns: '*.conf', recurse: true }))).toEqual(['a/b/c/deep.conf', 'a/mid.conf', 'top.conf']);
    expect(names(await runModule(find, { paths: [dir], recurse: true, depth: 2 }))).toEqual(['a/mid.conf', 'top.conf']);
    expect(names(await runModule(find, { path: dir, recurse: true, age: '1w' }))).toEqual(['a/mid.conf']);
    expect(names(await runModule(find, { paths: dir, file_type: 'link' }))).toEqual(['ln.conf']);
    const missing = await runModule(find, { paths: `${dir}/nope,${dir}/a` });
    expect(missing.plan.result).toMatchObject({ msg: 'Not all paths examined, check warnings for details', skipped_paths: { [`${dir}/nope`]: `'${dir}/nope' is not a directory` } });
    expect(await snapshot(dir)).toEqual(before);
  });

  it('selects by content, line by line or over the whole file, and refuses a bad pattern', async () => {
    await writeFile(join(dir, "it's.conf"), 'a=1\nMaxSessions 10\n');
    await writeFile(join(dir, 'other.conf'), 'MaxSessions\n10\n');
    const names = async (a: Record<string, unknown>) =>
      ((await runModule(find, { paths: dir, ...a })).plan.result?.files as Array<{ path: string }>).map((f) => f.path.slice(dir.length + 1));
    expect(await names({ contains: '^MaxSessions\\s+\\d+$' })).toEqual(["it's.conf"]);
    expect(await names({ contains: '(?P<k>MaxSessions)\\n10', read_whole_file: true })).toEqual(['other.conf']);
    expect(await names({ contains: 'nothing here' })).toEqual([]);
    expect((await runModule(find, { paths: dir, contains: '(' })).msg).toMatch(/^invalid regular expression '\('/);
  });
});
