import { describe, expect, it } from 'vitest';
import { formatDiagnostic, type Loc } from '../../../src/engine/contract/diagnostics.js';
import { createTemplater } from '../../../src/engine/template/index.js';
import { expressionProblems, moduleArgProblems, templateFileArg, textProblems } from '../../../src/engine/validate/templates.js';

const checker = createTemplater();
/** Each pointer sits on its own line of p.yml, so the line tells which value a problem came from. */
const locOf = (pointers: string[]) => (p: string): Loc => ({ file: 'p.yml', line: pointers.indexOf(p) + 1 || 99, col: 1 });
const text = (ds: ReturnType<typeof textProblems>) => ds.map(formatDiagnostic);

describe('which strings are templates, and how each is checked', () => {
  it('checks every templated string inside nested values as text, never the keys', () => {
    const value = { '{{ key | bad }}': 'plain', list: ['ok {{ a }}', { deep: '{{ b | nope }}' }], n: 3, flag: true };
    expect(text(textProblems(checker, value, locOf(['/list/1/deep'])))).toEqual(["p.yml:1:8: no filter named 'nope'"]);
  });

  it('escapes keys in pointers as JSON pointers do', () => {
    expect(text(textProblems(checker, { 'a/b': '{{ x | nope }}' }, locOf(['/a~1b'])))).toEqual(["p.yml:1:8: no filter named 'nope'"]);
  });

  it('checks conditions as bare expressions, one per list entry, and skips booleans', () => {
    expect(text(expressionProblems(checker, 'x | nope', locOf([''])))).toEqual(["p.yml:1:5: no filter named 'nope'"]);
    expect(text(expressionProblems(checker, [true, 'x is defined', 'y ==='], locOf(['', '/0', '/1', '/2'])))).toEqual(['p.yml:4:7: template error: unexpected end of the expression']);
    expect(expressionProblems(checker, false, locOf(['']))).toEqual([]);
  });

  it("checks assert's that and debug's var as expressions unless they are {{ }} text", () => {
    const assert = moduleArgProblems(checker, 'assert', { that: ['x | nope', '{{ x }} == 1', '{{ y | nope }}'], fail_msg: 'x | nope' }, locOf(['/that/0', '/that/1', '/that/2']));
    expect(text(assert)).toEqual(["p.yml:3:8: no filter named 'nope'", "p.yml:1:5: no filter named 'nope'"]);
    expect(text(moduleArgProblems(checker, 'debug', { var: 'result.stdout | nope' }, locOf(['/var'])))).toEqual(["p.yml:1:17: no filter named 'nope'"]);
    // Other modules' plain strings are text, whatever they look like.
    expect(moduleArgProblems(checker, 'command', { cmd: 'x | nope' }, locOf(['/cmd']))).toEqual([]);
  });

  it('names the template file of a template task only when its path is plain', () => {
    expect(templateFileArg('template', { src: 'motd.j2', dest: '/etc/motd' })).toBe('motd.j2');
    expect(templateFileArg('template', { src: '{{ os }}.j2', dest: '/etc/motd' })).toBeUndefined();
    expect(templateFileArg('copy', { src: 'motd.j2', dest: '/etc/motd' })).toBeUndefined();
  });
});
