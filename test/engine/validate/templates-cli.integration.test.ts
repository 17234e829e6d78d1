// Through the real CLI: template syntax errors anywhere in a playbook are invalid input (exit 3),
// all reported in one run at their positions, and no host is touched, although the first task
// would have changed it.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetplay } from '../../support/cli.js';

let dir: string;
let out: string;

const files: Record<string, string> = {
  'hosts.ini': 'localhost ansible_connection=local\n',
  'play.yml': `- hosts: all
  gather_facts: false
  roles:
    - app
  tasks:
    - name: would change the host
      copy:
        content: "changed\\n"
        dest: "{{ out }}/marker.txt"
    - name: a later task with a misspelled filter
      debug:
        msg: "{{ out | basenam }}"
    - name: a broken condition
      command: touch {{ out }}/second
      when: out is definedd
  handlers:
    - name: restart
      command: "echo {% if out %}restart"
`,
  'roles/app/defaults/main.yml': 'app_dir: "{{ out }/app"\n',
  'roles/app/tasks/main.yml': `- name: app config
  template:
    src: app.conf.j2
    dest: "{{ out }}/app.conf"
  notify: restart
`,
  'roles/app/templates/app.conf.j2': 'dir = {{ app_dir }}\nname = {{ inventory_hostname | uper }}\n',
};

const expected = [
  'roles/app/defaults/main.yml:1:18: template error: expected \'}}\'',
  'roles/app/templates/app.conf.j2:2:32: no filter named \'uper\' (did you mean \'upper\'?)',
  'play.yml:12:24: no filter named \'basenam\' (did you mean \'basename\'?)',
  "play.yml:15:20: no test named 'definedd' (did you mean 'defined'?)",
  'play.yml:18:41: template error: in {% if %}: expected elif, else, or endif, reached the end of the template',
  'fleetplay: 5 problems found; nothing was run',
];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'fp-template-check-'));
  out = path.join(dir, 'out');
  await mkdir(out);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('template errors through the CLI', () => {
  it('reports every template problem with its position, exits 3 and runs nothing', async () => {
    const r = await fleetplay(['play.yml', '-i', 'hosts.ini', '-e', `out=${out}`], { cwd: dir });
    expect(r.stderr.trim().split('\n')).toEqual(expected);
    expect(r.code).toBe(3);
    expect(r.stdout).not.toContain('TASK');
    expect(existsSync(path.join(out, 'marker.txt'))).toBe(false);
  });

  it('finds the same problems with --syntax-check', async () => {
    const r = await fleetplay(['play.yml', '--syntax-check'], { cwd: dir });
    expect(r.stderr.trim().split('\n')).toEqual(expected);
    expect(r.code).toBe(3);
  });

  it('runs the playbook, first task included, once the templates are fixed', async () => {
    const fixed = (name: string, from: string, to: string) => writeFile(path.join(dir, name), files[name]!.replace(from, to));
    await fixed('roles/app/defaults/main.yml', '{{ out }/', '{{ out }}/');
    await fixed('roles/app/templates/app.conf.j2', '| uper', '| upper');
    await writeFile(path.join(dir, 'play.yml'), files['play.yml']!.replace('| basenam', '| basename').replace('is definedd', 'is defined').replace('{% if out %}restart', '{% if out %}restart{% endif %}'));
    const r = await fleetplay(['play.yml', '-i', 'hosts.ini', '-e', `out=${out}`], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(path.join(out, 'marker.txt'))).toBe(true);
  });
});
