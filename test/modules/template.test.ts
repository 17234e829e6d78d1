import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { template } from '../../src/modules/template.js';
import { makeHostContext, runModule, snapshot, tempDir } from '../support/module-host.js';

const fixtures = fileURLToPath(new URL('../fixtures/modules/template/', import.meta.url));
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await cp(fixtures, join(dir, 'play', 'templates'), { recursive: true });
});
afterEach(async () => cleanup());

const vars = { inventory_hostname: 'node01', settings: { 'OS.EnableRDMA': 'y', 'Logs.Verbose': 'n' } };

describe('template', () => {
  it('renders with the task variables, writes, and is idempotent', async () => {
    const ctx = makeHostContext({ baseDir: join(dir, 'play'), vars });
    const dest = join(dir, 'agent.conf');
    const args = { src: 'agent.conf.j2', dest, mode: '0644' };
    const first = await runModule(template, args, { ctx });
    expect(first.status).toBe('changed');
    const text = await readFile(dest, 'utf8');
    expect(text).toContain('# Managed by fleetplay for node01');
    expect(text).toMatch(/Logs\.Verbose=n\s+OS\.EnableRDMA=y/);
    expect((await runModule(template, args, { ctx })).status).toBe('ok');
  });

  it('shows a text diff in check mode and changes nothing', async () => {
    const dest = join(dir, 'agent.conf');
    await runModule(template, { src: 'agent.conf.j2', dest }, { ctx: makeHostContext({ baseDir: join(dir, 'play'), vars }) });
    const before = await snapshot(dir);
    const other = makeHostContext({ baseDir: join(dir, 'play'), vars: { ...vars, inventory_hostname: 'node02' } });
    const r = await runModule(template, { src: 'agent.conf.j2', dest }, { ctx: other, check: true });
    expect(r.status).toBe('changed');
    const d = r.plan.diff?.[0];
    expect(d).toMatchObject({ kind: 'text', path: dest });
    expect(d && d.kind === 'text' && d.before.includes('node01') && d.after.includes('node02')).toBe(true);
    expect(await snapshot(dir)).toEqual(before);
  });

  it('names a missing template and where it looked', async () => {
    const r = await runModule(template, { src: 'nope.j2', dest: join(dir, 'x') }, { ctx: makeHostContext({ baseDir: join(dir, 'play') }) });
    expect(r.status).toBe('failed');
    expect(r.msg).toContain(join(dir, 'play', 'templates', 'nope.j2'));
  });
});
