// Role dependencies (meta/main.yml) and Ansible's once-per-play rule, as the loader resolves them.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlayItem, TaskNode } from '../../../src/engine/contract/playbook.js';
import { loadPlaybook } from '../../../src/engine/load/index.js';
import { registry } from '../../../src/modules/registry.js';
import { problems } from '../../support/load-helpers.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Writes `files` (path → text) into a fresh directory and returns the playbook's path. */
async function project(files: Record<string, string>): Promise<string> {
  dir = await mkdtemp(path.join(tmpdir(), 'fleetplay-role-deps-'));
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return path.join(dir, 'site.yml');
}

const debugRole = (name: string) => ({ [`roles/${name}/tasks/main.yml`]: `- debug: {msg: ${name}}\n` });
const play = (roles: string) => `- hosts: all\n  gather_facts: false\n  roles: ${roles}\n`;
const msgs = (items: readonly PlayItem[]) => items.filter((i): i is TaskNode => i.kind === 'task').map((t) => `${t.role?.name}:${String(t.args.msg)}`);

describe('role dependencies', () => {
  it('runs dependencies first, deepest first, each shared one once', async () => {
    const site = await project({
      'site.yml': play('[web, api, common]'),
      ...debugRole('web'),
      ...debugRole('api'),
      ...debugRole('common'),
      ...debugRole('base'),
      'roles/web/meta/main.yml': 'dependencies: [common]\n',
      'roles/api/meta/main.yml': 'dependencies: [{role: common}, base]\n',
      'roles/common/meta/main.yml': 'dependencies: [base]\n',
    });
    const [p] = (await loadPlaybook(site, { registry })).plays;
    expect(msgs(p!.items)).toEqual(['base:base', 'common:common', 'web:web', 'api:api']);
    expect(p!.roles.map((r) => r.name)).toEqual(['base', 'common', 'web', 'api']);
  });

  it("passes a dependency's parameters, when and tags to its tasks only", async () => {
    const site = await project({
      'site.yml': play('[app]'),
      ...debugRole('app'),
      ...debugRole('db'),
      'roles/app/meta/main.yml': 'dependencies:\n  - role: db\n    db_port: 5433\n    when: use_db\n    tags: [database]\n    vars: {db_name: x}\n',
    });
    const [p] = (await loadPlaybook(site, { registry })).plays;
    const [db, app] = p!.items as TaskNode[];
    expect(db!.vars.vars).toEqual({ db_port: 5433, db_name: 'x' });
    expect(db!.when.map((w) => w.text)).toEqual(['use_db']);
    expect(db!.tags).toEqual(['database']);
    expect(db!.vars.locs['/db_port']?.line).toBe(3);
    expect([app!.vars.vars, app!.when, app!.tags]).toEqual([{}, [], []]);
    // The entry's vars (not its parameters) are the play's too, as the role's own vars are.
    expect(p!.roles.find((r) => r.name === 'db')!.entryVars?.vars).toEqual({ db_name: 'x' });
  });

  it('runs a role again only with other parameters, or when its meta allows duplicates', async () => {
    const site = await project({
      'site.yml': play('[r, r, {role: r, n: 2}, {role: r, n: 2}, {role: r, tags: [t]}, d, d]'),
      ...debugRole('r'),
      ...debugRole('d'),
      'roles/d/meta/main.yml': 'allow_duplicates: true\n',
    });
    const [p] = (await loadPlaybook(site, { registry })).plays;
    expect(msgs(p!.items)).toEqual(['r:r', 'r:r', 'r:r', 'd:d', 'd:d']);
  });

  it('finds a dependency beside the role that depends on it', async () => {
    const site = await project({
      'site.yml': '- hosts: all\n  roles: [lib/app]\n',
      'lib/app/tasks/main.yml': '- debug: {msg: app}\n',
      'lib/app/meta/main.yml': 'dependencies: [helper]\n',
      'lib/helper/tasks/main.yml': '- debug: {msg: helper}\n',
    });
    const [p] = (await loadPlaybook(site, { registry })).plays;
    expect(msgs(p!.items)).toEqual(['helper:helper', 'lib/app:app']);
  });

  it('reports a cycle, a missing dependency and a bad meta file where they are written', async () => {
    const site = await project({
      'site.yml': play('[a, c]'),
      ...debugRole('a'),
      ...debugRole('b'),
      ...debugRole('c'),
      'roles/a/meta/main.yml': 'dependencies: [b]\n',
      'roles/b/meta/main.yml': 'dependencies:\n  - a\n  - {role: nope}\n',
      'roles/c/meta/main.yml': 'allow_duplicates: maybe\ndependencies: {role: a}\n',
    });
    const rel = (f: string) => path.join(dir!, f);
    expect(await problems(loadPlaybook(site, { registry }))).toEqual([
      `${rel('roles/b/meta/main.yml')}:2:5: role 'a' depends on itself (a -> b -> a) (remove one of the dependencies in meta/main.yml)`,
      expect.stringMatching(new RegExp(`^${rel('roles/b/meta/main.yml')}:3:5: role 'nope' not found \\(looked for roles/nope and nope in .*, in .*roles beside the role that depends on it, then`)),
      `${rel('roles/c/meta/main.yml')}:1:19: 'allow_duplicates' must be true or false, got 'maybe'`,
      `${rel('roles/c/meta/main.yml')}:2:15: 'dependencies' must be a list of roles, got a mapping`,
    ]);
  });
});
