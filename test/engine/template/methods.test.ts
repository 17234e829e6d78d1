import { describe, expect, it } from 'vitest';
import { errorOf, evaluate, render } from '../../support/template-helpers.js';

describe('Python methods on values', () => {
  it.each<[string, unknown]>([
    // str
    ["'a,b,,c'.split(',')", ['a', 'b', '', 'c']],
    ["'  a  b '.split()", ['a', 'b']],
    ["'a b c d'.split(' ', 2)", ['a', 'b', 'c d']],
    ["'a b  c '.split(none, 1)", ['a', 'b  c ']],
    ["'a.b.c'.rsplit('.', 1)", ['a.b', 'c']],
    ["'  x  '.strip()", 'x'],
    ["'--x--'.strip('-')", 'x'],
    ["'  x  '.lstrip()", 'x  '],
    ["'  x  '.rstrip()", '  x'],
    ["'ubuntu22.04'.startswith('ubuntu')", true],
    ["'rhel8.6'.startswith(('ubuntu', 'rhel'))", true],
    ["'x.tgz'.endswith('.tgz')", true],
    ["'a-a-a'.replace('-', '+')", 'a+a+a'],
    ["'a-a-a'.replace('-', '+', 1)", 'a+a-a'],
    ["'MiX'.lower()", 'mix'],
    ["'MiX'.upper()", 'MIX'],
    ["'hello world'.title()", 'Hello World'],
    ["'hELLO'.capitalize()", 'Hello'],
    ["'abcabc'.find('c')", 2],
    ["'abc'.find('z')", -1],
    ["'abcabc'.rfind('c')", 5],
    ["'abc'.index('b')", 1],
    ["'banana'.count('a')", 3],
    ["','.join(['a', 'b'])", 'a,b'],
    ["'-'.join([1, 2])", '1-2'],
    ["'{} and {}'.format('a', 'b')", 'a and b'],
    ["'{1}{0}'.format('a', 'b')", 'ba'],
    ["'{name}={value}'.format(name='k', value=1)", 'k=1'],
    ["'{:>5}|{:<3}|{:^5}'.format('a', 'b', 'c')", '    a|b  |  c  '],
    ["'{:05.1f}'.format(3.14159)", '003.1'],
    ["'{:,}'.format(1234567)", '1,234,567'],
    ["'{{}} {}'.format(1)", '{} 1'],
    ["'l1\nl2\r\nl3'.splitlines()", ['l1', 'l2', 'l3']],
    ["'123'.isdigit()", true],
    ["'12a'.isdigit()", false],
    ["'abc'.isalpha()", true],
    ["'7'.zfill(3)", '007'],
    ["'ab'[0]", 'a'],
    ["'abc'[-1]", 'c'],
    ["'abcdef'[1:3]", 'bc'],
    ["'abcdef'[::2]", 'ace'],
    ["'MLNX_OFED_LINUX-5.8-3.0.7.0:'[16:-1]", '5.8-3.0.7.0'],
    // list
    ["['a', 'b'].index('b')", 1],
    ['[1, 2, 1].count(1)', 2],
    ["[{'a': 1}].index({'a': 1})", 0],
    ['[1, 2, 3][1:]', [2, 3]],
    ['[1, 2, 3][:-1]', [1, 2]],
    ['[1, 2, 3][::-1]', [3, 2, 1]],
    ['[1, 2, 3][-2]', 2],
    ['l.0', 'first'],
    // dict
    ["{'a': 1}.items() | list", [['a', 1]]],
    ["{'a': 1, 'b': 2}.keys() | list", ['a', 'b']],
    ["{'a': 1}.values() | list", [1]],
    ["{'a': 1}.get('a')", 1],
    ["{'a': 1}.get('z')", null],
    ["{'a': 1}.get('z', 'dflt')", 'dflt'],
    ["{'items': 5}['items']", 5],
    ["{'keys': 5}.keys", 5],
  ])('%s', (expr, expected) => {
    expect(evaluate(expr, { l: ['first'] })).toEqual(expected);
  });

  it('unpacks items() pairs in a for loop', () => {
    expect(render('{% for k, v in d.items() %}{{ k }}={{ v }} {% endfor %}', { d: { a: 1, b: 2 } })).toBe('a=1 b=2 ');
  });

  it.each([
    ["'abc'.index('z')", 'substring not found'],
    ["[1].index(5)", '5 is not in list'],
    ["''.split('')", 'empty separator'],
    ["'{} {}'.format(1)", 'not enough positional arguments'],
    ["'x'.nosuch()", "'str' object has no attribute 'nosuch'"],
    ['[1].append(2)', "'list' object has no attribute 'append'"],
  ])('%s fails: %s', (expr, message) => {
    expect(errorOf(() => evaluate(expr)).message).toContain(message);
  });
});
