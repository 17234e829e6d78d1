// Small inputs that expand into huge work: YAML alias bombs, host ranges of millions, nesting deeper
// than the stack. Each must be refused quickly with a located message, never exhaust the controller.
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExtraVars } from '../../src/cli/extra-vars.js';
import { formatDiagnostic, InvalidInputError } from '../../src/engine/contract/diagnostics.js';
import { loadInventory } from '../../src/engine/inventory/index.js';
import { loadPlaybooks, loadVarsFile } from '../../src/engine/load/index.js';
import { createTemplater } from '../../src/engine/template/index.js';
import { registry } from '../../src/modules/registry.js';
import { workspace, type Workspace } from '../support/workspace.js';

let ws: Workspace;
beforeAll(async () => {
  ws = await workspace('bombs');
});
afterAll(() => ws.remove());

/** Nine levels of ten aliases each: 10^9 values once expanded. */
function laughs(indent: string): string {
  const lines = [`${indent}l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
  for (let i = 1; i < 10; i++) lines.push(`${indent}l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
  return lines.join('\n');
}

async function problems(work: () => Promise<unknown>, maxMs = 5000): Promise<string[]> {
  const t0 = performance.now();
  try {
    await work();
  } catch (err) {
    expect(performance.now() - t0).toBeLessThan(maxMs);
    if (!(err instanceof InvalidInputError)) throw err;
    return err.diagnostics.map(formatDiagnostic);
  }
  throw new Error('expected the input to be rejected');
}

describe('input bombs', () => {
  it('refuses a billion-laughs playbook at the alias that expands too far', async () => {
    const file = ws.path('laughs.yml');
    await writeFile(file, `- hosts: all\n  vars:\n${laughs('    ')}\n  tasks: []\n`);
    const out = await problems(() => loadPlaybooks([file], { registry }));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/laughs\.yml:\d+:\d+: YAML aliases expand to more than 50000 values/);
  });

  it('refuses a billion-laughs vars file given with -e @file, and in a YAML inventory', async () => {
    const vars = ws.path('laughs-vars.yml');
    await writeFile(vars, `${laughs('')}\n`);
    expect((await problems(() => parseExtraVars([`@${vars}`], loadVarsFile)))[0]).toMatch(/laughs-vars\.yml:\d+:\d+: YAML aliases expand/);
    const inv = ws.path('laughs-inventory.yml');
    await writeFile(inv, `all:\n  vars:\n${laughs('    ')}\n  hosts:\n    h1:\n`);
    expect((await problems(() => loadInventory([inv])))[0]).toMatch(/laughs-inventory\.yml:\d+:\d+: YAML aliases expand/);
  });

  it('still merges ordinary aliases and `<<:` keys', async () => {
    const file = ws.path('aliases.yml');
    await writeFile(file, '- hosts: all\n  vars:\n    base: &b {a: 1, b: 2}\n    use:\n      <<: *b\n      b: 3\n    again: *b\n  tasks: []\n');
    const [pb] = await loadPlaybooks([file], { registry });
    expect(pb!.plays[0]!.vars.vars).toMatchObject({ use: { a: 1, b: 3 }, again: { a: 1, b: 2 } });
  });

  it('refuses host ranges that expand to millions of hosts, with the line and column', async () => {
    const ini = ws.path('ranges.ini');
    await writeFile(ini, '[fleet]\nnode[0:99999999]\nrack[000:999]-n[000:999]\nok[1:3]\n');
    expect(await problems(() => loadInventory([ini]))).toEqual([
      `${ini}:2:6: host range '[0:99999999]' expands to 100000000 hosts; at most 100000 per entry`,
      `${ini}:3:5: host pattern 'rack[000:999]-n[000:999]' expands to 1000000 hosts; at most 100000 per entry`,
    ]);
    const yml = ws.path('ranges.yml');
    await writeFile(yml, 'all:\n  hosts:\n    gpu[1:50000000]:\n');
    expect((await problems(() => loadInventory([yml])))[0]).toMatch(/ranges\.yml:3:\d+: host range '\[1:50000000\]' expands to 50000000 hosts/);
  });

  it('refuses YAML nested deeper than the stack allows, block or flow style', async () => {
    const block = ws.path('deep-block.yml');
    let text = '- hosts: all\n  vars:\n    x:\n';
    for (let i = 0; i < 3000; i++) text += `${' '.repeat(6 + i)}k${i}:\n`;
    await writeFile(block, text);
    expect((await problems(() => loadPlaybooks([block], { registry })))[0]).toMatch(/deep-block\.yml:\d+:\d+: YAML nested (more than 200 levels deep|too deeply)/);
    const flow = ws.path('deep-flow.yml');
    await writeFile(flow, `- hosts: all\n  vars:\n    x: ${'['.repeat(5000)}${']'.repeat(5000)}\n  tasks: []\n`);
    expect((await problems(() => loadPlaybooks([flow], { registry })))[0]).toMatch(/deep-flow\.yml:3:\d+: YAML nested (more than 200 levels deep|too deeply)/);
    const blocks = ws.path('deep-blocks.yml');
    let nested = '- hosts: all\n  tasks:\n';
    for (let i = 0, ind = '    '; i < 400; i++, ind += '    ') nested += `${ind}- block:\n${i === 399 ? `${ind}    - debug: msg=x\n` : ''}`;
    await writeFile(blocks, nested);
    expect((await problems(() => loadPlaybooks([blocks], { registry })))[0]).toMatch(/deep-blocks\.yml:\d+:\d+: YAML nested more than 200 levels deep/);
  });

  it('refuses templates nested deeper than the stack allows', () => {
    const t = createTemplater();
    const layers = [{ name: 'vars', vars: {}, trusted: true }];
    const loc = { file: 'play.yml', line: 4, col: 12 };
    for (const text of [`{{ ${'('.repeat(3000)}1${')'.repeat(3000)} }}`, `${'{% if true %}'.repeat(2000)}x${'{% endif %}'.repeat(2000)}`]) {
      expect(() => t.render(text, layers, loc)).toThrow(/^play\.yml:4:\d+: template error: the template is nested too deeply$/);
    }
  });

  it('refuses lazy variables that refer to each other, naming the cycle', () => {
    const t = createTemplater();
    const layers = [{ name: 'vars', vars: { a: '{{ b }}', b: '{{ c }}', c: '{{ a }}' }, trusted: true }];
    expect(() => t.render('{{ a }}', layers, { file: 'play.yml', line: 2, col: 3 })).toThrow(/play\.yml:2:3: .*a -> b -> c -> a/);
  });
});
