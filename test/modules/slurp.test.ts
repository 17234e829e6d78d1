import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slurp } from '../../src/modules/slurp.js';
import { runModule, tempDir } from '../support/module-host.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => cleanup());

describe('slurp', () => {
  it('returns the bytes base64-encoded, the same in check mode, and changes nothing', async () => {
    const p = join(dir, 'bin');
    const bytes = Buffer.from([0, 1, 0xff, 0x0a, 0x41]);
    await writeFile(p, bytes);
    for (const check of [false, true]) {
      const r = await runModule(slurp, { src: p }, { check });
      expect(r.status).toBe('ok');
      expect(r.plan.result).toEqual({ content: bytes.toString('base64'), encoding: 'base64', source: p });
    }
    expect((await runModule(slurp, { path: p })).plan.result?.content).toBe('AAH/CkE=');
  });

  it('fails clearly on a missing file and on a directory', async () => {
    expect((await runModule(slurp, { src: join(dir, 'nope') })).msg).toBe(`file not found: ${join(dir, 'nope')}`);
    await mkdir(join(dir, 'd'));
    expect((await runModule(slurp, { src: join(dir, 'd') })).msg).toBe(`source is a directory and must be a file: ${join(dir, 'd')}`);
    expect((await runModule(slurp, {})).msg).toBe('src is required');
  });
});
