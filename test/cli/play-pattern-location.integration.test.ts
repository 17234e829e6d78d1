import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fleetplay } from '../support/cli.js';

it('a bad host-pattern regex is reported at the play, exit 3', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fp-pattern-'));
  const pb = join(dir, 'p.yml');
  await writeFile(pb, '- hosts: "~("\n  gather_facts: false\n  tasks: [{debug: {msg: hi}}]\n');
  const r = await fleetplay([pb, '-i', 'h1,']);
  expect(r.code).toBe(3);
  expect(r.stderr).toContain(`${pb}:1:3: invalid regular expression in host pattern '~('`);
});
