import { describe, expect, it } from 'vitest';
import { errorOf, layer, loc, t } from '../../support/template-helpers.js';

const result = { changed: false, rc: 0, stdout: 'x', stdout_lines: ['x'] };

describe('undefined variables', () => {
  it('names the variable and where the string referenced it', () => {
    const err = errorOf(() => t.render('hello {{ pakages }}', [layer({ packages: [] })], loc));
    expect(err.message).toBe("play.yml:10:14: undefined variable 'pakages' (did you mean 'packages'?)");
    expect(err.undefinedVars).toEqual(['pakages']);
    expect(err.diagnostics[0]!.hint).toBe("did you mean 'packages'?");
  });

  it('points at the exact argument through the LocMap', () => {
    const locs = { '/args/line': { file: 'play.yml', line: 12, col: 15 }, '/args': { file: 'play.yml', line: 11, col: 7 } };
    const err = errorOf(() => t.render({ args: { path: '/x', line: 'v={{ nope }}' } }, [], loc, locs));
    expect(err.diagnostics[0]!.loc).toEqual({ file: 'play.yml', line: 12, col: 20 });
  });

  it('falls back to the nearest located ancestor', () => {
    const err = errorOf(() => t.render({ args: { list: ['{{ nope }}'] } }, [], loc, { '/args': { file: 'p.yml', line: 3, col: 2 } }));
    expect(err.diagnostics[0]!.loc).toEqual({ file: 'p.yml', line: 3, col: 5 });
  });

  it('explains a missing key and lists what the dict has', () => {
    const err = errorOf(() => t.render('{{ result.stdout_lins }}', [layer({ result }, false)], loc));
    expect(err.message).toContain("undefined: 'result.stdout_lins' ('result' has no key 'stdout_lins'; it has: changed, rc, stdout, stdout_lines)");
    expect(err.diagnostics[0]!.hint).toBe("did you mean 'stdout_lines'?");
    expect(err.undefinedVars).toEqual([]);
  });

  it.each([
    ['x is defined', false],
    ['x is not defined', true],
    ['x is undefined', true],
    ['x.y is defined', false],
    ['x.y.z is not defined', true],
    ['result.nope is defined', false],
    ["x | default('d') == 'd'", true],
    ['x.y | default(1) == 1', true],
    ['result.nope | d(2) == 2', true],
    ["(x | default(none)) is none", true],
    ['x is defined and x > 1', false],
    ['result.rc is defined and result.rc == 0', true],
  ])('%s does not error', (expr, expected) => {
    expect(t.evaluateCondition(expr, [layer({ result }, false)], loc)).toBe(expected);
  });

  it.each([
    ['x == 1', "undefined variable 'x'"],
    ['not x', "undefined variable 'x'"],
    ['x', "undefined variable 'x'"],
    ['x.y == 1', "undefined variable 'x' (in 'x.y')"],
    ["'a' in x", "undefined variable 'x'"],
    ['x | length', "undefined variable 'x'"],
    ['[] | first == 1', "undefined: 'first' (the list is empty)"],
    ['x.split(",")', "undefined variable 'x'"],
    ['l[3]', "undefined: 'l[3]' (index 3 is out of range: 'l' has 1 items)"],
    ['n.foo', "undefined: 'n.foo' ('int' object has no attribute 'foo')"],
    ['nul.foo', "undefined: 'nul.foo' ('nul' is None)"],
    ['x | mandatory', "mandatory variable 'x' is not defined"],
    ["x | mandatory('set x first')", 'set x first'],
  ])('%s fails with %j', (expr, message) => {
    const err = errorOf(() => t.evaluate(expr, [layer({ l: [1], n: 1, nul: null })], loc));
    expect(err.message).toContain(message);
  });

  it('gives no silly suggestions for one-letter names', () => {
    expect(errorOf(() => t.render('{{ b }}', [layer({ a: 1 })], loc)).diagnostics[0]!.hint).toBeUndefined();
  });
});

