// Every shipped module carries its docs and its tests: a module file of its own, doc text for the
// module and each argument, an example, a unit test that imports it, and a lab (end-to-end) test that
// runs it as a task. A module added without them fails here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modules } from '../../src/modules/all.js';
import { createRegistry } from '../../src/modules/registry.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const walk = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)])) : [];
const unitTests = walk(join(root, 'test/modules')).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(f, 'utf8'));
// Lab tests: the end-to-end and reliability suites, the shipped playbooks (run on the lab by
// shipped-playbooks.test.ts), and module tests that start lab hosts.
const labTexts = ['test/e2e', 'test/reliability', 'playbooks', 'test/modules']
  .flatMap((d) => walk(join(root, d)))
  .filter((f) => /\.(ts|ya?ml)$/.test(f))
  .map((f) => ({ file: relative(root, f), text: readFileSync(f, 'utf8') }))
  .filter((t) => !t.file.startsWith('test/modules/') || /lab/i.test(t.text.match(/^import .*$/gm)?.join('\n') ?? ''));

const fileOf = (name: string) => name.replaceAll('_', '-');

describe('module registry', () => {
  for (const m of modules) {
    describe(m.meta.name, () => {
      it('lives in its own kebab-case file', () => {
        expect(existsSync(join(root, 'src/modules', `${fileOf(m.meta.name)}.ts`))).toBe(true);
      });

      it('documents itself, each argument and its return values, and gives an example', () => {
        expect(m.meta.description.length).toBeGreaterThan(10);
        expect(m.meta.example?.trim().length ?? 0).toBeGreaterThan(0);
        expect(Object.keys(m.meta.returns ?? {}).length).toBeGreaterThan(0);
        const props = (m.schema as { properties?: Record<string, { description?: string }> }).properties ?? {};
        const undocumented = Object.entries(props).filter(([, p]) => !p.description).map(([k]) => k);
        expect(undocumented).toEqual([]);
      });

      it('has a unit test importing it', () => {
        const spec = `modules/${fileOf(m.meta.name)}.js'`;
        expect(unitTests.some((t) => t.includes(spec))).toBe(true);
      });

      it('has a lab test running it as a task', () => {
        const names = [m.meta.name, ...(m.meta.aliases ?? [])].map((n) => n.replaceAll('.', '\\.'));
        // A task key in YAML, also inside a test's quoted playbook lines.
        const task = new RegExp(`^[ \\t'"\`-]*(?:[a-z_]+\\.[a-z_]+\\.)?(?:${names.join('|')}):`, 'm');
        expect(labTexts.filter((t) => task.test(t.text)).map((t) => t.file)).not.toEqual([]);
      });
    });
  }

  it('answers to the short name, fleetplay.<name> and each declared collection', () => {
    const reg = createRegistry(modules);
    for (const m of modules) {
      expect(reg.get(m.meta.name)).toBe(m);
      expect(reg.get(`fleetplay.${m.meta.name}`)).toBe(m);
      for (const c of m.meta.collections ?? ['ansible.builtin']) expect(reg.get(`${c}.${m.meta.name}`)).toBe(m);
    }
  });

  it('refuses a name registered twice', () => {
    const [a] = modules;
    expect(() => createRegistry([a!, { ...a!, meta: { ...a!.meta } }])).toThrow(/registered twice/);
  });
});
