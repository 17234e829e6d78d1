import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { editLimits, pamLimits, valueProblem } from '../../src/modules/pam-limits.js';
import { runModule, tempDir } from '../support/module-host.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => cleanup());

const STOCK = '# /etc/security/limits.conf\n#\n#<domain>      <type>  <item>         <value>\n#*               soft    core            0\n\n# End of file\n';
const memlock = { domain: '*', limit_type: '-', limit_item: 'memlock', value: 'unlimited' } as const;

describe('pam_limits editing (pure)', () => {
  it('appends a missing limit after the comments, tab-separated', () => {
    expect(editLimits(STOCK, memlock)).toEqual({ content: `${STOCK}*\t-\tmemlock\tunlimited\n`, line: '*\t-\tmemlock\tunlimited' });
  });

  it('replaces the value of the matching line only, keeps other lines and an unchanged match as written', () => {
    const text = '@hpc  hard  nofile  1024\n*    soft    memlock   64   # old\n*  hard memlock 64\n';
    const e = editLimits(text, { domain: '*', limit_type: 'soft', limit_item: 'memlock', value: 'unlimited', comment: 'hpc' });
    expect(e.content).toBe('@hpc  hard  nofile  1024\n*\tsoft\tmemlock\tunlimited\t#hpc\n*  hard memlock 64\n');
    expect(editLimits(e.content, { domain: '@hpc', limit_type: 'hard', limit_item: 'nofile', value: 1024 })).toEqual({
      content: e.content,
      line: '@hpc  hard  nofile  1024',
    });
  });

  it('use_max keeps a larger or unlimited value, use_min a smaller one', () => {
    const text = '* hard nofile 65536\n';
    expect(editLimits(text, { domain: '*', limit_type: 'hard', limit_item: 'nofile', value: 4096, use_max: true }).content).toBe(text);
    expect(editLimits(text, { domain: '*', limit_type: 'hard', limit_item: 'nofile', value: 131072, use_max: true }).content).toBe('*\thard\tnofile\t131072\n');
    expect(editLimits(text, { domain: '*', limit_type: 'hard', limit_item: 'nofile', value: 4096, use_min: true }).content).toBe('*\thard\tnofile\t4096\n');
    expect(editLimits('* hard nofile unlimited\n', { domain: '*', limit_type: 'hard', limit_item: 'nofile', value: 10, use_max: true }).line).toBe('* hard nofile unlimited');
  });

  it('ends an unterminated last line before appending', () => {
    expect(editLimits('# x', memlock).content).toBe('# x\n*\t-\tmemlock\tunlimited\n');
  });

  it('checks values as Ansible does', () => {
    expect(valueProblem('memlock', 'unlimited')).toBeUndefined();
    expect(valueProblem('nice', '-5')).toBeUndefined();
    expect(valueProblem('nofile', '-5')).toMatch(/can be one of 'unlimited'/);
    expect(valueProblem('nofile', 'lots')).toMatch(/positive number/);
  });
});

describe('pam_limits on a file', () => {
  it('creates dest, reports the line, and a second run is ok; check mode writes nothing', async () => {
    const dest = join(dir, 'limits.d', '90-memlock.conf');
    const args = { ...memlock, dest };
    const dry = await runModule(pamLimits, args, { check: true });
    expect(dry.status).toBe('changed');
    await expect(readFile(dest)).rejects.toThrow();
    const r = await runModule(pamLimits, args);
    expect([r.status, r.applied?.result?.msg]).toEqual(['changed', '*\t-\tmemlock\tunlimited']);
    expect(await readFile(dest, 'utf8')).toBe('*\t-\tmemlock\tunlimited\n');
    const again = await runModule(pamLimits, args);
    expect(again.status).toBe('ok');
  });

  it('fails clearly: create false on a missing file, use_max with use_min, a bad value', async () => {
    const dest = join(dir, 'limits.conf');
    expect((await runModule(pamLimits, { ...memlock, dest, create: false })).msg).toBe(`${dest} does not exist.`);
    await writeFile(dest, STOCK);
    expect((await runModule(pamLimits, { ...memlock, dest, use_max: true, use_min: true })).msg).toBe('parameters are mutually exclusive: use_max|use_min');
    expect((await runModule(pamLimits, { ...memlock, dest, value: 'big' })).msg).toMatch(/positive number/);
    expect(await readFile(dest, 'utf8')).toBe(STOCK);
  });
});
