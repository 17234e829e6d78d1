import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BlockSpec, blockinfile, editBlock } from '../../src/modules/blockinfile.js';
import { runModule, snapshot, tempDir } from '../support/module-host.js';

const spec = (o: Partial<BlockSpec> = {}): BlockSpec => ({
  block: 'a=1\nb=2\n',
  present: true,
  marker: '# {mark} ANSIBLE MANAGED BLOCK',
  markerBegin: 'BEGIN',
  markerEnd: 'END',
  ...o,
});
const BLOCK = '# BEGIN ANSIBLE MANAGED BLOCK\na=1\nb=2\n# END ANSIBLE MANAGED BLOCK\n';

describe('editBlock (Ansible placement rules)', () => {
  it('appends at EOF by default, adding the missing newline of the last line', () => {
    expect(editBlock('x\ny', spec())).toEqual({ content: `x\ny\n${BLOCK}`, msg: 'Block inserted' });
    expect(editBlock(null, spec())).toEqual({ content: BLOCK, msg: 'File created' });
  });

  it('replaces an existing block where it stands and is a no-op when it is right', () => {
    const old = 'head\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\ntail\n';
    const r = editBlock(old, spec({ insertbefore: 'BOF' }));
    expect(r).toEqual({ content: `head\n${BLOCK}tail\n`, msg: 'Block inserted' });
    expect(editBlock(r.content, spec({ insertbefore: 'BOF' }))).toEqual({ content: r.content, msg: '' });
  });

  it('inserts after / before the LAST matching line; no match falls back to EOF for both', () => {
    const text = 'k1\nmatch 1\nk2\nmatch 2\nk3\n';
    expect(editBlock(text, spec({ insertafter: '^match' })).content).toBe(`k1\nmatch 1\nk2\nmatch 2\n${BLOCK}k3\n`);
    expect(editBlock(text, spec({ insertbefore: '^match' })).content).toBe(`k1\nmatch 1\nk2\n${BLOCK}match 2\nk3\n`);
    expect(editBlock(text, spec({ insertafter: '^nothing' })).content).toBe(text + BLOCK);
    expect(editBlock(text, spec({ insertbefore: '^nothing' })).content).toBe(text + BLOCK);
    expect(editBlock(text, spec({ insertbefore: 'BOF' })).content).toBe(BLOCK + text);
    expect(editBlock(text, spec({ insertafter: '^k2$' })).content).toBe(`k1\nmatch 1\nk2\n${BLOCK}match 2\nk3\n`);
    expect(editBlock(text, spec({ insertafter: '(?P<k>k2)' })).content).toBe(`k1\nmatch 1\nk2\n${BLOCK}match 2\nk3\n`);
  });

  it('removes the block for state absent and for an empty block; custom markers', () => {
    const text = `x\n${BLOCK}y\n`;
    expect(editBlock(text, spec({ present: false }))).toEqual({ content: 'x\ny\n', msg: 'Block removed' });
    expect(editBlock(text, spec({ block: '' }))).toEqual({ content: 'x\ny\n', msg: 'Block removed' });
    expect(editBlock('x\n', spec({ present: false }))).toEqual({ content: 'x\n', msg: '' });
    const custom = editBlock('', spec({ marker: '<!-- {mark} -->', markerBegin: 'start', markerEnd: 'stop', block: 'v' }));
    expect(custom.content).toBe('<!-- start -->\nv\n<!-- stop -->\n');
  });

  it('prepend_newline / append_newline add blank lines only where none is', () => {
    const r = editBlock('x\ny\n', spec({ insertafter: '^x', prependNewline: true, appendNewline: true }));
    expect(r.content).toBe(`x\n\n${BLOCK}\ny\n`);
    expect(editBlock(r.content, spec({ insertafter: '^x', prependNewline: true, appendNewline: true })).msg).toBe('');
    expect(editBlock('', spec({ prependNewline: true, appendNewline: true })).content).toBe(BLOCK);
  });
});

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => cleanup());

describe('blockinfile on a real file', () => {
  it('check mode shows the diff and writes nothing; a real run writes; a second run is ok', async () => {
    const p = join(dir, 'limits.conf');
    await writeFile(p, '# limits\n');
    const args = { path: p, block: 'a=1\nb=2' };
    const before = await snapshot(dir);
    const check = await runModule(blockinfile, args, { check: true });
    expect(check.status).toBe('changed');
    expect(check.plan.diff).toEqual([{ kind: 'text', path: p, before: '# limits\n', after: `# limits\n${BLOCK}` }]);
    expect(await snapshot(dir)).toEqual(before);
    const real = await runModule(blockinfile, args);
    expect([real.status, real.applied?.result?.msg]).toEqual(['changed', 'Block inserted']);
    expect(await readFile(p, 'utf8')).toBe(`# limits\n${BLOCK}`);
    const again = await runModule(blockinfile, args);
    expect([again.status, again.plan.reason]).toEqual(['ok', `${p} already has the block`]);
  });

  it('keeps a backup, creates files with a mode, and fails clearly on a missing file or a directory', async () => {
    const p = join(dir, 'conf');
    await writeFile(p, 'a\n');
    const r = await runModule(blockinfile, { path: p, content: 'z', backup: true });
    expect(await readFile(r.applied?.result?.backup_file as string, 'utf8')).toBe('a\n');
    const fresh = join(dir, 'new/sub/file');
    expect((await runModule(blockinfile, { dest: fresh, block: 'q', create: true, mode: '0600' })).status).toBe('changed');
    expect([await readFile(fresh, 'utf8'), (await stat(fresh)).mode & 0o777]).toEqual(['# BEGIN ANSIBLE MANAGED BLOCK\nq\n# END ANSIBLE MANAGED BLOCK\n', 0o600]);
    expect((await runModule(blockinfile, { path: join(dir, 'nope'), block: 'x' })).msg).toBe(`Path ${join(dir, 'nope')} does not exist !`);
    expect((await runModule(blockinfile, { path: dir, block: 'x' })).msg).toBe(`Path ${dir} is a directory !`);
    const refused = await runModule(blockinfile, { path: p, block: 'bad', validate: "! grep -q bad %s" });
    expect(refused.msg).toMatch(/^failed to validate: rc:1/);
    expect(await readFile(p, 'utf8')).toBe('a\n# BEGIN ANSIBLE MANAGED BLOCK\nz\n# END ANSIBLE MANAGED BLOCK\n');
    expect((await runModule(blockinfile, { path: p, block: 'good', validate: 'grep -q good %s' })).status).toBe('changed');
    expect(await readFile(p, 'utf8')).toContain('\ngood\n');
    const both = await runModule(blockinfile, { path: p, block: 'x', insertafter: 'EOF', insertbefore: 'BOF' });
    expect(both.msg).toBe('parameters are mutually exclusive: insertafter|insertbefore');
  });
});
