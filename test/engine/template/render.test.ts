import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/engine/template/engine.js';
import { OMIT, stripOmitted } from '../../../src/engine/template/index.js';
import { evaluate, loc, render, t } from '../../support/template-helpers.js';

describe('native types', () => {
  it.each([
    ['{{ items }}', { items: [1, 'a'] }, [1, 'a']],
    ['{{ d }}', { d: { k: [true] } }, { k: [true] }],
    ['{{ n }}', { n: 42 }, 42],
    ['{{ n + 0.5 }}', { n: 1 }, 1.5],
    ['{{ flag }}', { flag: false }, false],
    ['{{ nothing }}', { nothing: null }, null],
    ['{{ "text" }}', {}, 'text'],
    ['{{ [1, 2] | length }}', {}, 2],
  ])('%j returns the native value', (text, vars, expected) => {
    expect(render(text, vars)).toEqual(expected);
  });

  it.each([
    ['x={{ items }}', { items: ['a', 2] }, "x=['a', 2]"],
    ['{{ x }}\n', { x: 'y' }, 'y\n'],
    ['  {{ items }}\n', { items: [1] }, '  [1]\n'],
    ['{{ flag }} and {{ other }}', { flag: true, other: null }, 'True and '],
    ['{{ d }}!', { d: { k: 'v', n: 1 } }, "{'k': 'v', 'n': 1}!"],
    ['{% if x %}yes{% endif %}', { x: 1 }, 'yes'],
    ['{{ a }}{{ b }}', { a: 1, b: 2 }, '12'],
    ["{{ s }}", { s: "it's" }, "it's"],
    ["[{{ l }}]", { l: ["it's", 'a\nb'] }, `[["it's", 'a\\nb']]`],
  ])('%j in a larger string is a string', (text, vars, expected) => {
    expect(render(text, vars)).toBe(expected);
  });

  it('renders dicts and lists deeply, leaving keys and plain values alone', () => {
    const value = { '{{ k }}': '{{ v }}', list: ['{{ v }}', 3, { deep: 'x{{ v }}' }], plain: 'no template', n: 1 };
    expect(render(value, { k: 'K', v: 7 })).toEqual({ '{{ k }}': 7, list: [7, 3, { deep: 'x7' }], plain: 'no template', n: 1 });
  });

  it('returns untemplated values as they are (no copy)', () => {
    const value = { a: ['x'], b: { c: 1 } };
    expect(render(value)).toBe(value);
  });
});

describe('omit', () => {
  it('drops dict entries and list items that render to omit', () => {
    const args = { path: '/etc/x', mode: '{{ file_mode | default(omit) }}', owner: '{{ omit }}', list: ['a', '{{ omit }}'] };
    expect(render(args)).toEqual({ path: '/etc/x', list: ['a'] });
    expect(render(args, { file_mode: '0644' })).toEqual({ path: '/etc/x', mode: '0644', list: ['a'] });
  });

  it('stripOmitted removes the marker at every depth', () => {
    expect(stripOmitted({ a: OMIT, b: [OMIT, { c: OMIT, d: 1 }], e: 'x' })).toEqual({ b: [{ d: 1 }], e: 'x' });
  });
});

