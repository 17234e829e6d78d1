// --list-tasks and --list-tags against ansible-playbook's: which tasks a tag selection starts and the tags each runs
// under (inherited from play and blocks, `always`, `never`, `tagged`, --skip-tags), in the same format.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-contract.js';
import { ANSIBLE_PLAYBOOK } from './runner.js';

const run = promisify(execFile);
const DIR = new URL('listing/', import.meta.url).pathname;
const SELECTIONS = [[], ['--tags', 'tagged', '--skip-tags', 'y'], ['--tags', 'untagged'], ['--tags', 'z'], ['--skip-tags', 'blk'], ['--tags', 'all,never']];

for (const listing of ['--list-tasks', '--list-tags']) {
  describe(listing, () => {
    for (const args of SELECTIONS) {
      it(`lists what ansible-playbook lists${args.length ? ` with ${args.join(' ')}` : ''}`, async () => {
        if (!existsSync(ANSIBLE_PLAYBOOK)) throw new Error(`${ANSIBLE_PLAYBOOK} is missing (install ansible-core: scripts/prereqs.sh)`);
        const theirs = await run(ANSIBLE_PLAYBOOK, ['-i', 'localhost,', 'tags.yml', listing, ...args], { cwd: DIR, env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
        const ours = await runCli(['tags.yml', '-i', 'localhost,', listing, ...args], { cwd: DIR });
        expect(ours.code, ours.stderr).toBe(0);
        expect(ours.stdout.trim()).toBe(theirs.stdout.trim());
      }, 120_000);
    }
  });
}
