// A --limit that leaves no host is an error (exit 2) naming the pattern and the inventory's groups,
// as ansible-playbook refuses it — a typo in a pattern must not end as a green, empty run.
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetplay } from '../support/cli.js';
import { workspace, type Workspace } from '../support/workspace.js';

let ws: Workspace;
beforeAll(async () => {
  ws = await workspace('limit-none');
  await writeFile(ws.path('hosts.ini'), '[hpc]\nnode1 ansible_connection=local\n[hyperv]\nhv1 ansible_connection=local\n');
  await writeFile(ws.path('site.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: { dest: "{{ playbook_dir }}/touched", content: x }\n');
});
afterAll(async () => ws.remove());

describe('--limit selecting no host', () => {
  it('exits 2 naming the pattern and the known groups, and runs nothing', async () => {
    const r = await fleetplay(['site.yml', '-i', 'hosts.ini', '--limit', 'hcp'], { cwd: ws.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no hosts matched: --limit 'hcp' selects no host of the inventory (groups: hpc, hyperv; hosts: 2)");
    expect(r.stdout).not.toContain('TASK');
  });

  it('still runs when the pattern matches', async () => {
    const r = await fleetplay(['site.yml', '-i', 'hosts.ini', '--limit', 'hpc'], { cwd: ws.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/node1\s+: ok=1\s+changed=1/);
  });
});
