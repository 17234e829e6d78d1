// The bundled CLI validates with validators compiled ahead of time: they must find every schema by
// its key and answer exactly as validators compiled at run time do (same errors, same order).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompiledValidatorsModule } from '../../scripts/precompile-validators.js';
import { schemaCatalog } from '../../scripts/schema-catalog.js';
import { compiled } from '../../src/engine/validate/ajv.js';
import { schemaKey } from '../../src/engine/validate/schema-key.js';

let precompiled: Map<string, ValidateFunction>;
let file = '';

afterAll(() => rm(file, { force: true }));

beforeAll(async () => {
  // Inside the checkout, so that anything the generated code imports resolves as in the bundle.
  const dir = join(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'fleetplay-test');
  await mkdir(dir, { recursive: true });
  file = join(dir, `precompiled-${process.pid}.mjs`);
  // ajv's runtime helpers are require()d: the bundle defines require for the whole file; do the same.
  await writeFile(file, `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${precompiledValidatorsModule()}`);
  ({ precompiled } = (await import(pathToFileURL(file).href)) as { precompiled: Map<string, ValidateFunction> });
});

// Values that pass some schemas and fail others in many ways (types, unknown keys, missing keys).
const SAMPLES: unknown[] = [
  {},
  null,
  'text',
  42,
  [],
  { name: 'x', hosts: 'all', tasks: [] },
  { name: 1, hosts: ['a', 2], become: 'maybe', unknown_key: true },
  { path: '/etc/waagent.conf', line: 'OS.EnableRDMA=y', regexp: '^#?OS.EnableRDMA' },
  { dest: '/tmp/x', mode: [1], content: { a: 1 } },
  { cmd: 'true', creates: 5, chdir: null },
  { block: [], rescue: 'x', when: [true, 'a', 3] },
  { version: '5.8-3.0.7.0', state: 'present', flavor: 'doca' },
  { all: { hosts: { h1: null }, children: { g: { vars: [] } } } },
];

describe('validators compiled ahead of time', () => {
  it('cover every schema of the catalog', () => {
    for (const [name, schema] of schemaCatalog()) expect(precompiled.has(schemaKey(schema)), name).toBe(true);
  });

  it.each(schemaCatalog())('%s: same verdict and errors as compiled at run time', (_name, schema) => {
    const ahead = precompiled.get(schemaKey(schema))!;
    const now = compiled(schema);
    for (const sample of SAMPLES) {
      const a = ahead(structuredClone(sample));
      const b = now(structuredClone(sample));
      expect(a).toBe(b);
      expect(JSON.stringify(ahead.errors ?? null)).toBe(JSON.stringify(now.errors ?? null));
    }
  });
});
