import { describe, expect, it } from 'vitest';
import { formatMode, modeError, resolveMode } from '../../src/modules/lib/mode.js';
import { compilePyRegex, expandTemplate, fromBytes, toBytes } from '../../src/modules/lib/py-regex.js';

describe('modes', () => {
  it('accepts YAML 1.1 octal ints and octal strings', () => {
    expect(resolveMode(0o644, undefined, false)).toBe(0o644);
    expect(resolveMode('0644', undefined, false)).toBe(0o644);
    expect(resolveMode('644', undefined, false)).toBe(0o644);
    expect(resolveMode('01777', undefined, true)).toBe(0o1777);
    expect(resolveMode(0o1777, undefined, true)).toBe(0o1777);
  });

  it('applies symbolic modes relative to the current bits', () => {
    expect(resolveMode('u=rw,g=r,o=r', 0o777, false)).toBe(0o644);
    expect(resolveMode('u+x', 0o644, false)).toBe(0o744);
    expect(resolveMode('go-w', 0o666, false)).toBe(0o644);
    expect(resolveMode('a+rX', 0o600, true)).toBe(0o755);
    expect(resolveMode('a+rX', 0o600, false)).toBe(0o644);
    expect(resolveMode('a+rX', 0o700, false)).toBe(0o755);
    expect(resolveMode('u+s', 0o755, false)).toBe(0o4755);
  });

  it('rejects nonsense with a clear message', () => {
    expect(modeError('rw-r--r--')).toMatch(/neither an octal mode/);
    expect(modeError('u+q')).toMatch(/cannot parse 'u\+q'/);
    expect(modeError(0o17777)).toMatch(/not a file mode/);
    expect(modeError(755)).toMatch(/decimal number 755 .*'0755'/);
    expect(modeError('0755')).toBeUndefined();
  });

  it('formats like Ansible (%04o)', () => {
    expect([formatMode(0o644), formatMode(0o4755), formatMode(0)]).toEqual(['0644', '4755', '0000']);
  });
});

describe('Python regex translation', () => {
  it('translates named groups, backreferences and \\Z', () => {
    const re = compilePyRegex('^(?P<k>\\w+)=(?P=k)\\Z');
    expect(re.exec('ab=ab')?.groups?.k).toBe('ab');
    expect(re.test('ab=cd')).toBe(false);
  });

  it('keeps character classes intact', () => {
    expect(compilePyRegex('[]P<]').test('<')).toBe(true);
    expect(compilePyRegex('[^]]x').test('ax')).toBe(true);
  });

  it('expands templates like match.expand', () => {
    const m = compilePyRegex('^(a)(b)?(?P<c>c)').exec('ac')!;
    expect(fromBytes(expandTemplate('\\1-\\2-\\g<c>-\\g<1>\\n\\\\', m))).toBe('a--c-a\n\\');
  });

  it('matches on bytes, like Ansible', () => {
    expect(compilePyRegex('^é.$').test(toBytes('éa'))).toBe(true);
    expect(compilePyRegex('^.$').test(toBytes('é'))).toBe(false);
    expect(() => compilePyRegex('(?x) a b')).toThrow(/verbose mode/);
  });
});
