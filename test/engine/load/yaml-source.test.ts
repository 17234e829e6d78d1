import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/engine/load/yaml-source.js';
import { InvalidInputError } from '../../../src/engine/contract/diagnostics.js';

describe('parseYaml', () => {
  it('uses YAML 1.1 booleans and octal like Ansible', () => {
    const { value } = parseYaml('a: yes\nb: no\nmode: 0644\nc: on\n', 'f.yml');
    expect(value).toEqual({ a: true, b: false, mode: 0o644, c: true });
  });

  it('maps JSON pointers to line and column', () => {
    const src = parseYaml('- name: x\n  tasks:\n    - debug: msg=hi\n', 'p.yml');
    expect(src.locs['/0/tasks/0/debug']).toEqual({ file: 'p.yml', line: 3, col: 14 });
    expect(src.locs['#/0/tasks/0/debug']).toEqual({ file: 'p.yml', line: 3, col: 7 });
    expect(src.locs['/0/name']).toEqual({ file: 'p.yml', line: 1, col: 9 });
  });

  it("locates a templated string at its first character, so positions inside the template hold", () => {
    const text = ['a: "{{ x }}"', "b: '{{ y }}'", 'c: |', '', '    {{ z }}', '    more', 'd: >-', '  {{ w }}', 'e: plain {{ v }}', 'f: "not templated"', ''].join('\n');
    const { locs } = parseYaml(text, 'f.yml');
    const at = (p: string) => [locs[p]!.line, locs[p]!.col];
    expect([at('/a'), at('/b'), at('/c'), at('/d'), at('/e')]).toEqual([[1, 5], [2, 5], [5, 5], [8, 3], [9, 4]]);
    // Other values keep the position where the YAML node starts, quote included.
    expect(at('/f')).toEqual([10, 4]);
  });

  it('reports syntax errors with a position and no stack', () => {
    try {
      parseYaml('a: [1, 2\nb: 3\n', 'bad.yml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      const d = (e as InvalidInputError).diagnostics[0]!;
      expect(d.loc?.file).toBe('bad.yml');
      expect(d.loc?.line).toBeGreaterThan(0);
      expect(d.message).not.toMatch(/at line/);
    }
  });

  it('rejects duplicate keys', () => {
    expect(() => parseYaml('a: 1\na: 2\n', 'dup.yml')).toThrow(/dup\.yml:2:1/);
  });

  it('resolves aliases and merge keys', () => {
    const { value } = parseYaml('base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n', 'm.yml');
    expect(value).toEqual({ base: { x: 1, y: 2 }, use: { x: 1, y: 3 } });
  });
});

describe('parseYaml booleans', () => {
  it('keeps bare y and n as strings, like PyYAML', () => {
    expect(parseYaml('a: y\nb: n\nc: Yes\nd: OFF\n', 'b.yml').value).toEqual({ a: 'y', b: 'n', c: true, d: false });
  });
});
