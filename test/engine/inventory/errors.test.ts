import { describe, expect, it } from 'vitest';
import { formatDiagnostic, InvalidInputError } from '../../../src/engine/contract/diagnostics.js';
import { loadInventory } from '../../../src/engine/inventory/index.js';
import { fixture } from '../../support/inventory-fixtures.js';

async function problems(sources: string[]): Promise<string[]> {
  try {
    await loadInventory(sources);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInputError);
    return (e as InvalidInputError).diagnostics.map((d) => formatDiagnostic(d).replace(fixture(''), ''));
  }
  throw new Error('expected the inventory to be rejected');
}

describe('inventory errors', () => {
  it('reports every bad INI line with its position, in one go', async () => {
    expect(await problems([fixture('bad/bad.ini')])).toEqual([
      "bad/bad.ini:2:7: expected 'key=value' after the host name, got 'ansible_port:22' (INI host variables use '=', not ':')",
      "bad/bad.ini:3:5: host range '[05:01]': begin must not be greater than end",
      "bad/bad.ini:4:6: host range '[1:]' has no end value",
      "bad/bad.ini:6:6: section [web:unknown] has unknown type 'unknown'; use hosts, children or vars",
      "bad/bad.ini:9:1: invalid section header '[bad group]': a group name cannot contain spaces, ':' or ']'",
      'bad/bad.ini:10:2: section [db:vars] is for a group that is never declared (add [db] or [db:children])',
      "bad/bad.ini:11:1: expected 'key=value' in [db:vars], got 'foo'",
      "bad/bad.ini:14:1: [linux:children] lists group 'webz', which is never declared (did you mean 'web'?)",
    ]);
  });

  it('reports every structural problem of a YAML inventory with its position', async () => {
    expect(await problems([fixture('bad/bad.yml')])).toEqual([
      "bad/bad.yml:3:5: hosts of group 'all' must be a mapping of host names to their variables, not a list (write each host as a key: `hosts: { web1: , web2: }` or one `web1:` per line)",
      "bad/bad.yml:6:7: unexpected key 'host' in group 'gpu': a group has only hosts, vars and children (did you mean 'hosts'?)",
      "bad/bad.yml:8:13: vars of group 'gpu' must be a mapping of variable names to values, not a list",
      "bad/bad.yml:11:9: host range '[3:1]': begin must not be greater than end",
      `bad/bad.yml:12:15: variables of host 'db02' must be a mapping, not a string ("just-a-string")`,
      "bad/bad.yml:14:7: unexpected key 'web01' in group 'web': a group has only hosts, vars and children (to put host 'web01' in the group, list it under hosts:)",
    ]);
  });

  it('reports YAML syntax errors and group cycles with positions', async () => {
    const [syntax] = await problems([fixture('bad/syntax.yml')]);
    expect(syntax).toMatch(/^bad\/syntax\.yml:3:\d+: /);
    expect(await problems([fixture('bad/cycle.ini')])).toEqual(["bad/cycle.ini:6:1: group 'a' is a child of itself: a → b → a"]);
  });

  it('collects problems from every source and names a missing one', async () => {
    const list = await problems([fixture('bad/cycle.ini'), fixture('nope.ini'), fixture('bad/bad.ini')]);
    expect(list[0]).toContain('nope.ini');
    expect(list[0]).toContain('does not exist');
    expect(list.filter((p) => p.startsWith('bad/bad.ini'))).toHaveLength(8);
    expect(list.some((p) => p.includes('child of itself'))).toBe(true);
  });

  it('rejects a vars file that is not a mapping, with its position', async () => {
    const { mkdtemp, mkdir, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'inv-'));
    await mkdir(join(dir, 'group_vars'));
    await writeFile(join(dir, 'hosts'), '[web]\nweb01\n');
    await writeFile(join(dir, 'group_vars', 'web.yml'), '# list by mistake\n- a: 1\n');
    try {
      await loadInventory([join(dir, 'hosts')]);
      expect.unreachable();
    } catch (e) {
      expect(formatDiagnostic((e as InvalidInputError).diagnostics[0]!)).toBe(`${join(dir, 'group_vars', 'web.yml')}:2:1: a vars file must hold a mapping of variable names to values, not a list`);
    }
  });
});
