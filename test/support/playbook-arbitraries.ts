// Generated playbooks: a valid skeleton (real modules with valid args, keywords with valid values,
// roles, imports and handlers that exist in test/fixtures/reliability/fuzz-base) damaged by tree and
// text mutations. The skeleton is what makes the damage land deep: a misspelled argument of a real
// module, a broken `when`, a wrong type three levels into a block.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { mutateText, mutateTree, textMutation, treeMutation } from './mutations.js';

const CHECKSUM = `sha256:${'ab'.repeat(32)}`;

/** [module, args] pairs that load cleanly on their own. */
const ACTIONS: Array<[string, unknown]> = [
  ['debug', { msg: 'hello {{ inventory_hostname }}' }],
  ['debug', { var: 'x', verbosity: 1 }],
  ['command', 'uname -r'],
  ['command', { argv: ['echo', 'a b'], creates: '/tmp/x' }],
  ['shell', 'echo hi | tr a-z A-Z'],
  ['copy', { dest: '/tmp/fleetplay-fuzz/motd', content: 'hi\n', mode: '0644', backup: true }],
  ['template', { src: 'templates/motd.j2', dest: '/tmp/fleetplay-fuzz/motd' }],
  ['file', { path: '/tmp/fleetplay-fuzz/d', state: 'directory', mode: '0755' }],
  ['ansible.builtin.lineinfile', { path: '/tmp/fleetplay-fuzz/c', regexp: '^a=', line: 'a=1', create: true }],
  ['stat', { path: '/etc/hostname', checksum_algorithm: 'sha256' }],
  ['service', { name: 'waagent', state: 'restarted', enabled: true }],
  ['set_fact', { y: '{{ x | default(1) }}' }],
  ['assert', { that: ['x is defined', 'x | int > 0'], fail_msg: 'bad {{ x }}' }],
  ['fail', { msg: 'stop here' }],
  ['wait_for', { path: '/tmp/x', timeout: 5 }],
  ['waagent_rdma', { state: 'enabled', backup: true }],
  ['mofed_install', { version: '5.8-3.0.7.0', checksum: CHECKSUM, extra_args: ['--without-dkms'] }],
  ['win_ping', {}],
  ['vm_gpu_partition_count', { partition_count: 4 }],
  ['include_tasks', 'tasks/common.yml'],
  ['import_tasks', 'tasks/common.yml'],
  ['include_role', { name: 'web' }],
  ['import_role', { name: 'web' }],
  ['meta', 'flush_handlers'],
];

/** Task keywords with values that are valid for them. */
const TASK_KEYWORDS: Array<[string, unknown]> = [
  ['when', 'x is defined and x | int > 0'],
  ['when', ['ansible_check_mode or true', "inventory_hostname != 'nope'"]],
  ['loop', [1, 2, 3]],
  ['loop', '{{ names }}'],
  ['with_items', ['a', 'b']],
  ['loop_control', { label: '{{ item }}', loop_var: 'it' }],
  ['register', 'r'],
  ['notify', 'restart'],
  ['notify', ['restart', 'reload web']],
  ['tags', ['setup', 'always']],
  ['ignore_errors', true],
  ['changed_when', false],
  ['failed_when', 'r.rc | default(0) != 0'],
  ['until', 'r is success'],
  ['retries', 2],
  ['delay', 0],
  ['become', true],
  ['become_user', 'root'],
  ['no_log', true],
  ['environment', { LANG: 'C' }],
  ['check_mode', false],
  ['delegate_to', 'localhost'],
  ['run_once', true],
  ['vars', { z: '{{ x + 1 }}' }],
  ['name', 'step {{ x }}'],
];

const taskArb: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    name: fc.constantFrom('a step', 'configure {{ inventory_hostname }}', 'step with: colon'),
    action: fc.constantFrom(...ACTIONS),
    keywords: fc.subarray(TASK_KEYWORDS, { maxLength: 3 }),
  })
  .map(({ name, action, keywords }) => {
    const task: Record<string, unknown> = { name, [action[0]]: structuredClone(action[1]) };
    for (const [k, v] of keywords) task[k] = structuredClone(v);
    return task;
  });

const blockArb = fc
  .record({
    block: fc.array(taskArb, { minLength: 1, maxLength: 3 }),
    rescue: fc.array(taskArb, { maxLength: 2 }),
    always: fc.array(taskArb, { maxLength: 1 }),
    when: fc.option(fc.constant('x is defined'), { nil: undefined }),
  })
  .map((b) => {
    const out: Record<string, unknown> = { name: 'a block', block: b.block };
    if (b.rescue.length) out.rescue = b.rescue;
    if (b.always.length) out.always = b.always;
    if (b.when) out.when = b.when;
    return out;
  });

const itemArb = fc.oneof({ weight: 4, arbitrary: taskArb }, { weight: 1, arbitrary: blockArb });

const playArb = fc
  .record({
    name: fc.constantFrom('configure', 'GPU hosts', 'play {{ x }}'),
    hosts: fc.constantFrom('all', 'fleet', 'h1:h2', 'fleet:!h2', "{{ target | default('all') }}", 'localhost'),
    gather_facts: fc.boolean(),
    vars: fc.constantFrom({ x: 1 }, { x: '{{ 2 * 3 }}', names: ['a', 'b'] }, { target: 'all', x: 0 }),
    vars_files: fc.option(fc.constant(['vars/common.yml']), { nil: undefined }),
    roles: fc.option(fc.constantFrom(['web'], [{ role: 'web', vars: { web_greeting: 'hi' } }]), { nil: undefined }),
    pre_tasks: fc.option(fc.array(itemArb, { maxLength: 1 }), { nil: undefined }),
    tasks: fc.array(itemArb, { minLength: 1, maxLength: 5 }),
    handlers: fc.constant([{ name: 'restart', debug: { msg: 'restarting' } }, { name: 'reload', listen: 'reload all', command: 'true' }]),
    extra: fc.subarray<[string, unknown]>([['serial', 2], ['strategy', 'free'], ['become', true], ['max_fail_percentage', 50], ['any_errors_fatal', true], ['tags', ['t']]], { maxLength: 2 }),
  })
  .map(({ extra, ...p }) => {
    const play: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(p)) if (v !== undefined) play[k] = v;
    for (const [k, v] of extra) play[k] = v;
    return play;
  });

export const playbookSkeleton: fc.Arbitrary<unknown[]> = fc
  .tuple(fc.array(playArb, { minLength: 1, maxLength: 2 }), fc.boolean())
  .map(([plays, withImport]) => (withImport ? [...plays, { import_playbook: 'other.yml' }] : plays));

/**
 * Playbook text: a skeleton with at least one mutation (tree, text or both), or, rarely, raw junk.
 * Returned as text because the text is what the loader (and a user) sees.
 */
export const malformedPlaybook: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 20,
    arbitrary: fc
      .record({
        skeleton: playbookSkeleton,
        tree: fc.array(treeMutation, { maxLength: 3 }),
        text: fc.array(textMutation, { maxLength: 2 }),
      })
      .filter((r) => r.tree.length + r.text.length > 0)
      .map((r) => mutateText(stringify(mutateTree(r.skeleton, r.tree)), r.text)),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
);
