// Sharding on real hosts: the lab's 6 SSH hosts run once unsharded and once as 3 concurrent shards
// (`--shard k/3 --json`, as the Kubernetes Indexed Job in deploy/ runs them); `report merge` of the
// shards gives the unsharded recap, exit code and per-host results, and the hosts end the same.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { selectShard } from '../../src/cli/shard.js';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const HOSTS = ['linux-01', 'linux-02', 'linux-03', 'linux-04', 'linux-05', 'linux-06'];
const lab = useLab({ linux: HOSTS.length, distros: ['ubuntu22.04', 'rhel8.6'] });
const DIR = '/tmp/fleetplay-shard';

const playbook = () =>
  lab.write(
    'site.yml',
    [
      '- hosts: all',
      '  gather_facts: false',
      '  serial: 2',
      '  tasks:',
      `    - file: { path: ${DIR}, state: directory, mode: "0755" }`,
      `    - copy: { dest: ${DIR}/node.conf, content: "node={{ inventory_hostname }}\\n" }`,
      '      notify: restart agent',
      `    - lineinfile: { path: ${DIR}/node.conf, line: "shard=demo" }`,
      '    - name: a host that fails',
      '      fail: { msg: "linux-05 is broken" }',
      "      when: inventory_hostname == 'linux-05'",
      '    - command: "true"',
      '      changed_when: false',
      '  handlers:',
      '    - name: restart agent',
      `      command: touch ${DIR}/restarted`,
      '',
    ].join('\n'),
  );

const state = () => Promise.all(HOSTS.map((h) => lab.files(h, [`${DIR}/node.conf`, `${DIR}/restarted`])));

const json = (name: string) => `${lab.work}/${name}`;
let site: string;
let whole: Awaited<ReturnType<typeof fleetplay>>;
let wholeState: Awaited<ReturnType<typeof state>>;

// Steps of one scenario, in order: each needs the one before.
describe('3 shards + report merge on the lab', () => {
  it('runs unsharded first (one host fails)', async () => {
    site = await playbook();
    whole = await fleetplay([site, '-i', lab.inventory, '--json', json('whole.json')]);
    expect(whole.code, whole.stdout + whole.stderr).toBe(2);
    expect(Object.keys(recap(whole.stdout)).sort()).toEqual(HOSTS);
    wholeState = await state();
    expect(wholeState.every((files) => files[`${DIR}/node.conf`]?.endsWith('shard=demo\n'))).toBe(true);
  }, 180_000);

  it('runs 3 concurrent shards on fresh hosts, each on the hosts the hash gives it', async () => {
    await lab.reset(HOSTS);
    expect((await state()).every((files) => Object.keys(files).length === 0)).toBe(true);
    const shards = await Promise.all([1, 2, 3].map((k) => fleetplay([site, '-i', lab.inventory, '--shard', `${k}/3`, '--json', json(`shard-${k}.json`)])));
    for (const [i, r] of shards.entries()) {
      const mine = selectShard(HOSTS, { index: i + 1, count: 3 });
      expect(mine.length, 'every shard holds hosts').toBeGreaterThan(0);
      expect(Object.keys(recap(r.stdout)).sort()).toEqual([...mine].sort());
      expect(r.code, r.stderr).toBe(mine.includes('linux-05') ? 2 : 0);
    }
    expect(await state()).toEqual(wholeState);
  }, 180_000);

  it('merges the shard reports into the unsharded recap, results and exit code', async () => {
    const merged = await fleetplay(['report', 'merge', ...[1, 2, 3].map((k) => json(`shard-${k}.json`)), '--json', json('merged.json')]);
    expect(merged.code, merged.stderr).toBe(whole.code);
    expect(recap(merged.stdout)).toEqual(recap(whole.stdout));
    const m = JSON.parse(await readFile(json('merged.json'), 'utf8'));
    const w = JSON.parse(await readFile(json('whole.json'), 'utf8'));
    expect(m.stats).toEqual(w.stats);
    expect(m.inputs).toEqual(w.inputs);
    const results = (r: any) => r.plays.flatMap((p: any) => p.tasks.map((t: any) => [t.name, t.results.map((x: any) => `${x.host}:${x.status}`).sort()]));
    expect(results(m)).toEqual(results(w));
  }, 60_000);
});
