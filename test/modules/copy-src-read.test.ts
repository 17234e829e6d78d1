// copy's controller src is read from disk once while it is unchanged, however many hosts and tasks
// copy it and however often read-ahead works a copy task out beforehand; a changed src (even of the
// same size) is read again and its new content is what the hosts get. readFile is the real one,
// only counted.
import * as fsp from 'node:fs/promises';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeFleet, play, writePlaybook, type Fleet } from '../support/run-harness.js';

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof fsp>();
  return { ...real, readFile: vi.fn(real.readFile) };
});

let fleet: Fleet;
beforeEach(async () => {
  fleet = await makeFleet(3);
  await mkdir(join(fleet.dir, 'files'));
});
afterEach(async () => fleet.cleanup());

const SRC = 'app-src-read.conf';
const readsOfSrc = () => vi.mocked(fsp.readFile).mock.calls.filter(([p]) => String(p).endsWith(SRC)).length;

describe('copy src', () => {
  it('is read once for every host and task, and again only after it changed', async () => {
    await writeFile(join(fleet.dir, 'files', SRC), 'v=1\n');
    const pb = await writePlaybook(
      fleet,
      'site.yml',
      `
- hosts: fleet
  gather_facts: false
  tasks:
    - copy: {src: ${SRC}, dest: "{{ root }}/a.conf"}
    - copy: {src: ${SRC}, dest: "{{ root }}/b.conf"}
    - copy: {src: ${SRC}, dest: "{{ root }}/c.conf"}
`,
    );
    const before = readsOfSrc();
    const first = await play(fleet, pb);
    expect(first.summary.exitCode).toBe(0);
    expect(first.stats.h1).toMatchObject({ changed: 3 });
    expect(readsOfSrc() - before).toBe(1);

    // Same size, new content: the hosts get it, read from disk once more.
    await writeFile(join(fleet.dir, 'files', SRC), 'v=2\n');
    const second = await play(fleet, pb);
    expect(second.summary.exitCode).toBe(0);
    for (const h of ['h1', 'h2', 'h3']) {
      expect(second.stats[h]).toMatchObject({ changed: 3 });
      for (const f of ['a.conf', 'b.conf', 'c.conf']) expect(await readFile(join(fleet.hostRoot(h), f), 'utf8')).toBe('v=2\n');
    }
    expect(readsOfSrc() - before).toBe(2);
  });
});
