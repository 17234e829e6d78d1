// Every shipped playbook loads and validates; the everyday example runs, is idempotent, and changes
// nothing in check mode (local connection on temporary hosts).
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';

const root = new URL('../../playbooks/', import.meta.url).pathname;
const shipped = [
  ...readdirSync(root).filter((f) => f.endsWith('.yml')).map((f) => join(root, f)),
  ...readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.yml')).map((f) => join(root, 'examples', f)),
];

describe('shipped playbooks', () => {
  it.each(shipped)('%s passes --syntax-check', async (pb) => {
    const r = await fleetplay([pb, '--syntax-check']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/syntax OK/);
  });

  it('examples/node-baseline.yml: check, run, run again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fp-baseline-'));
    const inv = join(dir, 'inv.ini');
    await writeFile(inv, `[linux]\nn1 ansible_connection=local baseline_dir=${dir}/n1\nn2 ansible_connection=local baseline_dir=${dir}/n2\n`);
    const pb = join(root, 'examples', 'node-baseline.yml');
    const check = await fleetplay([pb, '-i', inv, '--check', '--diff', '-e', 'ansible_become=false']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('+*    soft    nofile    1048576');
    expect(await readdir(dir)).toEqual(['inv.ini']);

    const first = await fleetplay([pb, '-i', inv, '-e', 'ansible_become=false']);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(recap(first.stdout).n1).toMatchObject({ failed: 0, rescued: 1 });
    expect(await readFile(join(dir, 'n1', 'limits.conf'), 'utf8')).toContain('# scratch: ' + join(dir, 'n1') + '/jobs');
    expect((await readFile(join(dir, 'n2', 'limits.changes'), 'utf8')).trim().split('\n')).toHaveLength(1);

    const again = await fleetplay([pb, '-i', inv, '-e', 'ansible_become=false']);
    expect(recap(again.stdout)).toMatchObject({ n1: { changed: 0 }, n2: { changed: 0 } });
    expect((await readFile(join(dir, 'n2', 'limits.changes'), 'utf8')).trim().split('\n')).toHaveLength(1);
  });
});
