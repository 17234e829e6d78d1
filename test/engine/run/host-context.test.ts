import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunHostContext, type HostContextInit } from '../../../src/engine/run/host-context.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetplay-ctx-'));
  for (const d of ['pb/templates', 'pb/roles/web/templates', 'pb/roles/web/tasks', 'pb/tasks']) await mkdir(join(dir, d), { recursive: true });
  await writeFile(join(dir, 'pb/roles/web/templates/site.j2'), '');
  await writeFile(join(dir, 'pb/templates/site.j2'), '');
  await writeFile(join(dir, 'pb/templates/only-in-playbook.j2'), '');
  await writeFile(join(dir, 'pb/tasks/local.txt'), '');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ctx = (over: Partial<HostContextInit>) =>
  new RunHostContext({
    host: 'h1',
    conn: undefined,
    moduleName: 'template',
    env: {},
    facts: {},
    checkMode: false,
    signal: new AbortController().signal,
    baseDir: join(dir, 'pb'),
    playbookDir: join(dir, 'pb'),
    layers: [],
    renderTemplateFile: () => '',
    ...over,
  });
const role = () => ({ name: 'web', dir: join(dir, 'pb/roles/web'), defaults: { vars: {}, locs: {} }, vars: { vars: {}, locs: {} } });

describe('RunHostContext.controllerPath', () => {
  it("prefers the role's templates/, then the including file's dir, then the playbook dir", () => {
    const inRole = ctx({ role: role(), baseDir: join(dir, 'pb/roles/web/tasks') });
    expect(inRole.controllerPath('templates', 'site.j2')).toBe(join(dir, 'pb/roles/web/templates/site.j2'));
    expect(inRole.controllerPath('templates', 'only-in-playbook.j2')).toBe(join(dir, 'pb/templates/only-in-playbook.j2'));
    expect(ctx({ baseDir: join(dir, 'pb/tasks') }).controllerPath('files', 'local.txt')).toBe(join(dir, 'pb/tasks/local.txt'));
    expect(ctx({}).controllerPath('templates', 'templates/site.j2')).toBe(join(dir, 'pb/templates/site.j2'));
  });

  it('keeps absolute paths and names the likely place of a missing file', () => {
    expect(ctx({}).controllerPath('files', '/etc/hosts')).toBe('/etc/hosts');
    expect(ctx({}).controllerPath('files', 'nope.txt')).toBe(join(dir, 'pb/nope.txt'));
    expect(ctx({ role: role() }).controllerPath('files', 'nope.txt')).toBe(join(dir, 'pb/roles/web/files/nope.txt'));
  });

  it('refuses the connection to controller-side modules', () => {
    expect(() => ctx({ moduleName: 'debug' }).conn).toThrow(/module 'debug' runs on the controller/);
  });
});
