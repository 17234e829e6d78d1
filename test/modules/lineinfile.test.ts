import { chmod, chown, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lineinfile } from '../../src/modules/lineinfile.js';
import { runModule, snapshot, tempDir } from '../support/module-host.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => cleanup());

const WAAGENT = '# Enable RDMA management and set up, should only be used with HPC images\n# OS.EnableRDMA=y\n\n# OS.UpdateRdmaDriver=y\nLogs.Verbose=n\n';
const rdma = (path: string) => ({ path, regexp: '^#?\\s*OS\\.EnableRDMA=', line: 'OS.EnableRDMA=y' });

describe('lineinfile on a real file', () => {
  it('edits waagent.conf, keeps owner/mode, then reports ok', async () => {
    const p = join(dir, 'waagent.conf');
    await writeFile(p, WAAGENT);
    await chown(p, 65534, 65534);
    await chmod(p, 0o640);
    const ino = (await stat(p)).ino;
    const r = await runModule(lineinfile, rdma(p));
    expect(r.status).toBe('changed');
    expect(r.applied?.result?.msg).toBe('line replaced');
    expect(r.plan.diff).toEqual([{ kind: 'text', path: p, before: WAAGENT, after: WAAGENT.replace('# OS.EnableRDMA=y', 'OS.EnableRDMA=y') }]);
    const st = await stat(p);
    expect([st.ino !== ino, st.uid, st.mode & 0o7777]).toEqual([true, 65534, 0o640]);
    const again = await runModule(lineinfile, rdma(p));
    expect([again.status, again.plan.reason]).toEqual(['ok', `${p} already contains the line`]);
  });

  it('check mode shows the diff and writes nothing', async () => {
    const p = join(dir, 'waagent.conf');
    await writeFile(p, WAAGENT);
    const before = await snapshot(dir);
    const r = await runModule(lineinfile, rdma(p), { check: true });
    expect(r.status).toBe('changed');
    expect(r.plan.diff?.[0]).toMatchObject({ kind: 'text' });
    expect(await snapshot(dir)).toEqual(before);
  });

  it('backs up the old file and creates missing files (and directories) when asked', async () => {
    const p = join(dir, 'conf');
    await writeFile(p, 'a=1\n');
    const r = await runModule(lineinfile, { path: p, regexp: '^a=', line: 'a=2', backup: true });
    const backup = r.applied?.result?.backup_file as string;
    expect(await readFile(backup, 'utf8')).toBe('a=1\n');
    const fresh = join(dir, 'new/dir/file.conf');
    expect((await runModule(lineinfile, { path: fresh, line: 'x=1', create: true, mode: '0600' })).status).toBe('changed');
    expect(await readFile(fresh, 'utf8')).toBe('x=1\n');
    expect((await stat(fresh)).mode & 0o7777).toBe(0o600);
  });

  it('fails on a missing file without create, and on a directory', async () => {
    const missing = await runModule(lineinfile, { path: join(dir, 'nope'), line: 'x' });
    expect(missing.msg).toBe(`Destination ${join(dir, 'nope')} does not exist !`);
    expect((await runModule(lineinfile, { path: dir, line: 'x' })).msg).toBe(`Path ${dir} is a directory !`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('accepts the dest/regex/value aliases and refuses exclusive pairs', async () => {
    const p = join(dir, 'f');
    await writeFile(p, 'k=1\n');
    expect((await runModule(lineinfile, { dest: p, regex: '^k=', value: 'k=2' })).status).toBe('changed');
    expect(await readFile(p, 'utf8')).toBe('k=2\n');
    const both = await runModule(lineinfile, { path: p, line: 'x', insertafter: 'EOF', insertbefore: 'BOF' });
    expect(both.msg).toBe('parameters are mutually exclusive: insertbefore|insertafter');
  });

  it('state=absent removes every match, and only fixes attributes when the text is right', async () => {
    const p = join(dir, 'f');
    await writeFile(p, 'keep\ndrop 1\ndrop 2\n');
    const r = await runModule(lineinfile, { path: p, regexp: '^drop', state: 'absent' });
    expect(r.applied?.result).toMatchObject({ found: 2, msg: '2 line(s) removed' });
    expect(await readFile(p, 'utf8')).toBe('keep\n');
    const attrs = await runModule(lineinfile, { path: p, line: 'keep', mode: '0600' });
    expect(attrs.plan.changes).toEqual([{ kind: 'attrs', path: p, want: { mode: 0o600 } }]);
    expect((await stat(p)).mode & 0o7777).toBe(0o600);
  });
});
