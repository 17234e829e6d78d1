// Lookup plugins as templates call them (lookup/query/q) with Ansible's return conventions.
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorOf, evaluate } from '../../support/template-helpers.js';

function playDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fp-lookups-'));
  mkdirSync(join(dir, 'files'));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'files', 'a.conf'), 'alpha\n');
  writeFileSync(join(dir, 'files', 'b.conf'), 'beta\n');
  writeFileSync(join(dir, 'files', 'c.txt'), 'gamma\n');
  writeFileSync(join(dir, 'templates', 'greet.j2'), 'hello {{ who }}{{ extra | default("") }}\n');
  return dir;
}

describe('lookup() and query()', () => {
  it('joins strings with commas, keeps one non-string value, and query() always gives a list', () => {
    expect(evaluate("lookup('items', ['a', 'b'])")).toBe('a,b');
    expect(evaluate("lookup('items', [5])")).toBe(5);
    expect(evaluate("lookup('items', [1, 2])")).toEqual([1, 2]);
    expect(evaluate("lookup('items', ['a', 'b'], wantlist=True)")).toEqual(['a', 'b']);
    expect(evaluate("query('items', 'a')")).toEqual(['a']);
    expect(evaluate("q('list', [1, [2, 3]])")).toEqual([[1, [2, 3]]]);
  });

  it('errors=ignore and errors=warn turn a failure into None (lookup) or [] (query)', () => {
    expect(evaluate("lookup('file', 'absent', errors='ignore')", { playbook_dir: playDir() })).toBeNull();
    expect(evaluate("query('file', 'absent', errors='ignore')", { playbook_dir: playDir() })).toEqual([]);
    expect(errorOf(() => evaluate("lookup('file', 'absent', errors='loud')")).message).toContain('errors= must be strict, warn or ignore');
  });

  it('an undefined variable in the terms is still an error with errors=ignore', () => {
    expect(errorOf(() => evaluate("lookup('items', nope, errors='ignore')")).message).toContain("undefined variable 'nope'");
  });
});

describe('data lookups', () => {
  it('items flattens one level; indexed_items pairs index and item', () => {
    expect(evaluate("query('items', [1, [2, [3]]], 4)")).toEqual([1, [2, [3]], 4]);
    expect(evaluate("query('items', 1, [2, [3]])")).toEqual([1, 2, [3]]);
    expect(evaluate("query('indexed_items', ['a', 'b'])")).toEqual([[0, 'a'], [1, 'b']]);
  });

  it('dict gives key/value items in order', () => {
    expect(evaluate("query('dict', {'b': 1, 'a': 2})")).toEqual([{ key: 'b', value: 1 }, { key: 'a', value: 2 }]);
    expect(errorOf(() => evaluate("query('dict', [1])")).message).toContain('with_dict expects a dict');
  });

  it('nested is the cartesian product; together zips, filling with None', () => {
    expect(evaluate("query('nested', ['a', 'b'], [1, 2])")).toEqual([['a', 1], ['a', 2], ['b', 1], ['b', 2]]);
    expect(evaluate("query('together', ['a', 'b', 'c'], [1, 2])")).toEqual([['a', 1], ['b', 2], ['c', null]]);
  });

  it('subelements pairs each item with each element of its sub-list', () => {
    const users = [
      { name: 'alice', keys: ['k1', 'k2'] },
      { name: 'bob', keys: ['k3'] },
      { name: 'carol' },
    ];
    expect(errorOf(() => evaluate("query('subelements', users, 'keys')", { users })).message).toContain("could not find 'keys' key in iterated item");
    const got = evaluate("query('subelements', users, 'keys', {'skip_missing': True}) | map('last') | list", { users });
    expect(got).toEqual(['k1', 'k2', 'k3']);
    expect(evaluate("query('subelements', users[:1], 'keys')[0][0].name", { users })).toBe('alice');
  });

  it('sequence in key=value and shortcut forms, with format and count', () => {
    expect(evaluate("query('sequence', 'start=1 end=5 stride=2')")).toEqual(['1', '3', '5']);
    expect(evaluate("query('sequence', '4')")).toEqual(['1', '2', '3', '4']);
    expect(evaluate("query('sequence', '2-8/3:host%02d')")).toEqual(['host02', 'host05', 'host08']);
    expect(evaluate("query('sequence', 'start=10 count=3 format=n%x')")).toEqual(['na', 'nb', 'nc']);
    expect(evaluate("query('sequence', 'start=5 end=1 stride=-2')")).toEqual(['5', '3', '1']);
    expect(evaluate("query('sequence', start=0, end=2)")).toEqual(['0', '1', '2']);
    expect(errorOf(() => evaluate("query('sequence', 'start=5 end=1')")).message).toContain('to count backwards make stride negative');
    expect(errorOf(() => evaluate("query('sequence', 'start=1 end=3 count=3')")).message).toContain("can't specify both count and end");
    expect(errorOf(() => evaluate("query('sequence', 'start=x end=3')")).message).toContain("can't parse start=x as integer");
  });

  it('vars and varnames read the scope; env falls back to its default', () => {
    expect(evaluate("lookup('vars', 'a_' ~ 'x')", { a_x: 5 })).toBe(5);
    expect(evaluate("lookup('vars', 'nope', default='d')")).toBe('d');
    expect(errorOf(() => evaluate("lookup('vars', 'nope')")).message).toContain('No variable found with this name: nope');
    expect(evaluate("query('varnames', '^web_') | sort", { web_a: 1, web_b: 2, db: 3 })).toEqual(['web_a', 'web_b']);
    expect(evaluate("lookup('env', 'FLEETPLAY_SURELY_UNSET', default='fb')")).toBe('fb');
  });
});

