import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunOptions } from '../../../src/engine/run/index.js';
import { makeFleet, play, type Fleet } from '../../support/run-harness.js';

let fleet: Fleet;
beforeAll(async () => {
  fleet = await makeFleet(1);
});
afterAll(async () => {
  await fleet.cleanup();
});
const ran = async (opts: Partial<RunOptions>) => (await play(fleet, 'tags.yml', opts)).events.taskNames();

describe('tags and --start-at-task', () => {
  it('runs all but never-tagged tasks by default', async () => {
    expect(await ran({})).toEqual(['web task', 'db task', 'always task', 'untagged task', 'in tagged block']);
  });

  it('selects with --tags (always included), never only when asked', async () => {
    expect(await ran({ tags: ['web'] })).toEqual(['web task', 'always task']);
    expect(await ran({ tags: ['debug'] })).toEqual(['always task', 'never task']);
    expect(await ran({ tags: ['blocktag'] })).toEqual(['always task', 'in tagged block']);
    // Ansible's rule: a tag asked for by name selects even a never-tagged task (here the play's tag).
    expect(await ran({ tags: ['play'] })).toEqual(['web task', 'db task', 'always task', 'never task', 'untagged task', 'in tagged block']);
    expect(await ran({ tags: ['untagged'] })).toEqual(['always task']);
  });

  it('skips with --skip-tags, including always when named', async () => {
    expect(await ran({ skipTags: ['always', 'web'] })).toEqual(['db task', 'untagged task', 'in tagged block']);
  });

  it('starts at the first task matching --start-at-task', async () => {
    expect(await ran({ startAtTask: 'db*' })).toEqual(['db task', 'always task', 'untagged task', 'in tagged block']);
    expect(await ran({ startAtTask: 'in tagged block' })).toEqual(['in tagged block']);
  });
});
