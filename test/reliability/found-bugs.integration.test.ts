// One deterministic test per bug the fuzzers found, so each stays fixed even when a random run would
// not happen to generate its input again.
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listHosts } from '../../src/cli/listing.js';
import { formatDiagnostic, InvalidInputError } from '../../src/engine/contract/diagnostics.js';
import { loadInventory } from '../../src/engine/inventory/index.js';
import { loadPlaybooks } from '../../src/engine/load/index.js';
import { parseYaml } from '../../src/engine/load/yaml-source.js';
import { createTemplater } from '../../src/engine/template/index.js';
import { registry } from '../../src/modules/registry.js';
import { runCli } from '../support/cli-contract.js';
import { workspace, type Workspace } from '../support/workspace.js';

let ws: Workspace;
beforeAll(async () => {
  ws = await workspace('found-bugs');
});
afterAll(() => ws.remove());

async function problems(work: () => Promise<unknown>): Promise<string[]> {
  try {
    await work();
  } catch (err) {
    if (err instanceof InvalidInputError) return err.diagnostics.map(formatDiagnostic);
    throw err;
  }
  throw new Error('expected InvalidInputError');
}

const render = (text: string) => () => createTemplater().render(text, [{ name: 'vars', vars: { x: 1 }, trusted: true }], { file: 'p.yml', line: 3, col: 10 });

describe('bugs found by fuzzing', () => {
  it("a vars_files entry that is a mapping is reported once, not as \"vars file '[object Object]' not found\"", async () => {
    const file = ws.path('vars-files.yml');
    await writeFile(file, '- hosts: all\n  vars_files:\n    - name: oops\n  tasks: []\n');
    const out = await problems(() => loadPlaybooks([file], { registry }));
    expect(out.join('\n')).not.toContain('[object Object]');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/vars-files\.yml:\d+:\d+: .*vars_files/);
  });

  it("a mapping used as a key is an error at the key, not a key named '[object Object]'", () => {
    expect(() => parseYaml('a:\n  ? b: 1\n  : c\n', 'k.yml')).toThrow(/^k\.yml:2:\d+: a mapping key must be a plain value, got a mapping/);
    expect(parseYaml('base: &k x\n*k : 1\n', 'k.yml').value).toEqual({ base: 'x', x: 1 });
  });

  it('keys named like JavaScript internals stay data and never reach Object.prototype', () => {
    const v = parseYaml('__proto__: {polluted: 1}\nconstructor: c\ntoString: t\nm:\n  <<: {toString: merged, own: 1}\n', 'p.yml').value as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor', 'toString', 'm']);
    expect(v.__proto__).toEqual({ polluted: 1 });
    expect(v.m).toEqual({ toString: 'merged', own: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('one misplaced token gives one YAML error (with a count of its echoes), not one per following token', async () => {
    const file = ws.path('cascade.yml');
    const tasks = Array.from({ length: 30 }, (_, i) => `    - name: t${i}\n      debug: msg=x`).join('\n');
    await writeFile(file, `- hosts: all\n  tasks:\n${tasks}\n  ]\n${tasks}\n`);
    const out = await problems(() => loadPlaybooks([file], { registry }));
    expect(out).toEqual([expect.stringMatching(/cascade\.yml:63:3: Unexpected flow-seq-end token in YAML stream: "\]" \(\d+ more unexpected tokens after it not shown\)\n {2}63 \| {3}\]\n {7}\s*\^$/)]);
  });

  it('template syntax the nunjucks parser crashed on is a located template error', () => {
    const cases: Array<[string, RegExp]> = [
      ['{{ x | default(1).y }}', /^p\.yml:3:\d+: template error: expected '\}\}'$/],
      ['{%', /^p\.yml:3:\d+: template error: expected a tag name after '\{%', reached the end of the template$/],
      ['{{ default (', /^p\.yml:3:\d+: template error: unexpected end of the template$/],
      ['{{ . is defined }}', /^p\.yml:3:\d+: template error: /],
      ['{{ . endif }}', /^p\.yml:3:\d+: template error: incomplete expression$/],
    ];
    for (const [text, message] of cases) {
      expect(render(text), text).toThrow(InvalidInputError);
      expect(render(text), text).toThrow(message);
    }
  });

  it("messages show a dict or list used as a key or plugin name as data, not '[object Object]'", () => {
    expect(render('{{ 0[{}] }}')).toThrow(/'0\[\{\}\]'/);
    expect(render('{{ lookup({"a": 1}) }}')).toThrow(/plugin's name must be a string, got \{'a': 1\}/);
  });

  it('a bad host pattern in a play is reported at the play by --list-hosts', async () => {
    const inv = ws.path('two.ini');
    await writeFile(inv, '[fleet]\nh1\nh2\n');
    const pb = ws.path('pattern.yml');
    await writeFile(pb, '- hosts: "~("\n  gather_facts: false\n  tasks: []\n');
    const [playbook] = await loadPlaybooks([pb], { registry });
    const ctx = { inventory: await loadInventory([inv]), templater: createTemplater(), extraVars: { vars: {}, locs: {} }, tags: [], skipTags: [] };
    const out = await problems(async () => listHosts(playbook!, ctx));
    expect(out).toEqual([expect.stringMatching(/pattern\.yml:1:3: invalid regular expression in host pattern '~\('/)]);
  });

  it('-i web1,web2 is a host list: its names are not turned into paths', async () => {
    const pb = ws.path('list.yml');
    await writeFile(pb, '- hosts: all\n  gather_facts: false\n  tasks: []\n');
    const r = await runCli([pb, '-i', 'web1,web2', '--list-hosts'], { cwd: ws.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/hosts \(2\):\n {6}web1\n {6}web2\n/);
  });
});
