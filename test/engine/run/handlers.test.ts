import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/engine/contract/diagnostics.js';
import { makeFleet, play, type Fleet } from '../../support/run-harness.js';

let fleet: Fleet;
beforeEach(async () => {
  fleet = await makeFleet(3);
});
afterEach(async () => {
  await fleet.cleanup();
});

const log = (h: string) => readFile(join(fleet.hostRoot(h), 'log'), 'utf8').then((t) => t.trim().split('\n'));

describe('handlers', () => {
  it('run once per host per flush, in definition order, only when a notifying task changed', async () => {
    const r = await play(fleet, 'handlers.yml');
    expect(r.summary.exitCode).toBe(0);
    for (const h of ['h1', 'h2', 'h3']) {
      // flush_handlers: first, second (definition order, notified twice → once), both listeners;
      // end of play: first again (notified after the flush); never third (its task did not change)
      expect(await log(h)).toEqual(['first', 'second', 'listener-one', 'listener-two', 'first']);
    }
    const handlerStarts = r.events.events.filter((e) => e.type === 'task_start' && e.task.isHandler).map((e) => (e.type === 'task_start' ? e.task.name : ''));
    expect(handlerStarts).toEqual(['first', 'second', 'listener one', 'listener two', 'first']);
    expect(r.summary.pendingHandlers).toEqual({});
  });

  it('do not run on a failed host, whose notifications are reported pending', async () => {
    const r = await play(fleet, 'handlers-failed.yml');
    expect(r.summary.exitCode).toBe(2);
    expect(await log('h1')).toEqual(['restart']);
    await expect(access(join(fleet.hostRoot('h2'), 'log'))).rejects.toThrow(/ENOENT/);
    expect(r.summary.pendingHandlers).toEqual({ h2: ['restart'] });
    const recap = r.events.events.find((e) => e.type === 'recap');
    expect(recap).toMatchObject({ pendingHandlers: { h2: ['restart'] } });
    expect(r.summary.failures).toEqual([expect.objectContaining({ host: 'h2', task: 'fail on h2', msg: 'boom on h2' })]);
  });

  it('run on failed hosts too with --force-handlers', async () => {
    const r = await play(fleet, 'handlers-failed.yml', { forceHandlers: true });
    expect(r.summary.exitCode).toBe(2);
    expect(await log('h2')).toEqual(['restart']);
    expect(r.summary.pendingHandlers).toEqual({});
  });

  it('a notification of a missing handler stops the run before any host is touched', async () => {
    const err = await play(fleet, 'handlers-unknown.yml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toMatch(/handler 'restart agnet' notified at .*handlers-unknown\.yml:6:7 does not exist \(did you mean 'restart agent'\?\)/);
    await expect(access(join(fleet.hostRoot('h1'), 'a'))).rejects.toThrow(/ENOENT/);
  });
});
