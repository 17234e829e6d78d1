import { describe, expect, it } from 'vitest';
import { errorOf, layer, loc, t } from '../../support/template-helpers.js';

describe('lazy variables (trusted layers)', () => {
  it('templates a variable when it is read, seeing later layers', () => {
    const layers = [layer({ a: '{{ b }}', b: 1 }), layer({ b: 2 }, true, undefined, 'task vars')];
    expect(t.render('{{ a }}', layers, loc)).toBe(2);
  });

  it('templates nested dict and list values of a variable', () => {
    const layers = [layer({ cfg: { port: '{{ base + 1 }}', hosts: ['{{ h }}', 'fixed'] }, base: 8000, h: 'n1' })];
    expect(t.render('{{ cfg }}', layers, loc)).toEqual({ port: 8001, hosts: ['n1', 'fixed'] });
    expect(t.render('{{ cfg.hosts[0] }}:{{ cfg.port }}', layers, loc)).toBe('n1:8001');
  });

  it('chains through several variables and keeps native types', () => {
    const layers = [layer({ a: '{{ b }}', b: '{{ c }}', c: '{{ [1, 2] }}' })];
    expect(t.render('{{ a | length }}', layers, loc)).toBe(2);
  });

  it('does not render variables the template does not use', () => {
    // `broken` would fail if it were rendered.
    const layers = [layer({ broken: '{{ missing_var }}', fine: 'ok' })];
    expect(t.render('{{ fine }}', layers, loc)).toBe('ok');
  });

  it('reports a recursive definition with the chain and the variable location', () => {
    const err = errorOf(() => t.render('{{ a }}', [layer({ a: '{{ b }}', b: '{{ a }}' }, true, { '/a': { file: 'vars.yml', line: 2, col: 4 } })], loc));
    expect(err.message).toContain("recursive loop detected in template for variable 'a' (a -> b -> a)");
    expect(err.diagnostics[0]!.loc).toEqual({ file: 'vars.yml', line: 2, col: 4 });
  });

  it('reports self-reference', () => {
    expect(errorOf(() => t.render('{{ a }}', [layer({ a: '{{ a }}' })], loc)).message).toContain("recursive loop detected in template for variable 'a'");
  });

  it('points at the variable definition when its own template fails', () => {
    const locs = { '/a': { file: 'group_vars/all.yml', line: 3, col: 4 }, '/a/k/0': { file: 'group_vars/all.yml', line: 5, col: 9 } };
    const err = errorOf(() => t.render('{{ a }}', [layer({ a: { k: ['{{ nope }}'] } }, true, locs)], loc));
    expect(err.message).toBe("group_vars/all.yml:5:12: undefined variable 'nope' (in the value of variable 'a')");
    expect(err.undefinedVars).toEqual(['nope']);
  });
});

describe('untrusted layers (registered results, facts)', () => {
  it('returns host data verbatim, never templating it again', () => {
    const result = { stdout: 'value is {{ secret }}', stdout_lines: ['{{ x }}'] };
    const layers = [layer({ secret: 'LEAK' }), layer({ result }, false, undefined, 'registered')];
    expect(t.render('{{ result.stdout }}', layers, loc)).toBe('value is {{ secret }}');
    expect(t.render('{{ result.stdout_lines }}', layers, loc)).toEqual(['{{ x }}']);
    expect(t.render('got: {{ result.stdout }}', layers, loc)).toBe('got: value is {{ secret }}');
    expect(t.evaluateCondition("'{{' in result.stdout", layers, loc)).toBe(true);
  });

  it('does not re-template host data reached through a trusted variable', () => {
    const layers = [layer({ out: '{{ result.stdout }}', secret: 'LEAK' }), layer({ result: { stdout: '{{ secret }}' } }, false)];
    expect(t.render('{{ out }}', layers, loc)).toBe('{{ secret }}');
  });

  it('later untrusted layers win over trusted ones', () => {
    const layers = [layer({ x: '{{ 1 + 1 }}' }), layer({ x: '{{ raw }}' }, false)];
    expect(t.render('{{ x }}', layers, loc)).toBe('{{ raw }}');
  });
});

describe('magic variables', () => {
  it('reads hostvars through a Proxy without enumerating it', () => {
    const hostvars = new Proxy({} as Record<string, unknown>, {
      get: (_t, k) => (k === 'n1' ? { ansible_host: '198.18.0.11' } : undefined),
      has: (_t, k) => k === 'n1',
      ownKeys: () => {
        throw new Error('hostvars must not be enumerated');
      },
    });
    const layers = [layer({ hostvars, inventory_hostname: 'n1', groups: { gpu: ['n1', 'n2'] } }, false, undefined, 'magic')];
    expect(t.render("{{ hostvars[inventory_hostname].ansible_host }}", layers, loc)).toBe('198.18.0.11');
    expect(t.evaluateCondition("'n1' in hostvars and hostvars.n1 is defined and hostvars.n9 is not defined", layers, loc)).toBe(true);
    expect(errorOf(() => t.render('{{ hostvars.n9.x }}', layers, loc)).message).toContain("undefined: 'hostvars.n9.x' ('hostvars' has no key 'n9')");
    expect(t.render("{{ groups['gpu'].index(inventory_hostname) }} of {{ groups.gpu | length }}", layers, loc)).toBe('0 of 2');
  });

  it('provides vars[...] for computed names', () => {
    expect(t.render("{{ vars['pkg_' ~ os] }}", [layer({ pkg_debian: 'rdma-core', os: 'debian' })], loc)).toBe('rdma-core');
    expect(t.evaluateCondition("vars['nope'] is not defined", [layer({})], loc)).toBe(true);
  });
});
