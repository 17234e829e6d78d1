// Every schema of the catalog compiled ahead of time with ajv's standalone code generation: the build
// (scripts/build.mjs) bundles this module's output in place of src/engine/validate/precompiled.ts, so
// a run starts without compiling schemas (~0.1 s of every run's start).
import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { AJV_OPTIONS, EXPECTED } from '../src/engine/validate/ajv.js';
import { schemaKey } from '../src/engine/validate/schema-key.js';
import { schemaCatalog } from './schema-catalog.js';

type StandaloneCode = (ajv: Ajv2020, refs: Record<string, string>) => string;

/** An ES module exporting `precompiled`: a Map from schema key to its validator. */
export function precompiledValidatorsModule(): string {
  const standaloneCode = (createRequire(import.meta.url)('ajv/dist/standalone') as { default: StandaloneCode }).default;
  // Run-time options; each schema is also checked against the meta-schema here.
  const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { source: true, esm: true } });
  ajv.addKeyword({ keyword: EXPECTED, schemaType: 'string' });
  const exportsByName: Record<string, string> = {};
  const names = new Map<string, string>();
  for (const [, schema] of schemaCatalog()) {
    const key = schemaKey(schema);
    if (names.has(key)) continue;
    const name = `v${names.size}`;
    names.set(key, name);
    ajv.addSchema(schema, key);
    exportsByName[name] = key;
  }
  const entries = [...names].map(([key, name]) => `[${JSON.stringify(key)}, ${name}]`).join(',\n  ');
  return `${standaloneCode(ajv, exportsByName)}\n\nexport const precompiled = new Map([\n  ${entries}\n]);\n`;
}
