// `report merge` on real shard reports written by the CLI (local hosts): the merged recap equals
// the unsharded run's, the exit code is the worst shard's, and reports that are not shards of one
// run are refused (exit 3) at the file and line that shows why.
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectShard } from '../../src/cli/shard.js';
import { fleetplay, recap } from '../support/cli.js';
import { workspace, type Workspace } from '../support/workspace.js';

const hosts = Array.from({ length: 7 }, (_, i) => `h${i + 1}`);
let ws: Workspace;
const run = (args: string[]) => fleetplay(args, { cwd: ws.dir });

beforeAll(async () => {
  ws = await workspace('report-merge');
  // One host fails a task, so the merged exit code has something to carry.
  const inv = hosts.map((h) => `${h} ansible_connection=local${h === 'h3' ? ' broken=1' : ''} ansible_password=hunter2hunter2`).join('\n');
  await writeFile(ws.path('hosts.ini'), `[all_nodes]\n${inv}\n`);
  await writeFile(ws.path('other.ini'), `[all_nodes]\n${inv}\nh99 ansible_connection=local\n`);
  await writeFile(
    ws.path('site.yml'),
    ['- hosts: all_nodes', '  gather_facts: false', '  tasks:', '    - debug: { msg: "hi {{ inventory_hostname }}" }', '    - fail: { msg: broken }', '      when: broken is defined', '    - command: "true"', ''].join('\n'),
  );
  for (const k of [1, 2, 3]) await run(['site.yml', '-i', 'hosts.ini', '--shard', `${k}/3`, '--json', `s${k}.json`]);
});
afterAll(async () => ws.remove());

describe('report merge', () => {
  // With these names shard 1/3 is empty (7 hosts): the merge covers an empty shard's report too.
  it('joins 3 shards into the recap and exit code of the unsharded run', async () => {
    const whole = await run(['site.yml', '-i', 'hosts.ini', '--json', 'whole.json']);
    expect(whole.code).toBe(2);
    const merged = await run(['report', 'merge', 's1.json', 's2.json', 's3.json', '--json', 'merged.json']);
    expect(merged.code, merged.stderr).toBe(2);
    expect(merged.stdout).toContain('MERGED 3 shard reports');
    expect(recap(merged.stdout)).toEqual(recap(whole.stdout));
    expect(Object.keys(recap(merged.stdout)).sort()).toEqual([...hosts].sort());

    const m = JSON.parse(await readFile(ws.path('merged.json'), 'utf8'));
    const w = JSON.parse(await readFile(ws.path('whole.json'), 'utf8'));
    expect(m.stats).toEqual(w.stats);
    expect(m.inputs).toEqual(w.inputs);
    expect(m.exitCode).toBe(2);
    expect(m.merged).toEqual({ shards: 3, files: ['s1.json', 's2.json', 's3.json'] });
    // Same plays and tasks in the same order, each with every host's result.
    const shape = (r: any) => r.plays.map((p: any) => ({ id: p.id, hosts: [...p.hosts].sort(), tasks: p.tasks.map((t: any) => [t.id, t.results.map((x: any) => `${x.host}:${x.status}`).sort()]) }));
    expect(shape(m)).toEqual(shape(w));
  });

  it('records the shard, the digests and the exit code in each report, and no secret', async () => {
    const text = await readFile(ws.path('s1.json'), 'utf8');
    const r = JSON.parse(text);
    expect(r.shard).toEqual({ index: 1, count: 3 });
    expect(r.inputs.playbooks).toMatch(/^[0-9a-f]{64}$/);
    expect(r.inputs.inventory).toMatch(/^[0-9a-f]{64}$/);
    expect(r.exitCode).toBe(selectShard(hosts, { index: 1, count: 3 }).includes('h3') ? 2 : 0);
    expect(text).not.toContain('hunter2');
  });

  it('accepts the shards in any order', async () => {
    const r = await run(['report', 'merge', 's3.json', 's1.json', 's2.json']);
    expect(r.code).toBe(2);
    expect(Object.keys(recap(r.stdout)).sort()).toEqual([...hosts].sort());
  });

  it('refuses a missing shard, naming it', async () => {
    const r = await run(['report', 'merge', 's1.json', 's3.json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('shard 2/3 missing');
    expect(r.stdout).not.toContain('PLAY RECAP');
  });

  it('refuses a shard given twice', async () => {
    const r = await run(['report', 'merge', 's1.json', 's2.json', 's2.json', 's3.json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('shard 2/3 is given twice: s2.json and s2.json');
  });

  it('refuses a shard of another inventory at the line of its digests', async () => {
    const o = await run(['site.yml', '-i', 'other.ini', '--shard', '2/3', '--json', 'o2.json']);
    expect([0, 2]).toContain(o.code);
    const r = await run(['report', 'merge', 's1.json', 'o2.json', 's3.json']);
    expect(r.code).toBe(3);
    const line = (await readFile(ws.path('o2.json'), 'utf8')).split('\n').findIndex((l) => l.startsWith('  "inputs":')) + 1;
    expect(r.stderr).toContain(`o2.json:${line}:3: o2.json has another inventory`);
    expect(r.stderr).toContain('not shards of one run');
  });

  it('refuses a shard of another playbook', async () => {
    await writeFile(ws.path('site.yml'), `${await readFile(ws.path('site.yml'), 'utf8')}    - debug: { msg: later }\n`);
    await run(['site.yml', '-i', 'hosts.ini', '--shard', '3/3', '--json', 'p3.json']);
    const r = await run(['report', 'merge', 's1.json', 's2.json', 'p3.json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('p3.json has other playbooks');
  });

  it('refuses a report that is not a shard, and a broken file, with its place', async () => {
    const whole = await run(['report', 'merge', 'whole.json']);
    expect(whole.code).toBe(3);
    expect(whole.stderr).toContain('whole.json is not a shard report');
    await writeFile(ws.path('broken.json'), '{\n  "version": 1,\n  "stats": {\n}\n');
    const broken = await run(['report', 'merge', 'broken.json']);
    expect(broken.code).toBe(3);
    expect(broken.stderr).toMatch(/broken\.json:\d+:\d+/);
    expect(broken.stderr).not.toMatch(/\n\s+at /);
    const s1 = JSON.parse(await readFile(ws.path('s2.json'), 'utf8'));
    (Object.values(s1.stats)[0] as { ok: number }).ok = -1;
    await writeFile(ws.path('bad-stats.json'), JSON.stringify(s1, null, 2));
    const bad = await run(['report', 'merge', 'bad-stats.json']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/bad-stats\.json:\d+:\d+: .*ok/);
  });

  it('writes a report for an empty shard, so the merge still sees every shard', async () => {
    const empty = [1, 2, 3, 4, 5, 6, 7, 8].find((k) => selectShard(hosts, { index: k, count: 8 }).length === 0);
    expect(empty, 'some shard of 8 should be empty for 7 hosts').toBeDefined();
    const r = await run(['site.yml', '-i', 'hosts.ini', '--shard', `${empty}/8`, '--json', 'e.json']);
    expect(r.code).toBe(0);
    const e = JSON.parse(await readFile(ws.path('e.json'), 'utf8'));
    expect(e).toMatchObject({ shard: { index: empty, count: 8 }, exitCode: 0, stats: {}, plays: [] });
    expect(e.playbooks).toEqual([ws.path('site.yml')]);
  });
});
