import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCycles, importGraph } from '../../scripts/import-graph.js';

// Data flows one way through the layers (DESIGN.md); an import cycle is a layer reaching back.
describe('import graph', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'fp-cycles-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('finds a cycle through a type-only import, a re-export and a folder index', () => {
    mkdirSync(join(scratch, 'dir'));
    writeFileSync(join(scratch, 'a.ts'), "import type { B } from './b.js';\nexport const a = 1;\n");
    writeFileSync(join(scratch, 'b.ts'), "export { c } from './dir';\nexport type B = number;\n");
    writeFileSync(join(scratch, 'dir', 'index.ts'), "import { a } from '../a.js';\nexport const c = a;\n");
    writeFileSync(join(scratch, 'd.ts'), "import { a } from './a.js';\nimport 'node:fs';\nexport const d = a;\n");
    const cycles = importCycles(importGraph(scratch)).map((c) => c.map((f) => relative(scratch, f)));
    expect(cycles).toEqual([['a.ts', 'b.ts', 'dir/index.ts']]);
  });

  it('src/ has no import cycles', () => {
    const cycles = importCycles(importGraph('src')).map((c) => c.map((f) => relative('.', f)).join(' → '));
    expect(cycles).toEqual([]);
  });
});
