import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readYamlFile } from '../../../src/engine/load/yaml-source.js';
import { InventoryFileSchema } from '../../../src/engine/validate/inventory-schema.js';
import { validateWithSchema } from '../../../src/engine/validate/validate-with-schema.js';
import { fixture } from '../../support/inventory-fixtures.js';

// The loader checks YAML inventories itself (with hints a schema cannot give); schemas/inventory.json,
// which editors use, must agree with it on what is valid.
describe('YAML inventory checks agree with the inventory JSON Schema', () => {
  const valid = [
    fixture('yaml/hosts.yml'),
    fixture('multi/b.yml'),
    fixture('vars-dirs/inventory/hosts.yml'),
    fixture('dir-source/20-more.yml'),
    fileURLToPath(new URL('../../../inventories/azure-hpc.yml', import.meta.url)),
    fileURLToPath(new URL('../../../inventories/azure-local.yml', import.meta.url)),
  ];
  it.each(valid)('schema accepts %s', async (file) => {
    const src = await readYamlFile(file);
    expect(validateWithSchema(InventoryFileSchema, src.value, src.locs, { file, line: 1, col: 1 })).toEqual([]);
  });

  it('schema rejects the structurally bad fixture too', async () => {
    const file = fixture('bad/bad.yml');
    const src = await readYamlFile(file);
    expect(validateWithSchema(InventoryFileSchema, src.value, src.locs, { file, line: 1, col: 1 }).length).toBeGreaterThan(0);
  });
});
