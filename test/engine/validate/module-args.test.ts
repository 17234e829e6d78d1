import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, type Loc } from '../../../src/engine/contract/diagnostics.js';
import type { Module } from '../../../src/engine/contract/module.js';
import { prepareModuleArgs, validateModuleArgs } from '../../../src/engine/validate/module-args.js';
import { registry } from '../../../src/modules/registry.js';

const loc = (line: number, col: number): Loc => ({ file: 'play.yml', line, col });

// A module with one argument of each kind the coercions care about (pure data; never run).
const probe: Module = {
  meta: { name: 'probe', description: 'test', platforms: ['linux'], checkMode: 'full' },
  schema: Type.Object(
    {
      path: Type.String(),
      force: Type.Optional(Type.Boolean()),
      timeout: Type.Optional(Type.Integer({ minimum: 0 })),
      ratio: Type.Optional(Type.Number()),
      state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
      names: Type.Optional(Type.Array(Type.String())),
      owner: Type.Optional(Type.String()),
      mode: Type.Optional(Type.Union([Type.String(), Type.Integer()])),
    },
    { additionalProperties: false },
  ),
  read: async () => ({}),
  plan: () => ({ changes: [] }),
  apply: async () => ({}),
};
const locs = { '': loc(3, 5), '/path': loc(4, 13), '/force': loc(5, 14), '#/forse': loc(5, 7), '/forse': loc(5, 14), '/state': loc(6, 14), '/timeout': loc(7, 16) };
const check = (args: Record<string, unknown>, templated: boolean) => validateModuleArgs(probe, args, locs, loc(2, 3), { templated }).map(formatDiagnostic);

describe('validateModuleArgs', () => {
  it('accepts valid args and reports every problem with its location', () => {
    expect(check({ path: '/x', force: true, state: 'present' }, true)).toEqual([]);
    expect(check({ forse: true, state: 'presnt', timeout: -1 }, true)).toEqual([
      "play.yml:3:5: missing required argument 'path' for module 'probe'",
      "play.yml:5:7: unknown argument 'forse' for module 'probe' (did you mean 'force'?)",
      "play.yml:7:16: 'timeout' must be >= 0",
      "play.yml:6:14: 'state' must be one of present, absent, got 'presnt' (did you mean 'present'?)",
    ]);
  });

  it('at load time accepts a template wherever another type is expected', () => {
    expect(check({ path: '/x', force: '{{ do_force }}', timeout: '{{ t }}', state: '{{ st }}', names: '{{ list }}' }, false)).toEqual([]);
    expect(check({ path: '/x', force: '{{ do_force }}' }, true)).toEqual(["play.yml:5:14: 'force' must be a boolean, got '{{ do_force }}'"]);
  });

  it('still rejects plain wrong values at load time', () => {
    expect(check({ path: '/x', force: 'maybe' }, false)).toEqual(["play.yml:5:14: 'force' must be a boolean, got 'maybe'"]);
  });

  it("applies Ansible's conversions: yes/no, numeric strings, numbers for strings, one value for a list", () => {
    const { args, diagnostics } = prepareModuleArgs(probe, { path: '/x', force: 'yes', timeout: '30', ratio: '0.5', owner: 1000, names: 'a', mode: '0644' }, locs, loc(2, 3));
    expect(diagnostics).toEqual([]);
    expect(args).toEqual({ path: '/x', force: true, timeout: 30, ratio: 0.5, owner: '1000', names: ['a'], mode: '0644' });
    expect(prepareModuleArgs(probe, { path: '/x', force: 'off', mode: 0o644 }, locs, loc(2, 3)).args).toEqual({ path: '/x', force: false, mode: 0o644 });
  });

  it('works with the real file module (k=v strings stay strings where the schema takes strings)', () => {
    const file = registry.get('ansible.builtin.file')!;
    expect(validateModuleArgs(file, { path: '/srv', state: 'directory', mode: '0755' }, {}, loc(1, 1), { templated: false })).toEqual([]);
    const bad = validateModuleArgs(file, { path: '/srv', state: 'dir' }, {}, loc(1, 1), { templated: true }).map((d) => d.message);
    expect(bad).toEqual(["'state' must be one of file, directory, link, hard, touch, absent, got 'dir'"]);
  });
});
