import { describe, expect, it } from 'vitest';
import { errorOf, layer, loc, t } from '../../support/template-helpers.js';

const facts = { ansible_facts: { os_family: 'Debian', distribution_version: '22.04' } };

function cond(expr: string | boolean, vars: Record<string, unknown> = {}): boolean {
  return t.evaluateCondition(expr, [layer(vars)], loc);
}

describe('when: conditions', () => {
  it.each<[string | boolean, Record<string, unknown>, boolean]>([
    [true, {}, true],
    [false, {}, false],
    ['True', {}, true],
    ['False', {}, false],
    ['false', {}, false],
    ['x == 1 and y is defined', { x: 1, y: 0 }, true],
    ['x == 1 and y is defined', { x: 1 }, false],
    ['not flag', { flag: false }, true],
    ["'a' in list", { list: ['a'] }, true],
    ["'a' not in list", { list: ['a'] }, false],
    ['ansible_facts.os_family == "Debian"', facts, true],
    ["ansible_facts['distribution_version'] is version('20.04', '>=')", facts, true],
    ['{{ x }} == 1', { x: 1 }, true],
    ['{{ flag }}', { flag: true }, true],
    ['  {{ flag }}  ', { flag: false }, false],
    ['x > 2 or x < 0', { x: 3 }, true],
    ["result.rc != 0 and 'denied' in result.stderr", { result: { rc: 1, stderr: 'access denied' } }, true],
    ['(a or b) and not c', { a: 0, b: 1, c: [] }, true],
    ['items | length > 0', { items: [1] }, true],
    ['items | select("match", "^gpu") | list', { items: ['cpu1', 'gpu2'] }, true],
  ])('%j with %j → %s', (expr, vars, expected) => {
    expect(cond(expr, vars)).toBe(expected);
  });

  // Jinja truthiness: a value used as the whole condition.
  it.each<[unknown, boolean]>([
    [[], false],
    [[0], true],
    [{}, false],
    [{ a: 1 }, true],
    ['', false],
    ['false', true],
    ['no', true],
    ['0', true],
    [0, false],
    [0.0, false],
    [2, true],
    [null, false],
    [true, true],
  ])('value %j is %s', (value, expected) => {
    expect(cond('v', { v: value })).toBe(expected);
  });

  it.each<[unknown, boolean]>([
    ['false', false],
    ['no', false],
    ['False', false],
    ['yes', true],
    ['True', true],
    ['1', true],
  ])('string %j | bool is %s', (value, expected) => {
    expect(cond('v | bool', { v: value })).toBe(expected);
  });

  it('reports an undefined variable in a condition with its name', () => {
    const err = errorOf(() => cond('pkg_installed and x'));
    expect(err.message).toBe("play.yml:10:5: undefined variable 'pkg_installed'");
    expect(err.undefinedVars).toEqual(['pkg_installed']);
  });

  it('reports a missing key of a skipped result (check mode) without crashing', () => {
    const skipped = { changed: false, skipped: true, skip_reason: 'check mode' };
    const err = errorOf(() => t.evaluateCondition("'ok' in probe.stdout", [layer({ probe: skipped }, false)], loc));
    expect(err.message).toContain("undefined: 'probe.stdout' ('probe' has no key 'stdout'; it has: changed, skipped, skip_reason)");
    expect(t.referencedVars("'ok' in probe.stdout")).toEqual(['probe']);
  });
});

describe('evaluate', () => {
  it('returns the native value of an expression', () => {
    expect(t.evaluate('result.rc', [layer({ result: { rc: 2 } }, false)], loc)).toBe(2);
    expect(t.evaluate("items | map('upper') | list", [layer({ items: ['a'] })], loc)).toEqual(['A']);
  });

  it('rejects more than one expression', () => {
    // Two expressions side by side read as a call of the first, as in Ansible's own evaluation.
    expect(errorOf(() => t.evaluate('{{ a }} {{ b }}', [layer({ a: 1, b: 2 })], loc)).message).toBe("play.yml:10:6: '(a)' is an int, not a function");
    expect(errorOf(() => t.evaluate('a b', [layer({ a: 1, b: 2 })], loc)).message).toContain('template error');
    expect(errorOf(() => t.evaluate('   ', [], loc)).message).toContain('empty expression');
  });
});

describe('referencedVars and isTemplated', () => {
  it.each<[string, string[]]>([
    ['x == 1 and y.z is defined', ['x', 'y']],
    ["result.stdout is search('ok') and 'a' in groups[grp]", ['result', 'groups', 'grp']],
    ["lookup('env', 'HOME') ~ range(3) | string ~ omit ~ True", []],
    ['{{ a }}-{% for i in items %}{{ i }}{{ loop.index }}{{ b }}{% endfor %}', ['a', 'items', 'b']],
    ["{% set s = 1 %}{{ s + t }}", ['t']],
    ['x | default(y) | combine(z, recursive=r)', ['x', 'y', 'z', 'r']],
    ['{k: v}', ['k', 'v']],
    ['not valid {{', []],
  ])('%s → %j', (text, names) => {
    expect(t.referencedVars(text)).toEqual(names);
  });

  it.each<[string, boolean]>([
    ['plain', false],
    ['{{ x }}', true],
    ['{% if %}', true],
    ['{# c #}', true],
    ['a { b } c', false],
  ])('isTemplated(%j) → %s', (text, expected) => {
    expect(t.isTemplated(text)).toBe(expected);
  });
});
