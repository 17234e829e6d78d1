// Template syntax errors are found when the playbook loads, with the other problems, each at the
// position rendering would report it; valid playbooks get no new diagnostics.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InvalidInputError, formatDiagnostic, type Loc } from '../../../src/engine/contract/diagnostics.js';
import { controllerCandidates, loadIncludedTasks, loadPlaybook } from '../../../src/engine/load/index.js';
import { createTemplater } from '../../../src/engine/template/index.js';
import { registry } from '../../../src/modules/registry.js';
import { fixtures, problems } from '../../support/load-helpers.js';

const templates = createTemplater();
const dir = path.join(fixtures, 'templates');
const rel = (file: string) => path.relative(process.cwd(), path.join(dir, file));

describe('template checks at load time', () => {
  it('reports every template problem of a playbook, its roles, vars and template files together with the rest', async () => {
    const [play, common, defaults, roleTasks, roleTemplate, roleHandlers, more, motd] = [
      'play.yml',
      'vars/common.yml',
      'roles/web/defaults/main.yml',
      'roles/web/tasks/main.yml',
      'roles/web/templates/web.conf.j2',
      'roles/web/handlers/main.yml',
      'tasks/more.yml',
      'templates/motd.j2',
    ].map(rel);
    expect(await problems(loadPlaybook(path.join(dir, 'play.yml'), { registry, templates }))).toEqual([
      `${play}:2:23: no filter named 'defualt' (did you mean 'default'?)`,
      `${play}:5:31: no filter named 'uper' (did you mean 'upper'?)`,
      `${play}:8:42: template error: expected '}}'`,
      `${play}:12:32: template error: unexpected token: }`,
      `${play}:16:33: template error: expected a name, got '}}'`,
      `${play}:18:31: no filter named 'lenght' (did you mean 'length'?)`,
      `${play}:19:26: no filter named 'sortt' (did you mean 'sort'?)`,
      `${play}:20:21: no test named 'definde' (did you mean 'defined'?)`,
      `${play}:21:28: template error: unexpected end of the expression`,
      `${play}:23:26: no filter named 'joinn' (did you mean 'join'?)`,
      `${play}:24:32: no filter named 'uper' (did you mean 'upper'?)`,
      `${play}:27:22: no filter named 'lenght' (did you mean 'length'?)`,
      `${play}:29:7: unknown module 'debugg' (did you mean 'debug'?)`,
      `${play}:37:40: no filter named 'lowr' (did you mean 'lower'?)`,
      `${play}:40:32: template error: in {% if %}: expected elif, else, or endif, reached the end of the template`,
      `${common}:3:13: no filter named 'nosuch'`,
      `${defaults}:2:24: template error: expected '}}'`,
      `${roleTasks}:7:19: no test named 'numbr' (did you mean 'number'?)`,
      `${roleTemplate}:5:4: template error: unknown block tag: endiff`,
      `${roleHandlers}:2:64: no filter named 'trimm' (did you mean 'trim'?)`,
      `${more}:3:30: no filter named 'lenght' (did you mean 'length'?)`,
      `${motd}:3:15: no filter named 'uper' (did you mean 'upper'?)`,
    ]);
  });

  it('is left to the run when no checker is given', async () => {
    expect(await problems(loadPlaybook(path.join(dir, 'play.yml'), { registry }))).toEqual([`${rel('play.yml')}:29:7: unknown module 'debugg' (did you mean 'debug'?)`]);
  });

  it('checks a file included at run time as it loads', async () => {
    const from: Loc = { file: 'site.yml', line: 4, col: 7 };
    const load = (withChecker: boolean) => loadIncludedTasks('tasks/more.yml', { registry, baseDir: dir, idPrefix: 'p0.t9', from, ...(withChecker ? { templates } : {}) });
    expect(await problems(load(true))).toEqual([`${rel('tasks/more.yml')}:3:30: no filter named 'lenght' (did you mean 'length'?)`]);
    expect(await load(false)).toHaveLength(1);
  });

  it('adds no diagnostics to the playbooks of the repository, the benchmark workload and the test fixtures', async () => {
    const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
    const files = [
      ...playbooksUnder(path.join(repo, 'playbooks')),
      path.resolve(repo, '../shared/bench-workload/workload.yml'),
      ...playbooksUnder(path.join(repo, 'test/fixtures')).filter((f) => !f.startsWith(dir + path.sep)),
      ...playbooksUnder(path.join(repo, 'test/e2e/fixtures')),
    ];
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) {
      const without = await outcome(loadPlaybook(file, { registry }));
      expect(await outcome(loadPlaybook(file, { registry, templates })), path.relative(repo, file)).toEqual(without);
    }
  });
});

/** 'ok', or the problems the load reported. */
async function outcome(p: Promise<unknown>): Promise<string | string[]> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof InvalidInputError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
}

/** YAML files whose top level is a list of plays (or imports of playbooks). */
function playbooksUnder(root: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(root)) {
    const p = path.join(root, name);
    if (statSync(p).isDirectory()) out.push(...playbooksUnder(p));
    else if (/\.ya?ml$/.test(name) && isPlaybook(p)) out.push(p);
  }
  return out;
}

function isPlaybook(file: string): boolean {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
  return Array.isArray(doc) && doc.length > 0 && doc.every((e) => e && typeof e === 'object' && ('hosts' in e || 'import_playbook' in e));
}

describe('controllerCandidates', () => {
  it("follows Ansible's search order: role, then the including file's dir, then the playbook dir", () => {
    expect(controllerCandidates('templates', 'a.j2', '/r/roles/web', '/r/tasks', '/r')).toEqual([
      '/r/roles/web/templates/a.j2',
      '/r/roles/web/a.j2',
      '/r/tasks/templates/a.j2',
      '/r/tasks/a.j2',
      '/r/templates/a.j2',
      '/r/a.j2',
    ]);
    expect(controllerCandidates('files', 'a', undefined, '/r', '/r')).toEqual(['/r/files/a', '/r/a']);
    expect(controllerCandidates('templates', '/abs/a.j2', '/r/roles/web', '/r', '/r')).toEqual(['/abs/a.j2']);
  });
});
