import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findEntries, fstabLine, mountPoints, removeEntry, setEntry } from '../../src/modules/lib/fstab.js';
import { mount, planMount } from '../../src/modules/mount.js';
import { runModule, tempDir } from '../support/module-host.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => cleanup());

const AZURE = [
  '# /etc/fstab: static file system information.',
  'UUID=0b8c  /               ext4   defaults,discard  0 1',
  '/dev/disk/cloud/azure_resource-part1\t/mnt\tauto\tdefaults,nofail,x-systemd.requires=cloud-init.service\t0\t2',
  '',
].join('\n');
const scratch = { src: 'tmpfs', path: '/mnt/my scratch', fstype: 'tmpfs', opts: 'size=64m', dump: '0', passno: '0' };

describe('fstab text (pure)', () => {
  it('appends an entry with escaped spaces and finds it again by its mount point', () => {
    const next = setEntry(AZURE, scratch);
    expect(next).toBe(`${AZURE}tmpfs /mnt/my\\040scratch tmpfs size=64m 0 0\n`);
    expect(findEntries(next, '/mnt/my scratch')).toEqual([scratch]);
    expect(setEntry(next, scratch)).toBe(next);
  });

  it('keeps an unchanged line as written and rewrites a changed one in place', () => {
    const same = { src: 'UUID=0b8c', path: '/', fstype: 'ext4', opts: 'defaults,discard', dump: '0', passno: '1' };
    expect(setEntry(AZURE, same)).toBe(AZURE);
    const lines = setEntry(AZURE, { ...same, opts: 'defaults' }).split('\n');
    expect(lines[1]).toBe('UUID=0b8c / ext4 defaults 0 1');
    expect(lines[2]).toMatch(/^\/dev\/disk\/cloud/);
  });

  it('removes every line of a mount point and nothing else; swap is told apart by its source', () => {
    expect(removeEntry(AZURE, '/mnt')).toBe(AZURE.split('\n').filter((l) => !l.includes('/mnt')).join('\n'));
    const swaps = '/dev/sdb none swap sw 0 0\n/dev/sdc none swap sw 0 0\n';
    expect(removeEntry(swaps, 'none', '/dev/sdc')).toBe('/dev/sdb none swap sw 0 0\n');
    expect(fstabLine({ ...scratch, path: '/a\tb' })).toBe('tmpfs /a\\011b tmpfs size=64m 0 0\n');
  });

  it('reads mount points from /proc/self/mounts with their escapes', () => {
    expect([...mountPoints('/dev/sda1 / ext4 rw 0 0\ntmpfs /mnt/my\\040scratch tmpfs rw 0 0\n')]).toEqual(['/', '/mnt/my scratch']);
  });
});

describe('mount planning', () => {
  const cur = (content: string | null, mounted: boolean, pathType: 'dir' | 'other' | 'none' = 'dir') => ({ fstab: { path: '/etc/fstab', content }, mounted, pathType });
  const args = { path: '/mnt/scratch', src: 'tmpfs', fstype: 'tmpfs', opts: 'size=8m' };

  it('mounted: writes the entry, creates the mount point and mounts; when mounted with a changed entry it remounts', () => {
    const p = planMount({ ...args, state: 'mounted' }, cur('', false, 'none'));
    expect(p.changes.map((c) => c.kind)).toEqual(['write', 'mkdir', 'mount']);
    expect(p.diff?.[0]).toMatchObject({ kind: 'text', after: 'tmpfs /mnt/scratch tmpfs size=8m 0 0\n' });
    const right = 'tmpfs /mnt/scratch tmpfs size=8m 0 0\n';
    expect(planMount({ ...args, state: 'mounted' }, cur(right, true)).changes).toEqual([]);
    expect(planMount({ ...args, opts: 'size=16m', state: 'mounted' }, cur(right, true)).changes.map((c) => c.kind)).toEqual(['write', 'remount']);
  });

  it('unmounted never edits the fstab; absent unmounts and removes the mount point only when it removed an entry', () => {
    const right = 'tmpfs /mnt/scratch tmpfs size=8m 0 0\n';
    expect(planMount({ path: '/mnt/scratch', state: 'unmounted' }, cur(right, true)).changes).toEqual([{ kind: 'umount', path: '/mnt/scratch' }]);
    expect(planMount({ path: '/mnt/scratch', state: 'unmounted' }, cur(right, false)).changes).toEqual([]);
    expect(planMount({ path: '/mnt/scratch', state: 'absent' }, cur(right, true)).changes.map((c) => c.kind)).toEqual(['write', 'umount', 'rmdir']);
    expect(planMount({ path: '/mnt/scratch', state: 'absent' }, cur('', true)).changes).toEqual([]);
  });

  it('fails clearly without src/fstype, with a relative path, or remounting what is not mounted', () => {
    expect(planMount({ path: '/x', state: 'present' }, cur('', false)).failed).toBe('state is present but all of the following are missing: src, fstype');
    expect(planMount({ ...args, path: 'mnt', state: 'present' }, cur('', false)).failed).toBe('path must be absolute: mnt');
    expect(planMount({ path: '/x', state: 'remounted' }, cur('', false)).failed).toBe('/x is not mounted, so it cannot be remounted');
    expect(planMount({ ...args, state: 'mounted' }, cur('', false, 'other')).failed).toBe('/mnt/scratch exists and is not a directory');
  });

  it('boot: false adds noauto', () => {
    const p = planMount({ ...args, opts: undefined, boot: false, state: 'present' }, cur('', false));
    expect(p.result).toMatchObject({ opts: 'noauto' });
  });
});

describe('mount with state present/absent on a real file', () => {
  it('check mode writes nothing, present adds the entry once with a backup, absent removes it', async () => {
    const fstab = join(dir, 'fstab');
    await writeFile(fstab, AZURE);
    const mp = join(dir, 'mp');
    const args = { path: mp, src: 'tmpfs', fstype: 'tmpfs', opts: 'size=8m', state: 'present' as const, fstab, backup: true };
    expect((await runModule(mount, args, { check: true })).status).toBe('changed');
    expect(await readFile(fstab, 'utf8')).toBe(AZURE);
    const r = await runModule(mount, args);
    expect(r.status).toBe('changed');
    expect(await readFile(fstab, 'utf8')).toBe(`${AZURE}tmpfs ${mp} tmpfs size=8m 0 0\n`);
    expect((await readdir(dir)).filter((f) => f.startsWith('fstab.')).length).toBe(1);
    expect((await runModule(mount, args)).status).toBe('ok');
    // The mount point does not exist here, so absent only edits the file.
    expect((await runModule(mount, { path: mp, state: 'absent', fstab })).status).toBe('changed');
    expect(await readFile(fstab, 'utf8')).toBe(AZURE);
    expect((await runModule(mount, { path: mp, state: 'absent', fstab })).status).toBe('ok');
  });
});
