import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/engine/load/yaml-source.js';
import { compiled, EXPECTED } from '../../../src/engine/validate/ajv.js';
import { generateSchemaFiles, schemaFileText } from '../../../src/engine/validate/schema-files.js';
import { registry } from '../../../src/modules/registry.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = path.join(root, 'test/fixtures/load');

async function listJson(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...(await listJson(rel)));
    else if (e.name.endsWith('.json')) out.push(rel);
  }
  return out.sort();
}

describe('schemas/ is generated from the sources', () => {
  const files = generateSchemaFiles(registry);

  it('matches the checked-in files exactly (run npm run schemas)', async () => {
    expect(await listJson('schemas'), 'run npm run schemas').toEqual(Object.keys(files).sort());
    for (const [rel, value] of Object.entries(files)) {
      expect(await readFile(path.join(root, rel), 'utf8'), `${rel} is stale: run npm run schemas`).toBe(schemaFileText(value));
    }
  });

  it('has one schema per registered module', () => {
    for (const m of registry.all()) expect(files[`schemas/modules/${m.meta.name}.json`]).toMatchObject({ title: m.meta.name });
  });

  it('every module schema compiles in strict mode', () => {
    for (const m of registry.all()) expect(() => compiled(m.schema), m.meta.name).not.toThrow();
  });

  // The editor-facing playbook schema must accept real playbooks and reject broken ones.
  const editorAjv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true });
  editorAjv.addKeyword({ keyword: EXPECTED, schemaType: 'string' });
  const playbook = editorAjv.compile(files['schemas/playbook.json']!);
  const inventory = editorAjv.compile(files['schemas/inventory.json']!);
  const yaml = async (rel: string) => parseYaml(await readFile(path.join(fixtures, rel), 'utf8'), rel).value;

  it('schemas/playbook.json accepts the fixture playbooks', async () => {
    for (const rel of ['site/site.yml', 'site/plays/base.yml', 'workload.yml']) {
      expect(playbook(await yaml(rel)), `${rel}: ${JSON.stringify(playbook.errors?.slice(0, 3))}`).toBe(true);
    }
  });

  it('schemas/playbook.json rejects a misspelled play keyword and a bad block', () => {
    expect(playbook([{ hosts: 'all', taks: [] }])).toBe(false);
    expect(playbook([{ hosts: 'all', tasks: [{ block: [], whn: 'x' }] }])).toBe(false);
    expect(playbook([{ hosts: 'all', tasks: [{ name: 'x', command: 'ls', when: 'a' }] }])).toBe(true);
  });

  it('schemas/inventory.json accepts the Ansible YAML inventory shape', () => {
    const inv = { all: { hosts: { a: null, b: { ansible_host: '10.0.0.2' } }, vars: { x: 1 }, children: { gpu: { hosts: { c: {} }, children: { sub: null } } } } };
    expect(inventory(inv), JSON.stringify(inventory.errors)).toBe(true);
    expect(inventory({ all: { hostz: {} } })).toBe(false);
    expect(inventory({ all: { children: { g: { hosts: ['a'] } } } })).toBe(false);
  });
});