describe('operators follow Python', () => {
  it.each([
    ['[1, 2] + [3]', [1, 2, 3]],
    ["'a' + 'b'", 'ab'],
    ["'-' * 3", '---'],
    ['[0] * 2', [0, 0]],
    ["'%s-%02d' % ('node', 7)", 'node-07'],
    ["'%(a)s' % {'a': 1}", '1'],
    ['7 // 2', 3],
    ['-7 // 2', -4],
    ['-7 % 3', 2],
    ['7 / 2', 3.5],
    ['2 ** 10', 1024],
    ["'a' ~ 1 ~ true ~ none", 'a1TrueNone'],
    ['[1, [2]] == [1, [2]]', true],
    ["{'a': 1} == {'a': 1}", true],
    ["1 == '1'", false],
    ['1 < 2 < 3', true],
    ['3 > 2 > 2', false],
    ["'b' > 'a'", true],
    ['[1, 2] < [1, 3]', true],
    ["{'a': 1} in [{'a': 1}]", true],
    ["'ell' in 'hello'", true],
    ["'k' in {'k': 0}", true],
    ["'x' not in ['a']", true],
    ["x in ('Debian', 'RedHat')", true],
    ['(1, 2)', [1, 2]],
    ["{'k' ~ 1: 'v'}", { k1: 'v' }],
    ['{key: 1}', { K: 1 }],
    ['True and None', null],
    ["0 or 'fallback'", 'fallback'],
    ["[] or 'empty'", 'empty'],
    ["'a' if [] else 'b'", 'b'],
    ['not {}', true],
    ['- n', -3],
  ])('%s', (expr, expected) => {
    expect(evaluate(expr, { x: 'Debian', key: 'K', n: 3 })).toEqual(expected);
  });

  it.each([
    ["1 + 'a'", "unsupported operand types for +: 'int' and 'str'"],
    ["1 < 'a'", "'<' not supported between 'int' and 'str'"],
    ['1 / 0', 'division by zero'],
    ["1 in 'abc'", "'in <string>' requires a string as left operand"],
  ])('%s fails clearly', (expr, message) => {
    expect(() => evaluate(expr)).toThrow(message);
  });
});

describe('statements', () => {
  it.each([
    ['{% for k in d %}{{ k }}={{ d[k] }};{% endfor %}', 'a=1;b=2;'],
    ['{% for k, v in d.items() %}{{ loop.index }}:{{ k }}={{ v }};{% endfor %}', '1:a=1;2:b=2;'],
    ['{% for c in "ab" %}[{{ c }}]{% endfor %}', '[a][b]'],
    ['{% for x in [] %}x{% else %}empty{% endfor %}', 'empty'],
    ['{% if [] %}yes{% elif d %}elif{% endif %}', 'elif'],
    ['{% set x = 3 %}{{ x * 2 }}', '6'],
    ['{% macro m(a, b=2) %}{{ a }}+{{ b }}{% endmacro %}{{ m(1) }} {{ m(1, b=5) }}', '1+2 1+5'],
    ['{% raw %}{{ not rendered }}{% endraw %}', '{{ not rendered }}'],
    ['a {{- " b " -}} c', 'a b c'],
    ['{# comment #}x', 'x'],
  ])('%s', (text, expected) => {
    expect(render(text, { d: { a: 1, b: 2 } })).toBe(expected);
  });

  it('balances braces: nested dict literals do not end the expression', () => {
    expect(render("{{ {'a': {'b': 1}} }}")).toEqual({ a: { b: 1 } });
    expect(render("{{ x | combine({'n': {'y': 3}}, recursive=true) }}", { x: { n: { x: 1 } } })).toEqual({ n: { x: 1, y: 3 } });
    expect(render("{% set d = {'k': {'v': 1}} %}{{ d.k.v }}")).toBe('1');
    expect(render("a{{ {'k': 1}}}b")).toBe("a{'k': 1}b");
  });

  it('trims the newline after a block tag, as Ansible (trim_blocks)', () => {
    expect(render('{% if true %}\nline\n{% endif %}\nend')).toBe('line\nend');
  });

  it('evaluate accepts a {{ }}-wrapped expression too', () => {
    expect(t.evaluate('{{ n }} + 1', [{ name: 'v', vars: { n: 1 }, trusted: true }], loc)).toBe(2);
  });

  it('compiles each distinct string once and renders it against each scope', () => {
    expect(compile('{{ n * 10 }}', 'string')).toBe(compile('{{ n * 10 }}', 'string'));
    expect(compile('n * 10', 'expr')).not.toBe(compile('{{ n * 10 }}', 'string'));
    for (const n of [1, 2, 3]) expect(render('{{ n * 10 }}', { n })).toBe(n * 10);
  });
});

describe('isolation from nunjucks', () => {
  it("leaves nunjucks' own global runtime and semantics untouched", () => {
    const memberLookup = (nunjucks as unknown as { runtime: { memberLookup: unknown } }).runtime.memberLookup;
    expect(render('{{ [1] + [2] }}')).toEqual([1, 2]);
    expect(nunjucks.renderString('{{ [1] + [2] }}', {})).toBe('12');
    expect((nunjucks as unknown as { runtime: { memberLookup: unknown } }).runtime.memberLookup).toBe(memberLookup);
  });
});
