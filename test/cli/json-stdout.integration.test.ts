// `--json -`: the JSON report alone on stdout (a pipe into jq works), the usual output on stderr, no
// stray file named '-' or temp file left behind.
import { readdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetplay } from '../support/cli.js';
import { workspace, type Workspace } from '../support/workspace.js';

let ws: Workspace;
beforeAll(async () => {
  ws = await workspace('json-stdout');
  await writeFile(ws.path('hosts.ini'), 'localhost ansible_connection=local\n');
  await writeFile(ws.path('site.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: say\n      debug: { msg: hello }\n');
});
afterAll(async () => ws.remove());

describe('--json -', () => {
  it('writes the report to stdout and the run output to stderr', async () => {
    const r = await fleetplay(['site.yml', '-i', 'hosts.ini', '--json', '-'], { cwd: ws.dir });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.stats.localhost).toMatchObject({ ok: 1, failed: 0 });
    expect(report.plays[0].tasks[0].name).toBe('say');
    expect(r.stderr).toContain('PLAY RECAP');
    expect((await readdir(ws.dir)).sort()).toEqual(['hosts.ini', 'site.yml']);
  });
});
