// Every run compiles schemas without checking them against the JSON Schema 2020-12 meta-schema (it
// cost ~45 ms of start-up): this test is where they are checked, each compiled as the engine does.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { AJV_OPTIONS, EXPECTED } from '../../../src/engine/validate/ajv.js';
import { schemaCatalog } from '../../../scripts/schema-catalog.js';

const schemas = schemaCatalog();

describe('schemas against the 2020-12 meta-schema', () => {
  const ajv = new Ajv2020({ ...AJV_OPTIONS, validateSchema: true });
  ajv.addKeyword({ keyword: EXPECTED, schemaType: 'string' });

  it('covers the loader keyword schemas, the inventory and every module', () => {
    const names = schemas.map(([n]) => n);
    for (const n of ['PlaySchema', 'TaskKeywordsSchema', 'HandlerKeywordsSchema', 'BlockSchema', 'MetaSchema', 'RoleRefSchema', 'InventoryFileSchema', 'module copy', 'module mofed_install']) {
      expect(names).toContain(n);
    }
  });

  it.each(schemas)('%s is a valid schema', (_name, schema) => {
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });
});
