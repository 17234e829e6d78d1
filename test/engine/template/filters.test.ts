import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorOf, evaluate } from '../../support/template-helpers.js';

const users = [
  { name: 'ann', admin: true, uid: 1002, groups: ['wheel'] },
  { name: 'bob', admin: false, uid: 1001 },
];

describe('filters', () => {
  it.each<[string, unknown, Record<string, unknown>?]>([
    // definedness and conversions
    ["x | default('d')", 'd'],
    ["x | d('d')", 'd'],
    ["'' | default('d')", ''],
    ["'' | default('d', true)", 'd'],
    ["0 | default(5, boolean=true)", 5],
    ['v | default(1)', 'set', { v: 'set' }],
    ["'yes' | bool", true],
    ["'On' | bool", true],
    ["'1' | bool", true],
    ['1 | bool', true],
    ["'false' | bool", false],
    ["'no' | bool", false],
    ['none | bool', false],
    ["'anything' | bool", false],
    ["'42' | int", 42],
    ["' 7 ' | int", 7],
    ["'3.9' | int", 3],
    ["'x' | int", 0],
    ["'x' | int(default=-1)", -1],
    ["'0x1f' | int(base=16)", 31],
    ['true | int', 1],
    ["'2.5' | float", 2.5],
    ["'x' | float", 0],
    ['5 | string', '5'],
    ['[1] | string', '[1]'],
    ['true | string', 'True'],
    ["true | ternary('y', 'n')", 'y'],
    ["[] | ternary('y', 'n')", 'n'],
    ["none | ternary('y', 'n', 'none')", 'none'],
    ['mandatory_ok | mandatory', 1, { mandatory_ok: 1 }],
    ['[] | type_debug', 'list'],
    ['{} | type_debug', 'dict'],
    ['1.5 | type_debug', 'float'],
    ['-3 | abs', 3],
    ['2.5 | round', 2],
    ['3.14159 | round(2)', 3.14],
    ['2.1 | round(0, "ceil")', 3],
    // strings
    ["'MiXed' | lower", 'mixed'],
    ["'MiXed' | upper", 'MIXED'],
    ["'hello world' | capitalize", 'Hello world'],
    ["'hello big-world' | title", 'Hello Big-World'],
    ["'  pad  ' | trim", 'pad'],
    ["'xxpadxx' | trim('x')", 'pad'],
    ["'a-b-c' | replace('-', '+')", 'a+b+c'],
    ["'a-b-c' | replace('-', '+', 1)", 'a+b-c'],
    ["'a,b,,c' | split(',')", ['a', 'b', '', 'c']],
    ["' a  b ' | split", ['a', 'b']],
    ["'a b c' | split(' ', 1)", ['a', 'b c']],
    ["'l1\nl2' | indent(2)", 'l1\n  l2'],
    ["'l1\nl2' | indent(2, true)", '  l1\n  l2'],
    ["'%s=%d' | format('a', 3)", 'a=3'],
    ["'a b' | quote", "'a b'"],
    ['"it\'s" | quote', `'it'"'"'s'`],
    ["'safe_word' | quote", 'safe_word'],
    ['none | quote', "''"],
    ["'abc' | b64encode", 'YWJj'],
    ["'YWJj' | b64decode", 'abc'],
    ["'é' | b64encode | b64decode", 'é'],
    ["'/etc/waagent.conf' | basename", 'waagent.conf'],
    ["'/etc/waagent.conf' | dirname", '/etc'],
    ["'/a/b/' | basename", ''],
    ["'/a/b/' | dirname", '/a/b'],
    ["'/' | dirname", '/'],
    ["'file' | dirname", ''],
    ["'/x/a.tar.gz' | splitext", ['/x/a.tar', '.gz']],
    ["['/etc', 'ssh', 'sshd_config'] | path_join", '/etc/ssh/sshd_config'],
    ["['a', '/abs', 'b'] | path_join", '/abs/b'],
    // regex
    ["'abc' | regex_replace('b', 'X')", 'aXc'],
    ["'abcabc' | regex_replace('(b)(c)', '\\2\\1')", 'acbacb'],
    ["'abcabc' | regex_replace('(?P<x>b)', '<\\g<x>>')", 'a<b>ca<b>c'],
    ["'price $5' | regex_replace('\\$', 'USD ')", 'price USD 5'],
    ["'ABC' | regex_replace('b', 'x', ignorecase=true)", 'AxC'],
    ["'aaa' | regex_replace('a', 'b', count=2)", 'bba'],
    ["'a\nb' | regex_replace('^', '# ', multiline=true)", '# a\n# b'],
    ["'OS.EnableRDMA=n' | regex_replace('^(OS\\.EnableRDMA)=.*$', '\\1=y')", 'OS.EnableRDMA=y'],
    ["'ofed 5.8-3.0.7.0' | regex_search('[0-9][0-9.-]+')", '5.8-3.0.7.0'],
    ["'none here' | regex_search('\\d+')", null],
    ["'v5.8-3' | regex_search('(\\d+)\\.(\\d+)', '\\1', '\\2')", ['5', '8']],
    ["'key=val' | regex_search('(?P<k>\\w+)=(?P<v>\\w+)', '\\g<v>')", ['val']],
    ["'Abc' | regex_search('a', ignorecase=true)", 'A'],
    ["'a1b22c333' | regex_findall('\\d+')", ['1', '22', '333']],
    ["'k1=v1 k2=v2' | regex_findall('(\\w+)=(\\w+)')", [['k1', 'v1'], ['k2', 'v2']]],
    ["'k1=v1 k2=v2' | regex_findall('\\w+=(\\w+)')", ['v1', 'v2']],
    ["'a.b*c' | regex_escape", 'a\\.b\\*c'],
    ["'\\Atest\\Z'", '\\Atest\\Z'],
    ["'test' | regex_search('\\Atest\\Z')", 'test'],
    // collections
    ["['a', 1] | join(',')", 'a,1'],
    ["users | join(', ', attribute='name')", 'ann, bob'],
    ["'abc' | length", 3],
    ['users | count', 2],
    ['{"a": 1} | length', 1],
    ['[3, 1] | first', 3],
    ['[3, 1] | last', 1],
    ["'xyz' | first", 'x'],
    ['[3, 1, 2] | min', 1],
    ['[3, 1, 2] | max', 3],
    ["(users | max(attribute='uid')).name", 'ann'],
    ["(users | min(attribute='uid')).name", 'bob'],
    ['[1, 2, 3] | sum', 6],
    ["users | sum(attribute='uid')", 2003],
    ['[1, 2, 1, 3] | unique', [1, 2, 3]],
    ["['a', 'A', 'b'] | unique", ['a', 'b']],
    ["['a', 'A'] | unique(case_sensitive=true)", ['a', 'A']],
    ["['b', 'C', 'a'] | sort", ['a', 'b', 'C']],
    ['[2, 3, 1] | sort(reverse=true)', [3, 2, 1]],
    ["users | sort(attribute='uid') | map(attribute='name') | list", ['bob', 'ann']],
    ['[1, 2] | reverse', [2, 1]],
    ["'abc' | reverse", 'cba'],
    ["'ab' | list", ['a', 'b']],
    ["{'k': 1} | list", ['k']],
    ["users | map(attribute='name') | list", ['ann', 'bob']],
    ["users | map(attribute='groups', default=[]) | list", [['wheel'], []]],
    ["users | map(attribute='groups.0', default='-') | list", ['wheel', '-']],
    ["['a', 'B'] | map('upper') | list", ['A', 'B']],
    ["['x1', 'y2'] | map('regex_replace', '\\d', '') | list", ['x', 'y']],
    ['[0, 1, [], 2] | select | list', [1, 2]],
    ["[1, 2, 3, 4] | select('even') | list", [2, 4]],
    ["[1, 2, 3, 4] | reject('even') | list", [1, 3]],
    ["['ab', 'cd'] | select('match', 'c') | list", ['cd']],
    ["[1, 5] | select('>', 2) | list", [5]],
    ["[1, 5] | select('equalto', 5) | list", [5]],
    ["users | selectattr('admin') | map(attribute='name') | list", ['ann']],
    ["users | rejectattr('admin') | map(attribute='name') | list", ['bob']],
    ["users | selectattr('groups', 'defined') | map(attribute='name') | list", ['ann']],
    ["users | selectattr('name', '==', 'bob') | map(attribute='uid') | first", 1001],
    ["users | selectattr('name', 'equalto', 'bob') | list | length", 1],
    ["{'a': 1, 'n': {'x': 1, 'y': 2}} | combine({'b': 2, 'n': {'y': 3}})", { a: 1, n: { y: 3 }, b: 2 }],
    ["{'n': {'x': 1, 'y': 2}} | combine({'n': {'y': 3}}, recursive=true)", { n: { x: 1, y: 3 } }],
    ["{'a': 1} | combine({'b': 2}, {'a': 3})", { a: 3, b: 2 }],
    ["{'l': [1]} | combine({'l': [2]}, list_merge='append')", { l: [1, 2] }],
    ["[{'a': 1}, {'b': 2}] | combine", { a: 1, b: 2 }],
    ["{'a': 1} | dict2items", [{ key: 'a', value: 1 }]],
    ["{'a': 1} | dict2items(key_name='k', value_name='v')", [{ k: 'a', v: 1 }]],
    ["[{'key': 'a', 'value': 1}] | items2dict", { a: 1 }],
    ["[{'n': 'a', 'v': 1}] | items2dict(key_name='n', value_name='v')", { a: 1 }],
    ["[1, 2] | zip(['a', 'b']) | list", [[1, 'a'], [2, 'b']]],
    ['[1, [2, [3, [4]]]] | flatten', [1, 2, 3, 4]],
    ['[1, [2, [3]]] | flatten(levels=1)', [1, 2, [3]]],
    ['[1, none, [none]] | flatten', [1]],
    ['[1, 2, 3] | difference([2])', [1, 3]],
    ['[1, 2, 2, 3] | intersect([2, 3, 4])', [2, 3]],
    ['[1, 2] | union([2, 3])', [1, 2, 3]],
    ['[1, 2] | symmetric_difference([2, 3])', [1, 3]],
    // data
    ["{'a': [1, 'x'], 'b': none, 'c': true} | to_json", '{"a": [1, "x"], "b": null, "c": true}'],
    ["'é' | to_json", '"\\u00e9"'],
    ["{'b': 1, 'a': 2} | to_json(sort_keys=true)", '{"a": 2, "b": 1}'],
    ["{'b': [1], 'a': {}} | to_nice_json", '{\n    "a": {},\n    "b": [\n        1\n    ]\n}'],
    ["{'b': [1], 'a': 1} | to_nice_json(indent=2)", '{\n  "a": 1,\n  "b": [\n    1\n  ]\n}'],
    ['\'{"a": [1, 2]}\' | from_json', { a: [1, 2] }],
    ["{'b': [1, 'x'], 'a': {'c': 1}} | to_yaml", 'a: {c: 1}\nb: [1, x]\n'],
    ["{'b': [1], 'a': {'c': 1}} | to_nice_yaml", 'a:\n    c: 1\nb:\n  - 1\n'],
    ["'a: yes\nb: [1, 2]\nmode: 0644' | from_yaml", { a: true, b: [1, 2], mode: 0o644 }],
    ["{'k': 'v'} | to_yaml | from_yaml", { k: 'v' }],
  ])('%s', (expr, expected, vars) => {
    expect(evaluate(expr, { users, ...(vars ?? {}) })).toEqual(expected);
  });

  it('hash and checksum match the standard digests', () => {
    const sha256 = createHash('sha256').update('hello').digest('hex');
    expect(evaluate("'hello' | hash('sha256')")).toBe(sha256);
    expect(evaluate("'hello' | hash('md5')")).toBe(createHash('md5').update('hello').digest('hex'));
    expect(evaluate("'hello' | hash")).toBe(createHash('sha1').update('hello').digest('hex'));
    expect(evaluate("'hello' | checksum")).toBe(createHash('sha1').update('hello').digest('hex'));
    expect(errorOf(() => evaluate("'x' | hash('crc')")).message).toContain("unsupported hash type 'crc'");
  });

  it.each([
    ['x | int(defualt=1)', "unexpected keyword argument 'defualt'"],
    ["{'a': 1} | combine(recursiv=true)", "unexpected keyword argument 'recursiv'"],
    ["[1] | map('nope') | list", "no filter named 'nope'"],
    ["[1] | select('nope') | list", "no test named 'nope'"],
    ["'!!' | b64decode", 'not valid base64'],
    ["[{'key': 1}] | items2dict", "each item needs 'key' and 'value' keys"],
    ["'a' | regex_search('(a)', 'x')", "group arguments look like"],
    ["'a' | regex_replace('(?x)a', 'b')", 'verbose regular expressions'],
    ['[1, "a"] | sort', 'cannot compare'],
    ["1 | length", "object of type 'int' has no length"],
    ["'x' | round(1, 'up')", 'round method must be'],
  ])('%s fails: %s', (expr, message) => {
    expect(errorOf(() => evaluate(expr, { x: '1' })).message).toContain(message);
  });
});

