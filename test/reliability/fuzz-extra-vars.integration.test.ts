// Property: any list of -e values (key=value words, JSON/YAML text, @file) parses to variables or is
// rejected with a located diagnostic; and key=value pairs written with quotes come back exactly.
import { mkdir, writeFile } from 'node:fs/promises';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExtraVars } from '../../src/cli/extra-vars.js';
import { loadVarsFile } from '../../src/engine/load/index.js';
import { runs } from '../support/budget.js';
import { expectResolvesOrLocated, Tally } from '../support/located.js';
import { mutateText, NASTY_STRINGS, textMutation } from '../support/mutations.js';
import { workspace, type Workspace } from '../support/workspace.js';

export const EXTRA_VARS_RUNS = { values: runs(250), roundTrip: runs(100) };

let ws: Workspace;
let fileNo = 0;
beforeAll(async () => {
  ws = await workspace('fuzz-ev');
  await mkdir(ws.path('a-directory'));
});
afterAll(() => ws.remove());

const word = fc.oneof(fc.constantFrom(...NASTY_STRINGS), fc.string({ maxLength: 8 }), fc.constantFrom('x', 'ansible_user', 'a_b', '1x', 'a-b', 'ü'));
const kvText = fc
  .array(fc.tuple(word, fc.constantFrom('=', '==', '', ' = '), word, fc.constantFrom('', '"', "'", '\\')), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.map(([k, eq, v, q]) => `${k}${eq}${q}${v}`).join(' '));
const structured = fc
  .tuple(fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.dictionary(word, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 })), fc.boolean(), fc.array(textMutation, { maxLength: 2 }))
  .map(([v, asJson, damage]) => mutateText(asJson ? JSON.stringify(v) : `{${stringify(v, { collectionStyle: 'flow' }).trim().replace(/^\{|\}$/g, '')}}`, damage));
const fileContent = fc.oneof(structured, fc.constantFrom('', '- a\n- b\n', 'just text', 'a: [1\n', 'a: 1\na: 2\n', '\u0000', 'x: &a [*a]\n', 'k: v\n'));

/** One -e value; @file values point at a generated file, a missing one or a directory. */
const extraValue: fc.Arbitrary<{ arg: string; file?: string }> = fc.oneof(
  { weight: 3, arbitrary: kvText.map((arg) => ({ arg })) },
  { weight: 3, arbitrary: structured.map((arg) => ({ arg })) },
  { weight: 2, arbitrary: fileContent.map((file) => ({ arg: '@', file })) },
  { weight: 1, arbitrary: fc.constantFrom('@', '@missing.yml', '@a-directory', '@/dev/null', '', ' ', '{', '[', '[1, 2]', '{}').map((arg) => ({ arg })) },
);

describe('fuzzed -e values', () => {
  it(`${EXTRA_VARS_RUNS.values} lists of -e values parse or fail with a located diagnostic`, async () => {
    const tally = new Tally();
    await fc.assert(
      fc.asyncProperty(fc.array(extraValue, { minLength: 1, maxLength: 3 }), async (values) => {
        const args: string[] = [];
        for (const v of values) {
          if (v.file === undefined) {
            args.push(v.arg.startsWith('@') && !v.arg.startsWith('@/') && v.arg.length > 1 ? `@${ws.path(v.arg.slice(1))}` : v.arg);
            continue;
          }
          const f = ws.path(`vars-${fileNo++}.yml`);
          await writeFile(f, v.file);
          args.push(`@${f}`);
        }
        const shown = JSON.stringify(values);
        // `s`: a fuzzed file name may hold a newline, which the message repeats as given.
        tally.add(await expectResolvesOrLocated(() => parseExtraVars(args, loadVarsFile), shown, { usage: /^-e (#\d+: expected a file name after '@'|@.*: vars file '.*' not found)$/s }));
      }),
      { numRuns: EXTRA_VARS_RUNS.values },
    );
    console.log(tally.summary('-e value lists'));
    expect(tally.accepted).toBeGreaterThan(EXTRA_VARS_RUNS.values / 10);
    expect(tally.rejected).toBeGreaterThan(EXTRA_VARS_RUNS.values / 10);
  }, 120_000);

  it(`${EXTRA_VARS_RUNS.roundTrip} quoted key=value pairs come back exactly`, async () => {
    const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/);
    const value = fc.string({ maxLength: 20 }).filter((s) => !s.includes("'"));
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.tuple(key, value), { minLength: 1, maxLength: 4, selector: ([k]) => k }), async (pairs) => {
        const arg = pairs.map(([k, v]) => `${k}='${v}'`).join(' ');
        const out = await parseExtraVars([arg], loadVarsFile);
        expect(out.vars).toEqual(Object.fromEntries(pairs));
      }),
      { numRuns: EXTRA_VARS_RUNS.roundTrip },
    );
  });
});
