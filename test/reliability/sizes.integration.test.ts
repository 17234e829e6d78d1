// Absurd sizes through the real CLI with the local connection: a 50 MB file copied (and re-checked,
// and diffed), a loop of 10,000 items, an inventory of 1,000 hosts. Each run must finish correctly in
// bounded time with bounded memory: the peak RSS of the fleetplay process stays under a generous cap
// (a run that holds several copies of the file, or per-item state it never frees, blows through it).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../support/cli-contract.js';
import { workspace, type Workspace } from '../support/workspace.js';

const MiB = 1024 * 1024;
/** Node + tsx + fleetplay take ~150 MiB before any work; the caps allow that plus generous headroom. */
const RSS_CAP_MIB = { copy: 420, loop: 450, hosts: 450 };

let ws: Workspace;
beforeAll(async () => {
  ws = await workspace('sizes');
});
afterAll(() => ws.remove());

function recap(r: CliResult, host: string): Record<string, number> {
  const line = r.stdout.split('\n').find((l) => l.startsWith(`${host} `));
  if (!line) throw new Error(`no recap for ${host}:\n${r.stdout.slice(-2000)}\n${r.stderr}`);
  return Object.fromEntries([...line.matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
}

describe('absurd sizes', () => {
  it('copies a 50 MB file, then finds it unchanged, then diffs a change, in bounded memory', async () => {
    const src = ws.path('big.bin');
    const data = randomBytes(50 * MiB);
    await writeFile(src, data);
    await mkdir(ws.path('h1'));
    await writeFile(ws.path('big.ini'), `h1 ansible_connection=local out=${ws.path('h1')}\n`);
    await writeFile(ws.path('big.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n    - copy:\n        src: ${src}\n        dest: "{{ out }}/big.bin"\n        mode: "0600"\n`);
    const args = [ws.path('big.yml'), '-i', ws.path('big.ini')];

    const first = await runCli(args, { measureRss: true, timeoutMs: 120_000 });
    expect(recap(first, 'h1')).toMatchObject({ ok: 1, changed: 1, failed: 0 });
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(sha(await readFile(ws.path('h1/big.bin')))).toBe(sha(data));

    const again = await runCli([...args, '--diff'], { measureRss: true, timeoutMs: 120_000 });
    expect(recap(again, 'h1')).toMatchObject({ ok: 1, changed: 0 });

    await writeFile(src, Buffer.concat([data, Buffer.from('one more line\n')]));
    const changed = await runCli([...args, '--diff', '--check'], { measureRss: true, timeoutMs: 120_000 });
    expect(recap(changed, 'h1')).toMatchObject({ ok: 1, changed: 1 });
    expect(sha(await readFile(ws.path('h1/big.bin')))).toBe(sha(data));

    const peaks = [first, again, changed].map((r) => Math.round(r.peakRssMiB));
    console.log(`50 MB copy: peak RSS ${peaks.join(' / ')} MiB (copy / unchanged --diff / --check --diff)`);
    for (const p of peaks) expect(p).toBeGreaterThan(0);
    for (const p of peaks) expect(p).toBeLessThan(RSS_CAP_MIB.copy);
  }, 240_000);

  it('runs loops of 10,000 items (debug, and set_fact accumulating) in bounded memory', async () => {
    await writeFile(ws.path('loop.ini'), 'h1 ansible_connection=local\n');
    await writeFile(
      ws.path('loop.yml'),
      [
        '- hosts: all',
        '  gather_facts: false',
        '  tasks:',
        '    - debug:',
        "        msg: 'item {{ item }}'",
        '      loop: "{{ range(10000) | list }}"',
        '    - set_fact:',
        '        total: "{{ (total | default(0) | int) + item }}"',
        '      loop: "{{ range(10000) | list }}"',
        '    - assert:',
        '        that: total | int == 49995000',
        '',
      ].join('\n'),
    );
    const r = await runCli([ws.path('loop.yml'), '-i', ws.path('loop.ini'), '--json', ws.path('loop.json')], { measureRss: true, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(recap(r, 'h1')).toMatchObject({ ok: 3, failed: 0 });
    expect(r.stdout).toContain('item 9999');
    const report = JSON.parse(await readFile(ws.path('loop.json'), 'utf8')) as { plays: Array<{ tasks: Array<{ results: Array<{ items?: unknown[] }> }> }> };
    expect(report.plays[0]!.tasks[0]!.results[0]!.items).toHaveLength(10_000);
    console.log(`10,000-item loops: peak RSS ${Math.round(r.peakRssMiB)} MiB, ${Math.round(r.ms)} ms`);
    expect(r.peakRssMiB).toBeLessThan(RSS_CAP_MIB.loop);
  }, 150_000);

  it('loads, selects, lists and runs an inventory of 1,000 hosts in bounded memory', async () => {
    await writeFile(ws.path('fleet.ini'), '[fleet]\nnode[0001:1000] ansible_connection=local\n[gpu]\nnode[0001:0500]\n');
    await writeFile(
      ws.path('fleet.yml'),
      "- hosts: fleet\n  gather_facts: false\n  tasks:\n    - debug:\n        msg: '{{ inventory_hostname }} of {{ groups.fleet | length }}'\n    - ping:\n",
    );
    const args = [ws.path('fleet.yml'), '-i', ws.path('fleet.ini')];
    const listed = await runCli([...args, '--list-hosts', '-l', 'gpu:!node0001:node0999'], { timeoutMs: 60_000 });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('hosts (500):');
    expect(listed.stdout).toMatch(/node0999\n/);
    expect(listed.stdout).not.toMatch(/node0001\n/);

    const r = await runCli([...args, '--json', ws.path('fleet.json')], { measureRss: true, timeoutMs: 150_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(recap(r, 'node1000')).toMatchObject({ ok: 2, failed: 0, unreachable: 0 });
    expect(r.stdout.match(/^node\d{4} +: ok=2 /gm)).toHaveLength(1000);
    console.log(`1,000 hosts: peak RSS ${Math.round(r.peakRssMiB)} MiB, ${Math.round(r.ms)} ms`);
    expect(r.peakRssMiB).toBeLessThan(RSS_CAP_MIB.hosts);
  }, 180_000);
});
