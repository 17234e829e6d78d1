// `npm run schemas`: regenerates schemas/ from the TypeBox sources and the module registry.
// A test fails when the checked-in files differ from what this writes.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSchemaFiles, schemaFileText } from '../src/engine/validate/schema-files.js';
import { registry } from '../src/modules/registry.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const files = generateSchemaFiles(registry);
  const moduleDir = path.join(root, 'schemas/modules');
  await mkdir(moduleDir, { recursive: true });
  // A renamed or removed module must not leave its old schema behind.
  for (const name of await readdir(moduleDir)) {
    if (name.endsWith('.json') && !(`schemas/modules/${name}` in files)) await rm(path.join(moduleDir, name));
  }
  for (const [rel, value] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), schemaFileText(value));
  }
  process.stdout.write(`wrote ${Object.keys(files).length} schema files to ${path.relative(process.cwd(), path.join(root, 'schemas')) || 'schemas'}/\n`);
}

await main();
