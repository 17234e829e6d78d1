import { describe, expect, it } from 'vitest';
import type { VarLayer } from '../../../src/engine/contract/template.js';
import { lookupVar, resolveBecome } from '../../../src/engine/run/connect.js';
import type { Keywords } from '../../../src/engine/run/inherit.js';
import type { RunContext } from '../../../src/engine/run/run-context.js';
import { createTemplater } from '../../../src/engine/template/index.js';

const run = { templater: createTemplater(), opts: {} } as unknown as RunContext;
const loc = { file: 'site.yml', line: 3, col: 5 };
const kw = (k: Partial<Keywords>): Keywords => ({ noLog: false, ignoreUnreachable: false, anyErrorsFatal: false, runOnce: false, environment: [], ...k });
const layer = (vars: Record<string, unknown>, trusted = true): VarLayer => ({ name: 'test', vars, trusted });

describe('resolveBecome', () => {
  it('is off unless the keyword or ansible_become says so', () => {
    expect(resolveBecome(run, kw({}), [layer({})], loc)).toBeUndefined();
    expect(resolveBecome(run, kw({ become: false }), [layer({ ansible_become: true })], loc)).toBeUndefined();
    expect(resolveBecome(run, kw({}), [layer({ ansible_become: 'yes' })], loc)).toEqual({ method: 'sudo', user: 'root' });
  });

  it('renders a templated become keyword with the host variables, over ansible_become', () => {
    const become = { text: '{{ use_sudo }}', loc };
    expect(resolveBecome(run, kw({ become }), [layer({ use_sudo: false, ansible_become: true })], loc)).toBeUndefined();
    expect(resolveBecome(run, kw({ become }), [layer({ use_sudo: 'yes' })], loc)).toEqual({ method: 'sudo', user: 'root' });
  });

  it('takes the keyword user over ansible_become_user, and the (templated) password from vars', () => {
    const layers = [layer({ ansible_become_user: 'svc', vault_pw: 's3cret', ansible_become_pass: '{{ vault_pw }}' })];
    expect(resolveBecome(run, kw({ become: true }), layers, loc)).toEqual({ method: 'sudo', user: 'svc', password: 's3cret' });
    expect(resolveBecome(run, kw({ become: true, becomeUser: 'postgres' }), layers, loc)).toMatchObject({ user: 'postgres' });
  });

  it('templates the become_user keyword', () => {
    const layers = [layer({ app_user: 'svc' })];
    expect(resolveBecome(run, kw({ become: true, becomeUser: '{{ app_user }}' }), layers, loc)).toEqual({ method: 'sudo', user: 'svc' });
    expect(() => resolveBecome(run, kw({ become: true, becomeUser: '{{ nobody }}' }), layers, loc)).toThrow(/nobody/);
  });

  it('refuses become methods other than sudo with the place', () => {
    expect(() => resolveBecome(run, kw({ become: true }), [layer({ ansible_become_method: 'su' })], loc)).toThrow(/site\.yml:3:5: become method 'su' is not supported/);
  });
});

describe('lookupVar', () => {
  it('reads the top layer first and never templates untrusted values', () => {
    const layers = [layer({ a: 'low', b: '{{ a }}' }), layer({ a: '{{ raw }}' }, false)];
    expect(lookupVar(run, 'a', layers, loc)).toBe('{{ raw }}');
    expect(lookupVar(run, 'missing', layers, loc)).toBeUndefined();
  });
});
