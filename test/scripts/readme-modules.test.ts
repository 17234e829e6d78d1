import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withModuleReference } from '../../scripts/readme-modules.js';
import { registry } from '../../src/modules/registry.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README module reference', () => {
  it('is in sync with the module schemas (run npm run docs)', () => {
    expect(withModuleReference(readme) === readme, 'README module reference is stale: run npm run docs').toBe(true);
  });
  it('documents every module', () => {
    for (const m of registry.all()) expect(readme).toContain(`### ${m.meta.name}\n`);
  });
});
