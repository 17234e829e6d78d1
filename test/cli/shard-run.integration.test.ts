// `--shard k/n` on the real CLI: the shards of a run together cover the selected hosts once,
// run_once and serial act within a shard, bad k/n is a usage error and an empty shard is no error.
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectShard } from '../../src/cli/shard.js';
import { fleetplay, recap } from '../support/cli.js';
import { workspace, type Workspace } from '../support/workspace.js';

const hosts = Array.from({ length: 8 }, (_, i) => `n${i + 1}`);
let ws: Workspace;
beforeAll(async () => {
  ws = await workspace('shard-run');
  await writeFile(ws.path('hosts.ini'), `[hpc]\n${hosts.map((h) => `${h} ansible_connection=local`).join('\n')}\n[one]\nsolo ansible_connection=local\n`);
  await writeFile(
    ws.path('site.yml'),
    [
      '- hosts: hpc',
      '  gather_facts: false',
      '  serial: 2',
      '  tasks:',
      '    - debug: { msg: "{{ inventory_hostname }}" }',
      '    - name: once',
      '      debug: { msg: "once in {{ ansible_play_hosts_all | length }}" }',
      '      run_once: true',
      '',
    ].join('\n'),
  );
});
afterAll(async () => ws.remove());

describe('--shard', () => {
  it('runs each host in exactly one of 3 shards, the hosts the hash assigns to it', async () => {
    const seen: string[] = [];
    for (const k of [1, 2, 3]) {
      const r = await fleetplay(['site.yml', '-i', 'hosts.ini', '--shard', `${k}/3`], { cwd: ws.dir });
      expect(r.code, r.stderr).toBe(0);
      const ran = Object.keys(recap(r.stdout)).sort();
      expect(ran).toEqual(selectShard(hosts, { index: k, count: 3 }).sort());
      seen.push(...ran);
      // serial batches and run_once act within the shard: once per batch of 2, and the play's
      // hosts are the shard's hosts.
      const batches = Math.ceil(ran.length / 2);
      expect(r.stdout.match(/TASK \[once\]/g)?.length).toBe(batches);
      expect(r.stdout.match(new RegExp(`"msg": "once in ${ran.length}"`, 'g'))?.length).toBe(batches);
    }
    expect(seen.sort()).toEqual([...hosts].sort());
  });

  it('splits what --limit selected', async () => {
    const limited = ['n1', 'n2', 'n3', 'n4'];
    const seen: string[] = [];
    for (const k of [1, 2]) {
      const r = await fleetplay(['site.yml', '-i', 'hosts.ini', '--limit', limited.join(','), '--shard', `${k}/2`, '--list-hosts'], { cwd: ws.dir });
      expect(r.code, r.stderr).toBe(0);
      seen.push(...limited.filter((h) => new RegExp(`^\\s+${h}$`, 'm').test(r.stdout)));
    }
    expect(seen.sort()).toEqual(limited);
  });

  it('says so and exits 0 when its shard holds none of the selected hosts', async () => {
    const empty = [1, 2, 3].find((k) => selectShard(['solo'], { index: k, count: 3 }).length === 0)!;
    const r = await fleetplay(['site.yml', '-i', 'hosts.ini', '--limit', 'solo', '--shard', `${empty}/3`], { cwd: ws.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`shard ${empty}/3 selects none of the 1 selected host`);
    expect(r.stdout).not.toContain('TASK');
  });

  it.each(['0/3', '4/3', '3', 'x/y'])('refuses --shard %s as a bad option (exit 5)', async (bad) => {
    const r = await fleetplay(['site.yml', '-i', 'hosts.ini', '--shard', bad], { cwd: ws.dir });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`--shard '${bad}'`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
