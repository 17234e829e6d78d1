import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetch, fetchDest } from '../../src/modules/fetch.js';
import { runModule, tempDir } from '../support/module-host.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => cleanup());

describe('fetch', () => {
  it('places the copy per host or flat, as Ansible does', () => {
    expect(fetchDest({ src: '/var/log/x.log', dest: '/r' }, 'node1')).toBe('/r/node1/var/log/x.log');
    expect(fetchDest({ src: '/var/log/x.log', dest: '/r/', flat: true }, 'node1')).toBe('/r/x.log');
    expect(fetchDest({ src: '/var/log/x.log', dest: '/r/y.log', flat: true }, 'node1')).toBe('/r/y.log');
  });

  it('copies once, check mode writes nothing, a changed file is fetched again', async () => {
    const src = join(dir, 'remote', 'data.txt');
    await mkdir(join(dir, 'remote'));
    await writeFile(src, 'one\n');
    const args = { src, dest: join(dir, 'out') };
    expect((await runModule(fetch, args, { check: true })).status).toBe('changed');
    await expect(readdir(join(dir, 'out'))).rejects.toThrow();
    const r = await runModule(fetch, args);
    const dest = join(dir, 'out', 'localhost', src);
    expect([r.status, r.applied?.result?.dest, r.applied?.result?.checksum]).toEqual(['changed', dest, createHash('sha1').update('one\n').digest('hex')]);
    expect(await readFile(dest, 'utf8')).toBe('one\n');
    expect((await runModule(fetch, args)).status).toBe('ok');
    await writeFile(src, 'two\n');
    expect((await runModule(fetch, args)).status).toBe('changed');
    expect(await readFile(dest, 'utf8')).toBe('two\n');
  });

  it('fails on a missing file or a directory, unless fail_on_missing is false', async () => {
    expect((await runModule(fetch, { src: join(dir, 'nope'), dest: dir })).msg).toBe(`the remote file does not exist: ${join(dir, 'nope')}`);
    const soft = await runModule(fetch, { src: join(dir, 'nope'), dest: dir, fail_on_missing: false });
    expect([soft.status, soft.plan.result?.msg]).toEqual(['ok', 'the remote file does not exist, not transferring, ignored']);
    expect((await runModule(fetch, { src: dir, dest: join(dir, 'o') })).msg).toBe('remote file is a directory, fetch cannot work on directories');
  });
});
