import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFreeForm, parseKeyValues, splitWords } from '../../../src/engine/load/free-form.js';

describe('parseKeyValues', () => {
  it('reads key=value words with quoted values', () => {
    expect(parseKeyValues(`src=a.txt dest="/tmp/a b" mode='0644' msg="say \\"hi\\""`)).toEqual({
      args: { src: 'a.txt', dest: '/tmp/a b', mode: '0644', msg: 'say "hi"' },
    });
  });

  it('keeps Jinja blocks whole', () => {
    expect(parseKeyValues('msg={{ a | default("x y") }} var=b')).toEqual({ args: { msg: '{{ a | default("x y") }}', var: 'b' } });
  });

  it('rejects words without = and unbalanced quotes', () => {
    expect(parseKeyValues('dest=/x content')).toEqual({ error: "expected key=value, got 'content'" });
    expect(parseKeyValues('msg="open')).toEqual({ error: 'unbalanced quotes or {{ }} in the arguments' });
  });

  it('round-trips any keys and double-quoted values', () => {
    const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
    const value = fc.string({ maxLength: 20 }).filter((v) => !/["\\{}]/.test(v));
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 5 }), (args) => {
        const text = Object.entries(args)
          .map(([k, v]) => `${k}="${v}"`)
          .join(' ');
        expect(parseKeyValues(text)).toEqual({ args: { ...args } });
      }),
    );
  });
});

describe('parseFreeForm', () => {
  it("splits out only the module's own keys", () => {
    expect(parseFreeForm('ls -l creates=/x chdir="/a b" FOO=bar', 'cmd', ['creates', 'chdir'])).toEqual({ cmd: 'ls -l FOO=bar', creates: '/x', chdir: '/a b' });
  });

  it('keeps the command exactly as written otherwise', () => {
    expect(parseFreeForm('  grep -E "a|b"  file  ', 'cmd', ['creates'])).toEqual({ cmd: 'grep -E "a|b"  file' });
  });

  it('takes text it cannot split (an apostrophe in a comment) whole', () => {
    expect(parseFreeForm("echo ok # don't creates=/x", 'cmd', ['creates'])).toEqual({ cmd: "echo ok # don't creates=/x" });
  });

  it('gives no command when only keys are present', () => {
    expect(parseFreeForm('creates=/x', 'cmd', ['creates'])).toEqual({ creates: '/x' });
  });
});

describe('splitWords', () => {
  it('reports positions', () => {
    expect(splitWords('a "b c" {{ d e }}')?.map((w) => [w.text, w.start])).toEqual([
      ['a', 0],
      ['"b c"', 2],
      ['{{ d e }}', 8],
    ]);
  });
});
