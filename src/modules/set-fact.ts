// set_fact: sets host variables from the task's (already templated) arguments.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';

const schema = Type.Record(Type.String(), Type.Unknown(), {
  description: "Each key becomes a host variable; 'cacheable' is accepted and ignored (no fact cache).",
});
type Args = Static<typeof schema>;

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const setFact: Module<Args, null, never> = {
  meta: {
    name: 'set_fact',
    description: 'Set host variables for the rest of the run (registered/set_fact precedence).',
    platforms: ['linux', 'windows'],
    checkMode: 'full',
    runsOn: 'controller',
    example: "set_fact:\n  ofed_distro: \"{{ ansible_distribution | lower }}{{ ansible_distribution_version }}\"",
    returns: {
      ansible_facts: 'The variables set.',
    },
  },
  schema,
  read: async () => null,
  plan(args) {
    const vars: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(args)) {
      if (k === 'cacheable') continue;
      if (!VAR_NAME.test(k)) {
        return {
          changes: [],
          failed: `The variable name '${k}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.`,
        };
      }
      // Ansible turns boolean-looking strings into booleans (k=v arguments are always strings).
      vars[k] = typeof v === 'string' && /^(true|false|yes|no)$/i.test(v) ? /^(true|yes)$/i.test(v) : v;
    }
    if (Object.keys(vars).length === 0) return { changes: [], failed: 'No key/value pairs provided, at least one is required for this action to succeed' };
    return { changes: [], setVars: vars, result: { ansible_facts: vars }, reason: `set ${Object.keys(vars).join(', ')}` };
  },
  async apply() {
    return { changed: false };
  },
};
