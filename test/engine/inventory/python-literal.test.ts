import { describe, expect, it } from 'vitest';
import { parseIniValue } from '../../../src/engine/inventory/python-literal.js';

describe('INI values (Python literal_eval, else the text)', () => {
  it.each([
    ['22', 22], ['-3', -3], ['1_000', 1000], ['1.5', 1.5], ['1e3', 1000], ['0x1F', 31], ['0o644', 0o644],
    ['True', true], ['False', false], ['None', null],
    ["'a b'", 'a b'], ['"x\\ny"', 'x\ny'], ["u'x'", 'x'], ["r'a\\d'", 'a\\d'], ["'a' 'b'", 'ab'],
    ["['a', 2, (3,)]", ['a', 2, [3]]], ["{'a': 1, 'b': [True]}", { a: 1, b: [true] }], ['(1)', 1], ['{1, 2, 1}', [1, 2]],
    ['"foo" # note', 'foo'],
  ])('%s is a literal', (text, value) => {
    expect(parseIniValue(text)).toEqual(value);
  });

  it.each(['true', 'yes', '0644', 'web', 'foo # note', '1.2.3', '[1, 2', '', '9007199254740993', "{'a': }", '1j'])('%s stays text', (text) => {
    expect(parseIniValue(text)).toBe(text);
  });
});
