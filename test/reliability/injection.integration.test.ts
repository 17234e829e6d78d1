// Shell and PowerShell metacharacters through every module argument that reaches a host, through the
// real executor and the local connection: the canary is never created and every checked value
// arrives literally. The same table runs over SSH on the lab (injection-lab.test.ts).
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalConnection } from '../../src/engine/connection/local.js';
import { runInjectionTable } from '../support/injection-runner.js';
import { INJECTION_CASES } from '../support/injection-table.js';
import { injectionPayloads } from '../support/payloads.js';
import { runPlaybookAt } from '../support/run-playbook.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetplay-inj-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('injection through module arguments (local connection)', () => {
  it('every argument × every payload: no canary, values arrive literally', async () => {
    const base = join(dir, 'args');
    const inventoryPath = join(dir, 'local.ini');
    await writeFile(inventoryPath, 'target ansible_connection=local\n');
    await mkdir(base);
    const report = await runInjectionTable({ inventoryPath, host: 'target', base, connection: () => new LocalConnection() });
    console.log(`injection: ${report.payloads} payloads × ${report.cases} arguments = ${report.tried} tries, ${report.canaries.length} canaries`);
    expect(report.canaries).toEqual([]);
    expect(report.failures).toEqual([]);
    expect(report.tried).toBe(INJECTION_CASES.length * report.payloads);
  }, 180_000);

  it('host names and inventory variables carry metacharacters literally too', async () => {
    const canaryDir = join(dir, 'hosts-canary');
    await mkdir(canaryDir);
    // A ':' or '[' in an inventory host name means a port or a range (as in Ansible): not a name.
    const payloads = injectionPayloads(join(canaryDir, 'pwned')).filter((p) => !/[:[\]]/.test(p));
    expect(payloads.length).toBeGreaterThan(12);
    const hosts: Record<string, unknown> = {};
    payloads.forEach((p, i) => {
      hosts[p] = { ansible_connection: 'local', out: join(dir, `host-${i}`), motd: p, ansible_user: p, ansible_become_user: p };
    });
    const inventoryPath = join(dir, 'hosts.yml');
    await writeFile(inventoryPath, stringify({ all: { children: { weird: { hosts } } } }));
    const playbook = join(dir, 'hosts-play.yml');
    await writeFile(
      playbook,
      stringify([
        {
          hosts: 'weird',
          gather_facts: true,
          tasks: [
            { name: 'name', copy: { dest: '{{ out }}.name', content: '{{ inventory_hostname }}' } },
            { name: 'var', copy: { dest: '{{ out }}.var', content: '{{ motd }}' } },
            { name: 'argv', command: { argv: ['printf', '%s', '{{ inventory_hostname }}'], expand_argument_vars: false, strip_empty_ends: false }, register: 'r' },
            { name: 'become', command: 'true', become: true, ignore_errors: true },
          ],
        },
      ]),
    );
    const { events } = await runPlaybookAt(playbook, inventoryPath, { forks: 5 });
    expect(await readdir(canaryDir)).toEqual([]);
    for (const [i, p] of payloads.entries()) {
      expect(await readFile(join(dir, `host-${i}.name`), 'utf8')).toBe(p);
      expect(await readFile(join(dir, `host-${i}.var`), 'utf8')).toBe(p);
      expect(events.result('argv', p)?.data.stdout).toBe(p);
    }
  }, 120_000);

  it('a value a host returns is never templated again, even when it looks like a template', async () => {
    const canary = join(dir, 'template-canary');
    const inventoryPath = join(dir, 'one.ini');
    await writeFile(inventoryPath, `h1 ansible_connection=local out=${dir}/echoed\n`);
    const playbook = join(dir, 'returned.yml');
    // Only the host knows this text: the playbook reads it with cat, so the playbook itself holds no template.
    const hostile = `{{ lookup('file', '/etc/hostname') }}{% if true %}x{% endif %}{{ undefined_var }}`;
    await writeFile(join(dir, 'hostile.txt'), hostile);
    await writeFile(
      playbook,
      stringify([
        {
          hosts: 'h1',
          gather_facts: false,
          tasks: [
            { name: 'host prints template syntax', command: { argv: ['cat', join(dir, 'hostile.txt')] }, register: 'r' },
            { name: 'use it', copy: { dest: '{{ out }}', content: '{{ r.stdout }}' } },
            { name: 'fact from it', set_fact: { again: '{{ r.stdout }}' } },
            { name: 'use fact', copy: { dest: '{{ out }}.fact', content: '{{ again }}' } },
            { name: 'shell it', shell: `test ! -e ${canary} && printf %s {{ again | quote }}`, register: 's' },
          ],
        },
      ]),
    );
    const { events, summary } = await runPlaybookAt(playbook, inventoryPath);
    expect(summary.failures).toEqual([]);
    expect(await readFile(join(dir, 'echoed'), 'utf8')).toBe(hostile);
    expect(await readFile(join(dir, 'echoed.fact'), 'utf8')).toBe(hostile);
    expect(events.result('shell it', 'h1')?.data.stdout).toBe(hostile);
  }, 60_000);
});
