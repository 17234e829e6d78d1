import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/engine/contract/diagnostics.js';
import { parseYaml } from '../../../src/engine/load/yaml-source.js';
import { InventoryFileSchema } from '../../../src/engine/validate/inventory-schema.js';
import { validateWithSchema } from '../../../src/engine/validate/validate-with-schema.js';

const run = (schema: object, text: string, file = 'x.yml') => {
  const src = parseYaml(text, file);
  return validateWithSchema(schema, src.value, src.locs, { file, line: 1, col: 1 }).map(formatDiagnostic);
};

describe('validateWithSchema', () => {
  it('maps every error of a YAML inventory to the node it is about', () => {
    const text = ['all:', '  hosts:', '    a:', '    b: [1]', '  chldren:', '    gpu: {}', '  children:', '    gpu:', '      hostz: {}', ''].join('\n');
    expect(run(InventoryFileSchema, text, 'inv.yml')).toEqual([
      "inv.yml:5:3: unknown key 'chldren' in inventory group (did you mean 'children'?)",
      "inv.yml:4:8: 'all.hosts.b' must be a mapping of variables, got a list",
      "inv.yml:9:7: unknown key 'hostz' in inventory group (did you mean 'hosts'?)",
    ]);
  });

  it('accepts a valid inventory', () => {
    expect(run(InventoryFileSchema, 'all:\n  hosts:\n    a:\n  children:\n    g:\n      hosts: {b: {x: 1}}\n      vars: {y: 2}\n')).toEqual([]);
  });

  it('reports the branch of a union the value evidently meant', () => {
    const schema = Type.Object({ items: Type.Union([Type.String(), Type.Array(Type.Integer())]) }, { title: 'thing' });
    expect(run(schema, 'items: [1, two, 3]\n')).toEqual(["x.yml:1:12: 'items[1]' must be an integer, got 'two'"]);
    expect(run(schema, 'items: {a: 1}\n')).toEqual(["x.yml:1:8: 'items' must be a string or a list of integers, got a mapping"]);
  });

  it('names the missing key and the mapping it belongs to', () => {
    const schema = Type.Object({ inner: Type.Object({ need: Type.String() }, { title: 'inner block' }) }, { title: 'outer' });
    expect(run(schema, 'inner:\n  other: 1\n')).toEqual(["x.yml:2:3: missing required key 'need' in inner block"]);
  });

  it('uses the pointer option when the value is part of a larger file', () => {
    const src = parseYaml('- a: 1\n- a: nope\n', 'l.yml');
    const schema = Type.Object({ a: Type.Integer() }, { title: 'entry' });
    const d = validateWithSchema(schema, (src.value as unknown[])[1], src.locs, { file: 'l.yml', line: 1, col: 1 }, { pointer: '/1' });
    expect(d.map(formatDiagnostic)).toEqual(["l.yml:2:6: 'a' must be an integer, got 'nope'"]);
  });
});
