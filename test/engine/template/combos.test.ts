// Ansible filters over lists, paths and passwords; password_hash is checked against the value
// Python's crypt.crypt('secret', '$6$mysalt') gives.
import { describe, expect, it } from 'vitest';
import { errorOf, evaluate } from '../../support/template-helpers.js';

describe('combinatoric and container filters', () => {
  it('product, permutations, combinations, zip_longest', () => {
    expect(evaluate("[1, 2] | product(['a', 'b'])")).toEqual([[1, 'a'], [1, 'b'], [2, 'a'], [2, 'b']]);
    expect(evaluate('[1, 2, 3] | combinations(2)')).toEqual([[1, 2], [1, 3], [2, 3]]);
    expect(evaluate('[1, 2, 3] | permutations(2) | length')).toBe(6);
    expect(evaluate("[1, 2] | zip_longest(['a'], fillvalue='-')")).toEqual([[1, 'a'], [2, '-']]);
  });

  it('extract and subelements', () => {
    expect(evaluate("[0, 2] | map('extract', ['a', 'b', 'c']) | list")).toEqual(['a', 'c']);
    expect(evaluate("['h1'] | map('extract', hv, 'ip') | list", { hv: { h1: { ip: '10.0.0.1' } } })).toEqual(['10.0.0.1']);
    const users = [{ n: 'a', k: [1, 2] }, { n: 'b' }];
    expect(evaluate("users | subelements('k', skip_missing=True) | map('last') | list", { users })).toEqual([1, 2]);
    expect(errorOf(() => evaluate("users | subelements('k')", { users })).message).toContain("could not find 'k' key");
  });

  it('comment, expanduser', () => {
    expect(evaluate("'x\ny' | comment")).toBe('#\n# x\n# y\n#');
    expect(evaluate("'abc' | comment('c')")).toBe('//\n// abc\n//');
    expect(evaluate("'/abs' | expanduser")).toBe('/abs');
    expect(evaluate("'~root/x' | expanduser")).toBe('/root/x');
  });

  it('password_hash sha512 with a salt equals crypt(3)', () => {
    expect(evaluate("'secret' | password_hash('sha512', 'mysalt', rounds=5000)")).toBe('$6$mysalt$UX6P1VKOf6dr0s2pg4pLNvIUB6hLXvP6M5f/Yj9hJgMPdAJ4oArvk5YUD9/XWtk1JOpVwt/JTsczMJr8sFVML1');
    expect(evaluate("'secret' | password_hash('sha512', rounds=1000)")).toMatch(/^\$6\$rounds=1000\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    expect(evaluate("'secret' | password_hash('sha512', 'mysalt', rounds=6000)")).toBe('$6$rounds=6000$mysalt$1NjcReFU2TKNJt0FMPqUIcLSXQAGAiXPgbVC7u0RZzht4fHi9xJ4iKWiMk4LEwcIc7CNYZF42JZGvLvADMuEv.');
    expect(errorOf(() => evaluate("'s' | password_hash('md5')")).message).toContain("not 'md5'");
  });
});

describe('list and path tests', () => {
  it('any, all, file, directory, exists, link, abs', () => {
    expect(evaluate('[0, 1] is any')).toBe(true);
    expect(evaluate('[0, 1] is all')).toBe(false);
    expect(evaluate("'/etc' is directory and '/etc' is not file and '/etc/passwd' is file")).toBe(true);
    expect(evaluate("'/nope/x' is exists")).toBe(false);
    expect(evaluate("'rel/x' is abs")).toBe(false);
    expect(errorOf(() => evaluate("'x' is any")).message).toContain("the 'any' test expects a list");
  });
});