describe('globals', () => {
  it('range() follows Python', () => {
    expect(evaluate('range(3) | list')).toEqual([0, 1, 2]);
    expect(evaluate('range(1, 7, 2)')).toEqual([1, 3, 5]);
    expect(evaluate('range(3, 0, -1)')).toEqual([3, 2, 1]);
  });

  it("lookup('env') reads the controller's environment", () => {
    process.env.FLEETPLAY_TEMPLATE_TEST = 'from-env';
    expect(evaluate("lookup('env', 'FLEETPLAY_TEMPLATE_TEST')")).toBe('from-env');
    expect(evaluate("lookup('env', 'FLEETPLAY_SURELY_UNSET_VAR')")).toBe('');
    expect(evaluate("query('env', 'FLEETPLAY_TEMPLATE_TEST')")).toEqual(['from-env']);
  });

  it("lookup('file') reads beside the playbook, without the trailing newline", () => {
    const dir = mkdtempSync(join(tmpdir(), 'fp-lookup-'));
    writeFileSync(join(dir, 'motd.txt'), 'hello fleet\n\n');
    expect(evaluate("lookup('file', 'motd.txt')", { playbook_dir: dir })).toBe('hello fleet');
    expect(evaluate(`lookup('file', '${join(dir, 'motd.txt')}')`)).toBe('hello fleet');
    expect(errorOf(() => evaluate("lookup('file', 'absent.txt')", { playbook_dir: dir })).message).toContain('could not locate file in lookup: absent.txt');
  });

  it("lookup('vars') and unknown plugins", () => {
    expect(evaluate("lookup('vars', 'name_' ~ 'x')", { name_x: 5 })).toBe(5);
    expect(errorOf(() => evaluate("lookup('no_such_plugin', 'id')")).message).toContain('lookup plugin (no_such_plugin) not found');
  });

  it('dict() builds a dict', () => {
    expect(evaluate("dict(a=1, b='x')")).toEqual({ a: 1, b: 'x' });
    expect(evaluate("dict(['a', 'b'] | zip([1, 2]))")).toEqual({ a: 1, b: 2 });
  });
});
