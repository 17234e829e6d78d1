// Every problem in one run, each at its file:line:col, with "did you mean" where it helps.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlaybook, loadPlaybooks } from '../../../src/engine/load/index.js';
import { registry } from '../../../src/modules/registry.js';
import { fixtures, problems } from '../../support/load-helpers.js';

const at = (file: string) => path.relative(process.cwd(), path.join(fixtures, 'errors', file));
const load = (file: string) => problems(loadPlaybook(path.join(fixtures, 'errors', file), { registry }));

describe('loader errors', () => {
  it('reports several problems of one file at once, in source order', async () => {
    const f = at('many.yml');
    expect(await load('many.yml')).toEqual([
      `${f}:3:3: unknown key 'gather_fact' in play (did you mean 'gather_facts'?)`,
      `${f}:7:7: unknown key 'whn' in task (did you mean 'when'?)`,
      `${f}:10:7: unknown module 'lineinfle' (did you mean 'lineinfile'?)`,
      `${f}:16:7: conflicting action statements: debug, command (a task runs exactly one module)`,
      `${f}:20:13: 'when' must be a condition (a string or a boolean) or a list of conditions, got a mapping`,
      `${f}:25:16: 'state' must be one of file, directory, link, hard, touch, absent, got 'directroy' (did you mean 'directory'?)`,
      `${f}:26:9: unknown argument 'pth' for module 'file' (did you mean 'path'?)`,
      `${f}:30:15: 'notify' must be a handler name or a list of handler names, got a mapping`,
      `${f}:31:22: unknown key 'lable' in loop_control (did you mean 'label'?)`,
      `${f}:32:17: 'register' must be a variable name (letters, digits and _, not starting with a digit), got '1abc'`,
    ]);
  });

  it('reports a YAML syntax error with its position', async () => {
    const [first, ...rest] = await load('bad-yaml.yml');
    expect(rest).toEqual([]);
    expect(first).toMatch(new RegExp(`^${at('bad-yaml.yml')}:\\d+:\\d+: .*flow sequence`, 'i'));
  });

  it('points at the line that names a missing file, and still checks the files that exist', async () => {
    const f = at('missing-files.yml');
    const b = at('tasks/broken.yml');
    expect(await load('missing-files.yml')).toEqual([
      `${f}:1:20: playbook '${at('no-such-playbook.yml')}' not found`,
      `${f}:4:7: vars file 'vars/none.yml' not found`,
      `${f}:6:21: tasks file 'tasks/none.yml' not found (looked in ${at('')})`,
      `${f}:7:22: tasks file 'tasks/also-none.yml' not found (looked in ${at('')})`,
      `${b}:4:16: 'verbosity' must be an integer, got 'high'`,
      `${b}:6:3: unknown module 'shel' (did you mean 'shell'?)`,
    ]);
  });

  it('says where a role was looked for and suggests a near name', async () => {
    const f = at('roles.yml');
    const looked = `(looked for roles/webservr and webservr in ${at('')}, then roles/webservr in its parent directories) (did you mean 'webserver'?)`;
    expect(await load('roles.yml')).toEqual([
      `${f}:3:7: role 'webservr' not found ${looked}`,
      `${f}:4:7: role name '{{ dynamic }}' cannot use variables here (roles are read when the playbook loads) (use include_role for a role chosen at run time)`,
      `${f}:7:9: role 'webservr' not found ${looked}`,
    ]);
  });

  it('keeps a diagnostic on one line when the value it quotes spans lines', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fleetplay-multiline-'));
    const file = path.join(dir, 'pb.yml');
    await writeFile(file, '- hosts: all\n  tasks:\n    - |-\n      a\n      b\n    - "tab\\there"\n');
    const out = await problems(loadPlaybook(file, { registry }));
    expect(out).toEqual([`${file}:3:7: a task must be a mapping (key: value), got 'a\\nb'`, `${file}:6:7: a task must be a mapping (key: value), got 'tab\\there'`]);
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses keywords fleetplay does not implement and misused ones', async () => {
    const f = at('keywords.yml');
    const out = await load('keywords.yml');
    expect(out.filter((l) => l.startsWith(f))).toEqual([
      `${f}:2:3: 'connection' is not supported by fleetplay (set ansible_connection for the hosts in the inventory; hosts: localhost already runs locally)`,
      `${f}:3:3: 'remote_user' is not supported by fleetplay (set ansible_user in the inventory)`,
      `${f}:4:18: 'become_method' must be 'sudo' (the only become method fleetplay supports), got 'su'`,
      `${f}:8:7: 'loop' cannot be used on 'import_tasks' (imports are resolved when the playbook loads; use include_tasks to loop)`,
      `${f}:11:7: 'with_bogus' is not supported (use loop, or one of with_items, with_list, with_dict, with_indexed_items, with_nested, with_together, with_subelements, with_sequence, with_fileglob, with_first_found, with_file, with_template, with_lines, with_pipe, with_env, with_vars, with_varnames, with_password)`,
      `${f}:13:13: 'meta' must be one of flush_handlers, end_play, end_batch, end_host, clear_host_errors, noop, refresh_inventory, reset_connection, got 'flush_handler' (did you mean 'flush_handlers'?)`,
      `${f}:14:7: no module or action in this task (add a module such as 'command:' or 'debug:')`,
      `${f}:18:13: 'loop' must be a list or a '{{ }}' expression giving one (for one item write loop: ['abc'])`,
      `${f}:19:7: a task must be a mapping (key: value), got 'not a mapping'`,
      `${f}:21:13: arguments of module 'copy': expected key=value, got 'content'`,
    ]);
  });

  it('detects import cycles', async () => {
    expect(await load('cycle-a.yml')).toEqual([
      `${at('cycle-b.yml')}:1:20: import cycle: ${at('cycle-a.yml')} → ${at('cycle-b.yml')} → ${at('cycle-a.yml')}`,
    ]);
  });

  it('explains a file that is not a list of plays', async () => {
    expect(await load('not-a-list.yml')).toEqual([`${at('not-a-list.yml')}:1:1: a playbook must be a list of plays, got a mapping (start each play with '- hosts: ...')`]);
  });

  it('reports a missing playbook without a stack trace', async () => {
    expect(await load('nope.yml')).toEqual([`playbook '${at('nope.yml')}' not found`]);
  });

  it('limits handlers to tasks and reports misplaced keywords', async () => {
    const f = at('handlers.yml');
    expect(await load('handlers.yml')).toEqual([
      `${f}:5:7: 'connection' is not supported by fleetplay (use delegate_to: localhost to run a task on the controller)`,
      `${f}:7:7: blocks are not supported in handlers`,
      `${f}:9:7: 'include_tasks' cannot be used in handlers`,
      `${f}:12:15: 'listen' must be a topic or a list of topics, got a mapping`,
    ]);
  });

  it('explains keys that belong elsewhere (indentation, a missing block:)', async () => {
    const f = at('misplaced.yml');
    expect(await load('misplaced.yml')).toEqual([
      `${f}:5:7: 'rescue' cannot be used in a task ('rescue' belongs to a block: add 'block:' above the tasks)`,
      `${f}:8:7: 'hosts' cannot be used in a task ('hosts' is a play keyword: check the indentation)`,
      `${f}:9:7: 'tasks' cannot be used in a task ('tasks' is a play keyword: check the indentation)`,
    ]);
  });

  it('reports a problem in a role once, however often the role is used', async () => {
    expect(await load('role-twice.yml')).toEqual([`${at('roles/broken/tasks/main.yml')}:3:3: unknown key 'whn' in task (did you mean 'when'?)`]);
  });

  it('refuses templates in keywords that are read at load time, pointing into the quoted template', async () => {
    const f = at('templated-keywords.yml');
    const why = "fleetplay reads it when the playbook loads (write the value itself, or set it through inventory variables)";
    expect(await load('templated-keywords.yml')).toEqual([`${f}:2:12: 'become' cannot use a template: ${why}`, `${f}:6:16: 'no_log' cannot use a template: ${why}`]);
  });

  it('reports the problems of several playbooks of one run together', async () => {
    const out = await problems(loadPlaybooks([path.join(fixtures, 'errors/not-a-list.yml'), path.join(fixtures, 'errors/cycle-a.yml')], { registry }));
    expect(out.map((l) => l.split(':')[0])).toEqual([at('not-a-list.yml'), at('cycle-b.yml')]);
  });
});

describe('loadPlaybooks', () => {
  it('numbers plays across playbooks so ids stay unique in the run', async () => {
    const [a, b] = await loadPlaybooks([path.join(fixtures, 'site/plays/base.yml'), path.join(fixtures, 'workload.yml')], { registry });
    expect(a!.plays.map((p) => p.id)).toEqual(['p0']);
    expect(b!.plays.map((p) => p.id)).toEqual(['p1']);
    expect(b!.plays[0]!.items[0]!.id).toBe('p1.t0');
  });
});

