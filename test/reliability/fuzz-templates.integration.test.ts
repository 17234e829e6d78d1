// Property: rendering any template text, or evaluating any `when:` condition, returns a value or
// throws a TemplateError placed in the playbook (never a JavaScript error), and in bounded time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VarLayer } from '../../src/engine/contract/template.js';
import { createTemplater } from '../../src/engine/template/index.js';
import { runs } from '../support/budget.js';
import { expectResolvesOrLocated, Tally } from '../support/located.js';
import { conditionText, TEMPLATE_VARS, templateText } from '../support/template-arbitraries.js';

export const TEMPLATE_RUNS = { render: runs(400), condition: runs(200) };

const templater = createTemplater();
const layers: VarLayer[] = [
  { name: 'play vars', vars: TEMPLATE_VARS, trusted: true, locs: { '/x': { file: 'vars.yml', line: 1, col: 4 } } },
  // Values that came back from a host: never templated again, whatever they hold.
  { name: 'registered', vars: { r: { stdout: '{{ x }}', rc: 0, changed: true } }, trusted: false },
];
const loc = { file: 'play.yml', line: 7, col: 14 };
const SLOW_MS = 2000;

function timed<T>(what: string, work: () => T): T {
  const t0 = performance.now();
  try {
    return work();
  } finally {
    expect(performance.now() - t0, `slow: ${what}`).toBeLessThan(SLOW_MS);
  }
}

describe('fuzzed templates', () => {
  it(`${TEMPLATE_RUNS.render} template strings render or fail with a located TemplateError`, async () => {
    const tally = new Tally();
    await fc.assert(
      fc.asyncProperty(templateText, async (text) => {
        tally.add(await expectResolvesOrLocated(() => timed(text, () => templater.render({ msg: text, list: [text] }, layers, loc, {})), text));
      }),
      { numRuns: TEMPLATE_RUNS.render },
    );
    console.log(tally.summary('templates'));
    expect(tally.accepted).toBeGreaterThan(TEMPLATE_RUNS.render / 10);
    expect(tally.rejected).toBeGreaterThan(TEMPLATE_RUNS.render / 10);
  }, 120_000);

  it(`${TEMPLATE_RUNS.condition} when: conditions evaluate to a boolean or fail with a located TemplateError`, async () => {
    const tally = new Tally();
    await fc.assert(
      fc.asyncProperty(conditionText, async (cond) => {
        tally.add(
          await expectResolvesOrLocated(() => {
            const v = timed(String(cond), () => templater.evaluateCondition(cond, layers, loc));
            expect(typeof v).toBe('boolean');
          }, String(cond)),
        );
      }),
      { numRuns: TEMPLATE_RUNS.condition },
    );
    console.log(tally.summary('conditions'));
    expect(tally.accepted).toBeGreaterThan(TEMPLATE_RUNS.condition / 10);
    expect(tally.rejected).toBeGreaterThan(TEMPLATE_RUNS.condition / 10);
  }, 120_000);

  it('never templates a value a host returned, even through filters and loops', () => {
    const out = templater.render(['{{ r.stdout }}', '{{ r.stdout | upper }}', '{% for c in [r.stdout] %}{{ c }}{% endfor %}'], layers, loc);
    expect(out).toEqual(['{{ x }}', '{{ X }}', '{{ x }}']);
  });
});
