// The `unit` project stays fast and runnable by any user: no file in it (nor any test helper it
// imports) runs the CLI as a process, starts the lab, runs other programs or servers, or spends a
// fuzzing budget. Such a file belongs in `integration` (named *.integration.test.ts) or `lab`
// (vitest.config.ts). And every test file belongs to exactly one project, so none is dropped.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import config from '../../vitest.config.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    ['node_modules', 'dist', '.git'].includes(e.name) ? [] : e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );

/** The glob forms vitest.config.ts uses: `**` (any folders), `*` (within one name). */
function globRegExp(glob: string): RegExp {
  const body = glob
    .split(/(\*\*\/|\*)/)
    .map((part) => (part === '**/' ? '(?:[^/]+/)*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

interface Project { name: string; include: RegExp[]; exclude: RegExp[] }
const projects: Project[] = (config.test?.projects as Array<{ test: { name: string; include: string[]; exclude?: string[] } }>).map((p) => ({
  name: p.test.name,
  include: p.test.include.map(globRegExp),
  // vitest's own default excludes (node_modules, dist, ...) are folders walk() never enters.
  exclude: (p.test.exclude ?? []).filter((g) => !g.includes('{') && !g.includes('node_modules') && !g.includes('dist')).map(globRegExp),
}));
const testFiles = [...walk(join(ROOT, 'test')), ...walk(join(ROOT, 'packages'))]
  .map((f) => relative(ROOT, f))
  .filter((f) => f.endsWith('.test.ts'));
const projectsOf = (file: string) => projects.filter((p) => p.include.some((r) => r.test(file)) && !p.exclude.some((r) => r.test(file))).map((p) => p.name);

// What a test file (or a helper it imports) may not do in `unit`, and how that shows in its text.
const FORBIDDEN: Array<[RegExp, string]> = [
  [/(support|\.)\/(cli|cli-process|cli-contract|fault-cli|namespace-run)\.js'|bin\/fleetplay\.js/, 'runs the fleetplay CLI as a process'],
  [/(support|\.)\/(lab|lab-fixture|fault-lab|windows-hosts|windows-fault-hosts|file-server|mini-wsman-server)\.js'/, 'starts lab hosts or a server'],
  [/'node:child_process'/, 'runs other programs'],
  [/\bcreateServer\(/, 'starts a server'],
  [/support\/budget\.js'/, 'spends a fuzzing budget'],
];
/** The file and the test helpers (under test/ or packages/*\/test/) it imports, transitively. */
function withHelpers(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const text = readFileSync(join(ROOT, file), 'utf8');
  for (const m of text.matchAll(/^(?:import|export)\b[^;]*?from '(\.{1,2}\/[^']+)'/gm)) {
    const target = relative(ROOT, resolve(dirname(join(ROOT, file)), m[1]!.replace(/\.js$/, '.ts')));
    if (/^(test|packages\/[^/]+\/test)\//.test(target) && target.endsWith('.ts') && existsSync(join(ROOT, target))) withHelpers(target, seen);
  }
  return [...seen];
}

function problems(file: string): string[] {
  return withHelpers(file).flatMap((f) => {
    const text = readFileSync(join(ROOT, f), 'utf8');
    return FORBIDDEN.filter(([re]) => re.test(text)).map(([, what]) => `${file}${f === file ? '' : ` (through ${f})`} ${what}`);
  });
}

describe('test projects', () => {
  it('puts every test file in exactly one project', () => {
    expect(testFiles.length).toBeGreaterThan(200);
    const wrong = testFiles.map((f) => [f, projectsOf(f)] as const).filter(([, p]) => p.length !== 1);
    expect(wrong).toEqual([]);
  });

  it('unit holds no file that runs the CLI, the lab, other programs, servers or fuzz loops', () => {
    // This file names the forbidden things to look for them.
    const unit = testFiles.filter((f) => projectsOf(f).includes('unit') && f !== 'test/scripts/test-projects.test.ts');
    expect(unit.length).toBeGreaterThan(100);
    expect(unit.flatMap(problems), 'rename it to *.integration.test.ts (or add it to LAB in vitest.config.ts)').toEqual([]);
  });

  it('unit, which shares modules between files, holds no file that replaces a module (those go in ISOLATED)', () => {
    const unit = testFiles.filter((f) => projectsOf(f).includes('unit') && f !== 'test/scripts/test-projects.test.ts');
    expect(unit.filter((f) => /\bvi\.(mock|doMock)\(/.test(readFileSync(join(ROOT, f), 'utf8')))).toEqual([]);
  });

  it('catches a unit file that reaches the CLI through a helper', () => {
    expect(problems('test/support/fault-cli.ts')).toContain('test/support/fault-cli.ts (through test/support/cli.ts) runs other programs');
    expect(problems('test/engine/run/interrupt-cli.integration.test.ts')).toContain('test/engine/run/interrupt-cli.integration.test.ts runs the fleetplay CLI as a process');
  });
});
