// `apply:` on include_tasks / include_role: a block the included tasks run in, with its place.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncludeNode } from '../../../src/engine/contract/playbook.js';
import { loadPlaybook } from '../../../src/engine/load/index.js';
import { registry } from '../../../src/modules/registry.js';
import { problems } from '../../support/load-helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'apply-'));
  await mkdir(path.join(dir, 'roles/r/tasks'), { recursive: true });
  await writeFile(path.join(dir, 'roles/r/tasks/main.yml'), '- debug: {msg: r}\n');
  await writeFile(path.join(dir, 't.yml'), '- debug: {msg: t}\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function write(name: string, tasks: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `- hosts: all\n  tasks:\n${tasks}`);
  return file;
}
const rel = (f: string) => (f.startsWith(process.cwd()) ? path.relative(process.cwd(), f) : f);

describe('apply', () => {
  it('becomes a block on the include with the keywords converted as on any block', async () => {
    const file = await write(
      'ok.yml',
      ['    - include_tasks:', '        file: t.yml', '        apply: {tags: [a, b], when: x == 1, become: "yes", vars: {v: 2}}', '      tags: always', '    - include_role:', '        name: r', '        apply: {tags: c}', ''].join('\n'),
    );
    const pb = await loadPlaybook(file, { registry });
    const [inc, role] = pb.plays[0]!.items as IncludeNode[];
    expect(inc!.tags).toEqual(['always']);
    expect(inc!.apply).toMatchObject({ kind: 'block', tags: ['a', 'b'], when: [{ text: 'x == 1', loc: { line: 5, col: 37 } }], become: true, vars: { vars: { v: 2 } }, block: [] });
    expect(inc!.apply!.loc).toMatchObject({ line: 5, col: 16 });
    expect(role!.apply).toMatchObject({ tags: ['c'] });
    expect(role!.tags).toEqual([]);
  });

  it('reports what is not a keyword mapping, at its place, and refuses apply on imports', async () => {
    const file = await write(
      'bad.yml',
      [
        '    - include_tasks: {file: t.yml, apply: [tags]}',
        '    - include_role: {name: r, apply: {tagz: x}}',
        '    - import_tasks: {file: t.yml, apply: {tags: x}}',
        '    - import_role: {name: r, apply: {tags: x}}',
        '',
      ].join('\n'),
    );
    const f = rel(file);
    expect(await problems(loadPlaybook(file, { registry }))).toEqual([
      `${f}:3:43: 'apply' must be a mapping of task keywords (tags, when, vars, become, ...), got a list`,
      `${f}:4:39: unknown key 'tagz' in 'apply' (did you mean 'tags'?)`,
      `${f}:5:35: unknown key 'apply' for 'import_tasks'`,
      `${f}:6:30: unknown key 'apply' for 'import_role'`,
    ]);
  });
});
