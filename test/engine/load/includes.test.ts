// The loader entry points the executor calls at run time, and vars files for -e @file.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskNode } from '../../../src/engine/contract/playbook.js';
import { loadIncludedTasks, loadRole, loadVarsFile } from '../../../src/engine/load/index.js';
import { registry } from '../../../src/modules/registry.js';
import { fixtures, outline, problems } from '../../support/load-helpers.js';

const dir = path.join(fixtures, 'includes');
const from = { file: 'site.yml', line: 7, col: 5 };

describe('loadIncludedTasks', () => {
  it('loads a tasks file with the given id prefix, inlining its imports', async () => {
    const items = await loadIncludedTasks('tasks/dyn.yml', { registry, baseDir: dir, idPrefix: 'p0.t4[web1]', from });
    expect(outline(items)).toEqual(['p0.t4[web1].t0 task debug', 'p0.t4[web1].t1.t0 task command', 'p0.t4[web1].t2 include_role svc']);
    expect(items[1]!.tags).toEqual(['nested']);
    expect(items[2]!.baseDir).toBe(dir);
  });

  it('resolves a file inside a role against the role and marks its tasks', async () => {
    const { role } = await loadRole('svc', { registry, baseDir: dir, idPrefix: 'x', from });
    const items = await loadIncludedTasks('other.yml', { registry, baseDir: path.join(dir, 'roles/svc/tasks'), role, idPrefix: 'y', from });
    expect(items.map((i) => [i.name, i.role?.name])).toEqual([['svc other', 'svc']]);
  });

  it('reports a missing file at the include and problems inside the file', async () => {
    expect(await problems(loadIncludedTasks('tasks/none.yml', { registry, baseDir: dir, idPrefix: 'z', from }))).toEqual([
      `site.yml:7:5: tasks file '${path.relative(process.cwd(), path.join(dir, 'tasks/none.yml'))}' not found`,
    ]);
    const bad = path.relative(process.cwd(), path.join(dir, 'tasks/bad.yml'));
    expect(await problems(loadIncludedTasks('tasks/bad.yml', { registry, baseDir: dir, idPrefix: 'z', from }))).toEqual([
      `${bad}:3:3: unknown key 'whenn' in task (did you mean 'when'?)`,
    ]);
  });
});

describe('loadRole', () => {
  it('returns the scope, tasks and handlers', async () => {
    const r = await loadRole('svc', { registry, baseDir: dir, idPrefix: 'p0.t2', from });
    expect(r.role).toMatchObject({ name: 'svc', dir: path.join(dir, 'roles/svc'), defaults: { vars: { svc_port: 8080 } }, vars: { vars: {} } });
    expect(outline(r.items)).toEqual(['p0.t2.t0 task service']);
    expect((r.items[0] as TaskNode).args).toEqual({ name: 'svc', state: 'started' });
    expect(r.handlers.map((h) => [h.id, h.name, h.role?.name])).toEqual([['p0.t2.h0', 'restart svc', 'svc']]);
  });

  it('loads tasks_from', async () => {
    const r = await loadRole('svc', { registry, baseDir: dir, tasksFrom: 'other', idPrefix: 'q', from });
    expect(r.items.map((i) => i.name)).toEqual(['svc other']);
  });

  it('reports a role that does not exist, and a missing tasks_from', async () => {
    const [notFound] = await problems(loadRole('svk', { registry, baseDir: dir, idPrefix: 'q', from }));
    expect(notFound).toMatch(/^site\.yml:7:5: role 'svk' not found .*\(did you mean 'svc'\?\)$/);
    expect(await problems(loadRole('svc', { registry, baseDir: dir, tasksFrom: 'nope', idPrefix: 'q', from }))).toEqual([
      "site.yml:7:5: tasks/nope not found in role 'svc' (looked for tasks/nope.yml, .yaml, .json in test/fixtures/load/includes/roles/svc)",
    ]);
  });
});

describe('loadVarsFile', () => {
  it('reads YAML and JSON mappings with locations', async () => {
    const v = await loadVarsFile(path.join(dir, 'vars.yml'));
    expect(v.vars).toEqual({ a: 1, b: { c: ['x', 'y'] } });
    expect(v.locs['/b/c/1']).toMatchObject({ line: 3, col: 10 });
    expect((await loadVarsFile(path.join(dir, 'vars.json'))).vars).toEqual({ j: true });
  });

  it('rejects a file that is not a mapping, or missing', async () => {
    const list = path.relative(process.cwd(), path.join(dir, 'list.yml'));
    expect(await problems(loadVarsFile(path.join(dir, 'list.yml')))).toEqual([`${list}:1:1: vars file must be a mapping of variable names to values, got a list`]);
    expect((await problems(loadVarsFile(path.join(dir, 'none.yml'))))[0]).toMatch(/vars file '.*none\.yml' not found/);
  });
});
