import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/engine/contract/diagnostics.js';
import type { RunEvent } from '../../../src/engine/contract/events.js';
import { createJsonReporter, reportSchema } from '../../../src/engine/report/index.js';
import { feed, loc, result, stats, task } from '../../support/report-events.js';

const schemaFile = fileURLToPath(new URL('../../../schemas/report.json', import.meta.url));

async function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true });
  ajvFormats.default(ajv);
  return ajv.compile(JSON.parse(await readFile(schemaFile, 'utf8')));
}

async function report(events: RunEvent[]): Promise<Record<string, any>> {
  const path = join(await mkdtemp(join(tmpdir(), 'report-')), 'run.json');
  const r = createJsonReporter(path);
  feed(r, events);
  await r.close();
  return JSON.parse(await readFile(path, 'utf8'));
}

const t1 = task('t1', 'Write config', { module: 'copy', role: 'base' });
const loopTask = task('t2', 'Users');
const secretTask = task('t3', 'Set password');
const run: RunEvent[] = [
  { type: 'playbook_start', path: '/srv/site.yml', checkMode: true, diffMode: true },
  { type: 'play_start', playId: 'p1', name: 'HPC', loc, hosts: ['web01', 'web02'] },
  { type: 'task_start', task: t1, hosts: ['web01', 'web02'] },
  { type: 'host_result', task: t1, host: 'web01', result: result('changed', { checkMode: true, diff: [{ kind: 'text', path: '/etc/a', before: 'a\n', after: 'b\n' }, { kind: 'fields', label: 'mode', fields: [{ key: 'mode', before: '0644', after: '0600' }] }], data: { changed: true, big: 12n, raw: Buffer.from('abc') } }) },
  { type: 'host_result', task: t1, host: 'web02', result: result('failed', { msg: 'denied', ignored: true, warnings: ['careful'], delegatedTo: 'localhost' }) },
  { type: 'task_end', task: t1 },
  { type: 'task_start', task: loopTask, hosts: ['web01'] },
  { type: 'host_result', task: loopTask, host: 'web01', result: result('changed', { items: [{ label: 'alice', ...result('changed') }, { label: 'bob', ...result('ok', { noLog: true, msg: 'bob-secret' }) }] }) },
  { type: 'task_start', task: secretTask, hosts: ['web01'] },
  { type: 'host_result', task: secretTask, host: 'web01', result: result('changed', { noLog: true, msg: 'pw=hunter2', data: { stdout: 'hunter2' }, diff: [{ kind: 'text', path: '/etc/shadow', before: '', after: 'hunter2' }] }) },
  { type: 'warning', message: 'odd', host: 'web02', loc },
  { type: 'play_end', playId: 'p1' },
  { type: 'recap', stats: { web01: stats({ changed: 3 }), web02: stats({ failed: 1, ignored: 1 }) }, pendingHandlers: { web01: ['restart agent'] } },
];

describe('JSON reporter', () => {
  it('writes a report that validates against schemas/report.json', async () => {
    const doc = await report(run);
    const validate = await validator();
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...doc, plays: [{ ...doc.plays[0], tasks: [{ ...doc.plays[0].tasks[0], results: [{ host: 'x', status: 'done' }] }] }] })).toBe(false);
    expect(doc).toMatchObject({ version: 1, playbook: '/srv/site.yml', playbooks: ['/srv/site.yml'], checkMode: true, diffMode: true, interrupted: false });
    expect(Date.parse(doc.endedAt)).toBeGreaterThanOrEqual(Date.parse(doc.startedAt));
  });

  it('records every host result with status, diff, data and items per task', async () => {
    const doc = await report(run);
    const [play] = doc.plays;
    expect(play).toMatchObject({ id: 'p1', name: 'HPC', playbook: '/srv/site.yml', hosts: ['web01', 'web02'] });
    expect(play.tasks.map((t: { name: string }) => t.name)).toEqual(['Write config', 'Users', 'Set password']);
    const [first, second] = play.tasks[0].results;
    expect(first).toMatchObject({ host: 'web01', status: 'changed', changed: true, checkMode: true, durationMs: 12, data: { changed: true, big: '12', raw: '<3 bytes>' } });
    expect(first.diff).toHaveLength(2);
    expect(second).toMatchObject({ host: 'web02', status: 'failed', ignored: true, msg: 'denied', warnings: ['careful'], delegatedTo: 'localhost' });
    expect(play.tasks[0].role).toBe('base');
    expect(play.tasks[1].results[0].items).toEqual([expect.objectContaining({ label: 'alice', status: 'changed' }), { status: 'ok', noLog: true }]);
    expect(doc.stats.web02).toEqual(stats({ failed: 1, ignored: 1 }));
    expect(doc.pendingHandlers).toEqual({ web01: ['restart agent'] });
    expect(doc.warnings).toEqual([{ message: 'odd', host: 'web02', loc }]);
  });

  it('keeps only the status of no_log results', async () => {
    const doc = await report(run);
    const text = JSON.stringify(doc);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('bob-secret');
    expect(doc.plays[0].tasks[2].results).toEqual([{ host: 'web01', status: 'changed', noLog: true }]);
  });

  it('refuses a path in a directory that does not exist, before the run starts', () => {
    expect(() => createJsonReporter('/nonexistent-dir-for-test/run.json')).toThrow(UsageError);
  });

  it('schemas/report.json is generated from the TypeBox source', async () => {
    const expected = `${JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...reportSchema }, null, 2)}\n`;
    expect(await readFile(schemaFile, 'utf8')).toBe(expected);
  });
});
