// The user-facing contract through the real CLI process, on a sample of the fuzzers' inputs: bad
// playbooks, inventories and -e values exit 3 with every problem at file:line:col and nothing run;
// bad options exit 5; never a stack trace. (The in-process fuzzers cover the volume; each spawn here
// costs a Node start-up.)
import { writeFile } from 'node:fs/promises';
import fc from 'fast-check';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExtraVars } from '../../src/cli/extra-vars.js';
import { InvalidInputError } from '../../src/engine/contract/diagnostics.js';
import { loadInventory } from '../../src/engine/inventory/index.js';
import { loadPlaybooks, loadVarsFile } from '../../src/engine/load/index.js';
import { registry } from '../../src/modules/registry.js';
import { expectBadOptions, expectInvalidInput, runCli, type CliResult } from '../support/cli-contract.js';
import { iniInventory, yamlInventory } from '../support/inventory-arbitraries.js';
import { malformedPlaybook } from '../support/playbook-arbitraries.js';
import { workspace, type Workspace } from '../support/workspace.js';

export const CLI_SAMPLE = { playbooks: 6, inventories: 6, extraVars: 3 };

let ws: Workspace;
const limit = pLimit(2);
beforeAll(async () => {
  ws = await workspace('fuzz-cli', 'fuzz-base');
  await writeFile(ws.path('ok.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n');
  await writeFile(ws.path('ok.ini'), '[fleet]\nh1 ansible_connection=local\n');
});
afterAll(() => ws.remove());

async function rejected(work: () => Promise<unknown>): Promise<boolean> {
  try {
    await work();
    return false;
  } catch (err) {
    if (err instanceof InvalidInputError) return true;
    throw err;
  }
}

/** The first `count` generated inputs that the in-process layer rejects (so the CLI must too). */
async function rejectedSample(arb: fc.Arbitrary<string>, count: number, check: (text: string, i: number) => Promise<boolean>): Promise<string[]> {
  const out: string[] = [];
  for (const [i, text] of fc.sample(arb, count * 6).entries()) {
    if (out.length === count) break;
    if (await check(text, i)) out.push(text);
  }
  expect(out).toHaveLength(count);
  return out;
}

describe('fuzzed input through the CLI', () => {
  it('malformed playbooks, inventories and -e values: exit 3, every line placed, nothing run', async () => {
    const cases: Array<{ what: string; args: string[] }> = [];
    const playbooks = await rejectedSample(malformedPlaybook, CLI_SAMPLE.playbooks, async (text, i) => {
      const file = ws.path(`pb-${i}.yml`);
      await writeFile(file, text);
      return rejected(() => loadPlaybooks([file], { registry }));
    });
    playbooks.forEach((text, i) => cases.push({ what: `playbook:\n${text}`, args: [ws.path(`pb-cli-${i}.yml`), '-i', ws.path('ok.ini')] }));
    await Promise.all(playbooks.map((text, i) => writeFile(ws.path(`pb-cli-${i}.yml`), text)));

    const half = Math.ceil(CLI_SAMPLE.inventories / 2);
    for (const [ext, arb, n] of [['ini', iniInventory, half], ['yml', yamlInventory, CLI_SAMPLE.inventories - half]] as const) {
      const inventories = await rejectedSample(arb, n, async (text, i) => {
        const file = ws.path(`inv-${i}.${ext}`);
        await writeFile(file, text);
        return rejected(() => loadInventory([file]));
      });
      for (const [i, text] of inventories.entries()) {
        const file = ws.path(`inv-cli-${ext}-${i}.${ext}`);
        await writeFile(file, text);
        cases.push({ what: `inventory:\n${text}`, args: [ws.path('ok.yml'), '-i', file] });
      }
    }

    const extra = fc.constantFrom('k="unterminated', '1x=2', '{"a": [1', '[1, 2]', 'a=1 b', '{a: 1, a: 2}');
    const bad = await rejectedSample(extra, CLI_SAMPLE.extraVars, (text) => rejected(() => parseExtraVars([text], loadVarsFile)));
    for (const e of bad) cases.push({ what: `-e ${e}`, args: [ws.path('ok.yml'), '-i', ws.path('ok.ini'), '-e', e] });


    const results = await Promise.all(cases.map((c) => limit(() => runCli(c.args, { cwd: ws.dir }))));
    results.forEach((r: CliResult, i) => expectInvalidInput(r, cases[i]!.what));
    console.log(`fuzzed ${cases.length} inputs through the CLI process: all exit 3 with placed diagnostics`);
  }, 150_000);

  it('bad command-line options: exit 5 with a message', async () => {
    const pb = ws.path('ok.yml');
    const inv = ws.path('ok.ini');
    const cases = [
      [pb, '-i', inv, '--forks', '0'],
      [pb, '-i', inv, '--bogus'],
      [pb, '-i', inv, '--host-key-checking', 'maybe'],
      [pb],
      [pb, '-i', inv, '-l', '~['],
      [pb, '-i', inv, '-l', `@${ws.path('no-such-limit-file')}`],
      // Files named on the command line that do not exist: nothing to point a line at.
      [ws.path('none.yml'), '-i', inv],
      [pb, '-i', ws.path('none.ini')],
      [pb, '-i', inv, '-e', `@${ws.path('none-vars.yml')}`],
      [pb, '-i', inv, '-e', '@'],
    ];
    const results = await Promise.all(cases.map((args) => limit(() => runCli(args, { cwd: ws.dir }))));
    results.forEach((r, i) => expectBadOptions(r, cases[i]!.join(' ')));
  }, 120_000);
});
