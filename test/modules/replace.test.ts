import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replace, replaceText } from '../../src/modules/replace.js';
import { runModule, snapshot, tempDir } from '../support/module-host.js';

const GRUB = 'GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX="quiet"\nGRUB_TIMEOUT=5\n';

describe('replaceText (Python re.subn, MULTILINE)', () => {
  it('replaces every match with \\1 and \\g<name> groups, ^/$ per line', () => {
    expect(replaceText(GRUB, { regexp: '^(GRUB_CMDLINE_LINUX="[^"]*)"$', replace: '\\1 iommu=pt"' })).toEqual({
      content: GRUB.replace('"quiet"', '"quiet iommu=pt"'),
      count: 1,
    });
    expect(replaceText('a=1\nb=2\n', { regexp: '^(?P<k>\\w)=(\\d)$', replace: '\\g<k>: \\2' })).toEqual({ content: 'a: 1\nb: 2\n', count: 2 });
    expect(replaceText('x$y\n', { regexp: 'y', replace: '$&z' }).content).toBe('x$$&z\n');
  });

  it('an identical replacement or no match changes nothing', () => {
    expect(replaceText(GRUB, { regexp: 'GRUB_TIMEOUT=5', replace: 'GRUB_TIMEOUT=5' })).toEqual({ content: GRUB, count: 0 });
    expect(replaceText(GRUB, { regexp: 'nothing', replace: 'x' })).toEqual({ content: GRUB, count: 0 });
  });

  it('limits the edit to the section after / before / between patterns; a missing section means the whole text', () => {
    const text = 'v=1\n[main]\nv=1\n[other]\nv=1\n';
    expect(replaceText(text, { regexp: '^v=1$', replace: 'v=2', after: '\\[main\\]' }).content).toBe('v=1\n[main]\nv=2\n[other]\nv=2\n');
    expect(replaceText(text, { regexp: '^v=1$', replace: 'v=2', before: '\\[other\\]' }).content).toBe('v=2\n[main]\nv=2\n[other]\nv=1\n');
    expect(replaceText(text, { regexp: '^v=1$', replace: 'v=2', after: '\\[main\\]', before: '\\[other\\]' })).toEqual({
      content: 'v=1\n[main]\nv=2\n[other]\nv=1\n',
      count: 1,
    });
    expect(replaceText(text, { regexp: '^v=1$', replace: 'v=3', after: '\\[absent\\]' }).count).toBe(3);
  });

  it("keeps Python's ., ^ and $: a CRLF line does not end at \\r, a dot does not match it", () => {
    expect(replaceText('Port 22\r\nPort 22\n', { regexp: '^(Port) 22$', replace: '\\1 2222' }).content).toBe('Port 22\r\nPort 2222\n');
    expect(replaceText('k=v\r\n', { regexp: '^k=.*', replace: 'k=w' }).content).toBe('k=w\n');
    expect(replaceText('a]b.c\n', { regexp: '[]]b[.]', replace: '-' }).content).toBe('a-c\n');
    expect(replaceText('x\ny\n', { regexp: 'y$', replace: 'z', after: '^x$' }).content).toBe('x\nz\n');
    expect(replaceText('one\ntwo\n', { regexp: '(?s)one.two', replace: '1-2' }).content).toBe('1-2\n');
  });

  it('works on text, not bytes: a dot is one character', () => {
    expect(replaceText('naïve\n', { regexp: 'na.ve', replace: 'plain' }).content).toBe('plain\n');
  });
});

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => cleanup());

describe('replace on a real file', () => {
  it('check mode shows the diff and writes nothing; a real run writes; a second run is ok', async () => {
    const p = join(dir, 'grub');
    await writeFile(p, GRUB);
    const args = { path: p, regexp: '^GRUB_TIMEOUT=\\d+$', replace: 'GRUB_TIMEOUT=1' };
    const before = await snapshot(dir);
    const check = await runModule(replace, args, { check: true });
    expect(check.status).toBe('changed');
    expect(check.plan.diff).toEqual([{ kind: 'text', path: p, before: GRUB, after: GRUB.replace('=5', '=1') }]);
    expect(await snapshot(dir)).toEqual(before);
    const real = await runModule(replace, args);
    expect([real.status, real.applied?.result?.msg]).toEqual(['changed', '1 replacements made']);
    expect(await readFile(p, 'utf8')).toBe(GRUB.replace('=5', '=1'));
    const again = await runModule(replace, args);
    expect([again.status, again.plan.reason, again.plan.result?.msg]).toEqual(['ok', `no match of the regexp in ${p}`, '']);
  });

  it('keeps a backup, validates before replacing, and fails clearly', async () => {
    const p = join(dir, 'conf');
    await writeFile(p, 'a=1\n');
    const r = await runModule(replace, { dest: p, regexp: '1', replace: '2', backup: true });
    expect(await readFile(r.applied?.result?.backup_file as string, 'utf8')).toBe('a=1\n');
    const bad = await runModule(replace, { path: p, regexp: '2', replace: '3', validate: "grep -q '=2' %s" });
    expect(bad.msg).toMatch(/^failed to validate: rc:1/);
    expect(await readFile(p, 'utf8')).toBe('a=2\n');
    expect((await readdir(dir)).filter((f) => f.includes('validate'))).toEqual([]);
    expect((await runModule(replace, { path: p, regexp: '2', replace: '3', validate: "grep -q '=3' %s" })).status).toBe('changed');
    expect(await readFile(p, 'utf8')).toBe('a=3\n');
    expect((await runModule(replace, { path: p, regexp: '3', validate: 'true' })).msg).toBe('validate must contain %s: true');
    expect((await runModule(replace, { path: join(dir, 'nope'), regexp: 'x' })).msg).toBe(`Path ${join(dir, 'nope')} does not exist !`);
    expect((await runModule(replace, { path: dir, regexp: 'x' })).msg).toBe(`Path ${dir} is a directory !`);
    expect((await runModule(replace, { path: p, regexp: '(' })).msg).toMatch(/^invalid regular expression '\('/);
    await writeFile(p, Buffer.from([0x61, 0xff, 0x0a]));
    expect((await runModule(replace, { path: p, regexp: 'a', replace: 'b' })).msg).toBe(`${p} is not valid UTF-8 text`);
  });
});