describe('controller lookups', () => {
  it('file searches files/ then the playbook directory; rstrip and lstrip', () => {
    const dir = playDir();
    writeFileSync(join(dir, 'top.txt'), '  top  \n');
    expect(evaluate("lookup('file', 'a.conf')", { playbook_dir: dir })).toBe('alpha');
    expect(evaluate("lookup('file', 'top.txt', lstrip=True)", { playbook_dir: dir })).toBe('top');
    expect(evaluate("lookup('file', 'top.txt', rstrip=False)", { playbook_dir: dir })).toBe('  top  \n');
  });

  it('template renders with the scope and template_vars', () => {
    const dir = playDir();
    expect(evaluate("lookup('template', 'greet.j2')", { playbook_dir: dir, who: 'fleet' })).toBe('hello fleet\n');
    expect(evaluate("lookup('template', 'greet.j2', template_vars={'extra': '!'})", { playbook_dir: dir, who: 'x' })).toBe('hello x!\n');
  });

  it('fileglob lists matching files (absolute paths), first_found the first existing one', () => {
    const dir = playDir();
    expect(evaluate("query('fileglob', '*.conf')", { playbook_dir: dir })).toEqual([join(dir, 'files', 'a.conf'), join(dir, 'files', 'b.conf')]);
    expect(evaluate("query('fileglob', '*.none')", { playbook_dir: dir })).toEqual([]);
    expect(evaluate("lookup('first_found', ['x.conf', 'b.conf', 'a.conf'])", { playbook_dir: dir })).toBe(join(dir, 'files', 'b.conf'));
    expect(evaluate("lookup('first_found', {'files': ['x', 'c.txt'], 'paths': ['" + join(dir, 'files') + "']})", { playbook_dir: dir })).toBe(join(dir, 'files', 'c.txt'));
    expect(evaluate("query('first_found', ['x', 'y'], skip=True)", { playbook_dir: dir })).toEqual([]);
    expect(errorOf(() => evaluate("lookup('first_found', ['x', 'y'])", { playbook_dir: dir })).message).toContain('No file was found when using first_found');
  });

  it('pipe and lines run a shell command in the playbook directory', () => {
    const dir = playDir();
    expect(evaluate("lookup('pipe', 'cat files/a.conf; echo two')", { playbook_dir: dir })).toBe('alpha\ntwo');
    expect(evaluate("query('lines', 'printf \"x\\ny\\n\"')", { playbook_dir: dir })).toEqual(['x', 'y']);
    expect(errorOf(() => evaluate("lookup('pipe', 'exit 3')", { playbook_dir: dir })).message).toContain('lookup_plugin.pipe(exit 3) returned 3');
  });

  it('password creates a private file once and then returns what it stored', () => {
    const dir = playDir();
    const first = evaluate("lookup('password', 'creds/db length=12 chars=digits')", { playbook_dir: dir }) as string;
    expect(first).toMatch(/^\d{12}$/);
    expect(readFileSync(join(dir, 'creds', 'db'), 'utf8')).toBe(`${first}\n`);
    expect(statSync(join(dir, 'creds', 'db')).mode & 0o777).toBe(0o600);
    expect(evaluate("lookup('password', 'creds/db length=12 chars=digits')", { playbook_dir: dir })).toBe(first);
    expect(evaluate("lookup('password', '/dev/null length=8')", { playbook_dir: dir })).toMatch(/^[A-Za-z0-9.,:_-]{8}$/);
    expect(errorOf(() => evaluate("lookup('password', '/dev/null size=8')")).message).toContain('Unrecognized parameter(s) given to password lookup: size');
  });
});

describe('subelements pairs without the sub-list, and x.0.name indexes', () => {
  it('drops the sub-list from item.0 as Ansible does, and parses item.0.name', () => {
    const users = [{ name: 'alice', keys: ['k1'] }];
    expect(evaluate("query('subelements', users, 'keys')", { users })).toEqual([[{ name: 'alice' }, 'k1']]);
    expect(users[0]).toEqual({ name: 'alice', keys: ['k1'] });
    expect(evaluate('pairs.0.name ~ pairs.1.0', { pairs: [{ name: 'a' }, ['b']] })).toBe('ab');
  });
});
