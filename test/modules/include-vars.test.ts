// include_vars on recorded controller files: which files a file:/dir: argument loads, in what order,
// under `name:`, and the errors Ansible gives for a missing file or directory.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { includeVars } from '../../src/modules/include-vars.js';
import { makeHostContext, runModule, tempDir } from '../support/module-host.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('fleetplay-include-vars-'));
  await mkdir(join(dir, 'vars', 'site', 'deep'), { recursive: true });
  await writeFile(join(dir, 'vars', 'ofed.yml'), 'ofed_version: 24.10\nprofile: doca-ofed\n');
  await writeFile(join(dir, 'vars', 'site', 'a.yml'), 'region: westeurope\nprofile: a\n');
  await writeFile(join(dir, 'vars', 'site', 'b.json'), '{"profile": "b"}');
  await writeFile(join(dir, 'vars', 'site', 'notes.txt'), 'not: loaded\n');
  await writeFile(join(dir, 'vars', 'site', 'deep', 'c.yml'), 'deep: true\n');
});
afterEach(() => cleanup());

const ctx = () => ({ ...makeHostContext({ baseDir: dir }), loadVarsFile: async (p: string) => parse(await readFile(p, 'utf8')) as Record<string, unknown> });

describe('include_vars', () => {
  it('loads one file at the top level or under a name, changing nothing', async () => {
    const top = await runModule(includeVars, { file: 'ofed.yml' }, { ctx: ctx() });
    expect(top.status).toBe('ok');
    expect(top.plan.includeVars).toEqual({ ofed_version: 24.1, profile: 'doca-ofed' });
    expect(top.plan.result).toEqual({ ansible_included_var_files: [join(dir, 'vars', 'ofed.yml')] });
    const named = await runModule(includeVars, { free_form: 'ofed.yml', name: 'ofed' }, { ctx: ctx() });
    expect(named.plan.includeVars).toEqual({ ofed: { ofed_version: 24.1, profile: 'doca-ofed' } });
  });

  it('loads a directory in name order, later files winning, by extension, depth and pattern', async () => {
    const all = await runModule(includeVars, { dir: 'site' }, { ctx: ctx() });
    expect(all.plan.result).toEqual({ ansible_included_var_files: ['a.yml', 'b.json', 'deep/c.yml'].map((f) => join(dir, 'vars', 'site', f)) });
    expect(all.plan.includeVars).toEqual({ region: 'westeurope', profile: 'b', deep: true });
    const shallow = await runModule(includeVars, { dir: 'site', depth: 1, ignore_files: ['b.json'] }, { ctx: ctx() });
    expect(shallow.plan.includeVars).toEqual({ region: 'westeurope', profile: 'a' });
    const matching = await runModule(includeVars, { dir: 'site', files_matching: '^b', name: 'site' }, { ctx: ctx() });
    expect(matching.plan.includeVars).toEqual({ site: { profile: 'b' } });
  });

  it('fails with what is missing, and on neither or both of file and dir', async () => {
    expect((await runModule(includeVars, { file: 'nope.yml' }, { ctx: ctx() })).msg).toBe("Could not find or access 'nope.yml'");
    expect((await runModule(includeVars, { dir: 'nowhere' }, { ctx: ctx() })).msg).toBe('nowhere directory does not exist');
    expect((await runModule(includeVars, {}, { ctx: ctx() })).msg).toBe('include_vars needs exactly one of file or dir');
    expect((await runModule(includeVars, { file: 'ofed.yml', dir: 'site' }, { ctx: ctx() })).msg).toBe('include_vars needs exactly one of file or dir');
  });
});