describe('syntax and usage errors', () => {
  it.each([
    ['abc {{ x }', "template error: expected '}}'"],
    ['{{ x | }}', "template error: expected a name, got '}}'"],
    ['{% if x %}never closed', 'in {% if %}: expected elif, else, or endif, reached the end of the template'],
    ['{% include "other.j2" %}', "'include' is not supported in fleetplay templates"],
    ['{{ x[] }}', 'expected an index or a slice inside [ ]'],
  ])('%j → %s', (text, message) => {
    expect(errorOf(() => t.render(text, [layer({ x: 1 })], loc)).message).toContain(message);
  });

  it('names an unknown filter or test with a suggestion at its column', () => {
    const err = errorOf(() => t.render('{{ items | lenght }}', [layer({ items: [] })], loc));
    expect(err.message).toBe("play.yml:10:16: no filter named 'lenght' (did you mean 'length'?)");
    expect(errorOf(() => t.evaluateCondition('x is defnied', [], loc)).message).toBe("play.yml:10:10: no test named 'defnied' (did you mean 'defined'?)");
  });

  it('reports filter misuse with the filter name', () => {
    expect(errorOf(() => t.render("{{ 'x' | from_json }}", [], loc)).message).toContain("filter 'from_json': the value is not valid JSON");
    expect(errorOf(() => t.render('{{ 1 | dict2items }}', [], loc)).message).toContain("filter 'dict2items': 'dict2items' needs a dict, got int");
    expect(errorOf(() => t.render("{{ [1] | join(',', nope=1) }}", [], loc)).message).toContain("filter 'join'");
    expect(errorOf(() => t.render("{{ 'a' | regex_replace('(', 'b') }}", [], loc)).message).toContain("invalid regular expression '('");
  });

  it('reports calling something that is not a function', () => {
    expect(errorOf(() => t.render('{{ nope(1) }}', [], loc)).message).toContain("no function named 'nope'");
    expect(errorOf(() => t.render('{{ s.nope() }}', [layer({ s: 'x' })], loc)).message).toContain("'str' object has no attribute 'nope'");
    expect(errorOf(() => t.render("{{ 'abc'.index('z') }}", [], loc)).message).toContain('substring not found');
  });

  it('shifts positions in a bare expression past the wrapper it gets', () => {
    expect(errorOf(() => t.evaluate('x ==', [layer({ x: 1 })], loc)).message).toBe('play.yml:10:10: template error: unexpected end of the expression');
    expect(errorOf(() => t.evaluate('{{ nope }} == 1', [], loc)).diagnostics[0]!.loc).toEqual({ file: 'play.yml', line: 10, col: 8 });
  });

  it('names the template line for errors past the first line of a string', () => {
    expect(errorOf(() => t.render('a\nb {{ nope }}', [], loc)).message).toBe("play.yml:10:5: undefined variable 'nope' (template line 2, col 6)");
  });

  it('places operator errors at the operator or operand', () => {
    expect(errorOf(() => t.render("x = {{ 1 + 'a' }}", [], loc)).message).toBe("play.yml:10:12: unsupported operand types for +: 'int' and 'str'");
    expect(errorOf(() => t.render('{% for i in 5 %}{% endfor %}', [], loc)).message).toBe("play.yml:10:17: 'int' object is not iterable");
  });

  it('rejects statements inside a condition', () => {
    expect(errorOf(() => t.evaluateCondition('{% if x %}', [], loc)).message).toContain("'{%' tags are not allowed here");
  });
});

describe('JavaScript internals are out of reach', () => {
  it.each(["''.constructor", 'd.constructor.constructor', 'd.__proto__', 'l.push', 's.length', 'd.hasOwnProperty'])('%s is undefined', (expr) => {
    expect(t.evaluateCondition(`${expr} is not defined`, [layer({ d: {}, l: [], s: 'x' })], loc)).toBe(true);
  });
});
