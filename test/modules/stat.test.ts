import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stat } from '../../src/modules/stat.js';
import { parseStatFact } from '../../src/modules/lib/stat-fact.js';
import { runModule, tempDir } from '../support/module-host.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => cleanup());

describe('stat', () => {
  it("returns Ansible's stat dict for a regular file, with sha1", async () => {
    const p = join(dir, 'f');
    await writeFile(p, 'hello\n');
    await chmod(p, 0o640);
    const r = await runModule(stat, { path: p });
    expect(r.status).toBe('ok');
    expect(r.plan.result?.stat).toMatchObject({
      exists: true,
      path: p,
      mode: '0640',
      isreg: true,
      isdir: false,
      islnk: false,
      uid: 0,
      gid: 0,
      pw_name: 'root',
      gr_name: 'root',
      size: 6,
      readable: true,
      rusr: true,
      roth: false,
      checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f',
    });
    expect(typeof (r.plan.result?.stat as Record<string, unknown>).mtime).toBe('number');
  });

  it('reports links (not followed by default), directories and absence', async () => {
    await mkdir(join(dir, 'd'));
    await symlink('d', join(dir, 'l'));
    const link = (await runModule(stat, { path: join(dir, 'l') })).plan.result?.stat;
    expect(link).toMatchObject({ islnk: true, lnk_target: 'd', lnk_source: join(dir, 'd') });
    const followed = (await runModule(stat, { path: join(dir, 'l'), follow: true })).plan.result?.stat;
    expect(followed).toMatchObject({ isdir: true, islnk: false });
    expect((await runModule(stat, { path: join(dir, 'nope') })).plan.result?.stat).toEqual({ exists: false });
  });

  it('honours get_checksum and checksum_algorithm', async () => {
    const p = join(dir, 'f');
    await writeFile(p, 'hello\n');
    const none = (await runModule(stat, { path: p, get_checksum: false })).plan.result?.stat as Record<string, unknown>;
    expect(none.checksum).toBeUndefined();
    const sha256 = (await runModule(stat, { path: p, checksum_algorithm: 'sha256' })).plan.result?.stat as Record<string, unknown>;
    expect(sha256.checksum).toBe('5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03');
  });

  it('ignores noise a login shell prints before the answer', () => {
    const out = 'motd noise\n@stat\n81a4 0 0 6 1 2 3 4 1 5\nroot\nroot\n@access rw\n';
    expect(parseStatFact(out, '/x')).toMatchObject({ mode: '0644', isreg: true, size: 6, writeable: true, executable: false });
  });
});
