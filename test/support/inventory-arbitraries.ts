// Generated inventories, INI and YAML, mostly well-formed lines with bad ones mixed in (sections of
// unknown types, broken ranges, unterminated quotes, vars without '=', cycles), plus host patterns as
// plays and --limit write them. Ranges stay small: the range bomb has its own test.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { mutateText, mutateTree, nastyValue, textMutation, treeMutation } from './mutations.js';

const GROUPS = ['fleet', 'gpu', 'hpc', 'web', 'all', 'ungrouped', 'db'];
const name = fc.constantFrom('h1', 'h2', 'node01', 'gpu-a', '10.0.0.5', 'web.example.com', '[::1]', 'h1:2222', 'Ünï');

const hostSpec = fc.oneof(
  { weight: 4, arbitrary: name },
  {
    weight: 2,
    arbitrary: fc.constantFrom('node[01:04]', 'rack[a:c]-n[1:2]', 'h[0:6:2]', 'n[5:1]', 'n[1:]', 'n[:3]', 'n[1:3:0]', 'n[x:y]', 'n[01:100]', 'n[1:3', 'n]1', 'h:abc', 'h:99999', 'a:b:c'),
  },
);

const varValue = fc.constantFrom(
  'v', '1', 'yes', '"quoted value"', "'single quoted'", '"unterminated', "'open", '[1, 2]', '[1, 2', "{'a': 1}", "{'a':", '{{ x }}', '{{ x', '', '\\', 'a=b', 'C:\\path', '"a\\"b"',
);
const varKey = fc.constantFrom('ansible_host', 'ansible_port', 'ansible_connection', 'ansible_user', 'base', 'x', '1bad', 'has-dash', 'ünï', '');

const hostVars = fc.array(fc.tuple(varKey, varValue), { maxLength: 3 }).map((kv) => kv.map(([k, v]) => `${k}=${v}`).join(' '));

const iniLine = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(hostSpec, hostVars).map(([h, v]) => `${h} ${v}`.trimEnd()) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...GROUPS, 'bad group', '', 'g]x', 'a:b'), fc.constantFrom('', ':vars', ':children', ':hosts', ':unknown', ':'))
      .map(([g, t]) => `[${g}${t}]`),
  },
  { weight: 2, arbitrary: fc.tuple(varKey, varValue).map(([k, v]) => `${k}=${v}`) },
  { weight: 1, arbitrary: fc.tuple(varKey, varValue).map(([k, v]) => `${k} = ${v}`) },
  { weight: 1, arbitrary: fc.constantFrom('# comment', '; comment', '', '   ', '[', 'just words here', 'k: v', '\t\th1', '=v', '\u0000', '\uFEFF[fleet]') },
  { weight: 1, arbitrary: fc.constantFrom(...GROUPS) },
);

/** INI text: a plausible start (a group with hosts) followed by generated lines. */
export const iniInventory: fc.Arbitrary<string> = fc
  .tuple(fc.array(iniLine, { minLength: 1, maxLength: 12 }), fc.array(textMutation, { maxLength: 1 }))
  .map(([lines, text]) => mutateText(['[fleet]', 'h1 ansible_connection=local', ...lines].join('\n'), text));

const yamlSkeleton = fc.record({
  all: fc.record({
    vars: fc.constant({ ansible_connection: 'local', x: 1 }),
    hosts: fc.constant({ h0: null }),
    children: fc.record({
      fleet: fc.record({
        hosts: fc.dictionary(hostSpec, fc.option(fc.constant({ base: '/tmp/x', ansible_port: 22 }), { nil: null }), { maxKeys: 3 }),
        vars: fc.constant({ role: 'compute' }),
        children: fc.constant({ gpu: { hosts: { 'gpu[1:2]': null } } }),
      }),
    }),
  }),
});

/** YAML inventory text: a valid skeleton with tree and text mutations. */
export const yamlInventory: fc.Arbitrary<string> = fc
  .record({ skeleton: yamlSkeleton, tree: fc.array(treeMutation, { maxLength: 3 }), text: fc.array(textMutation, { maxLength: 1 }) })
  .map((r) => mutateText(stringify(mutateTree(r.skeleton, r.tree)), r.text));

/** Host patterns: every operator, valid and not. */
export const hostPattern: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(...GROUPS, 'h1', 'node0*', 'gpu[1:2]', '*', '~^h\\d$', '~[', '~(', 'web[0]', 'web[0:1]', 'web[-1]', 'fleet[9:1]', '', 'nope'),
      nastyValue.map(String),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .chain((terms) => fc.constantFrom(':', ',', ':&', ':!', '&', '!').map((op) => terms.join(op)));
