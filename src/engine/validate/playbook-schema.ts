// The playbook language as TypeBox schemas: Ansible's keyword names and value shapes. The loader
// validates each play/task/block against these (one level at a time, so every message is about one
// node), and schema-files.ts assembles them into the recursive schemas/playbook.json for editors.
import Type, { type TSchema } from 'typebox';
import { EXPECTED } from './ajv.js';

const expect = (text: string) => ({ [EXPECTED]: text });
const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const VarName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', ...expect('a variable name (letters, digits and _, not starting with a digit)') });
const Mapping = Type.Record(Type.String(), Type.Unknown());

export const ConditionSchema = Type.Union([Type.String(), Type.Boolean(), Type.Array(Type.Union([Type.String(), Type.Boolean()]))], {
  ...expect('a condition (a string or a boolean) or a list of conditions'),
});
const StringOrList = (what: string) => Type.Union([Type.String(), Type.Array(Type.String())], expect(`a ${what} or a list of ${what}s`));
const TagsSchema = Type.Union([Type.String(), Type.Number(), Type.Array(Type.Union([Type.String(), Type.Number()]))], {
  ...expect('a tag, a comma-separated string of tags or a list of tags'),
});

/** Keywords valid on tasks, blocks and (most of them) plays. */
export const commonKeywords = {
  name: Type.Optional(Type.String()),
  when: Type.Optional(ConditionSchema),
  tags: Type.Optional(TagsSchema),
  vars: Type.Optional(Nullable(Mapping)),
  become: Type.Optional(Type.Boolean()),
  become_user: Type.Optional(Type.String()),
  become_method: Type.Optional(Type.Literal('sudo', expect("'sudo' (the only become method fleetplay supports)"))),
  environment: Type.Optional(Nullable(Type.Union([Mapping, Type.Array(Mapping)], expect('a mapping of variable names to values')))),
  ignore_errors: Type.Optional(Type.Union([Type.Boolean(), Type.String()], expect('a boolean or a condition string'))),
  ignore_unreachable: Type.Optional(Type.Boolean()),
  check_mode: Type.Optional(Type.Boolean()),
  diff: Type.Optional(Type.Boolean()),
  no_log: Type.Optional(Type.Boolean()),
  run_once: Type.Optional(Type.Boolean()),
  any_errors_fatal: Type.Optional(Type.Boolean()),
  // Accepted for compatibility and ignored: modules are resolved by name through our registry.
  collections: Type.Optional(Nullable(Type.Array(Type.String()))),
  debugger: Type.Optional(Type.String()),
};

export const LoopControlSchema = Type.Object(
  {
    loop_var: Type.Optional(VarName),
    index_var: Type.Optional(VarName),
    label: Type.Optional(Type.String()),
    pause: Type.Optional(Type.Number({ minimum: 0 })),
    extended: Type.Optional(Type.Boolean()),
    extended_allitems: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, title: 'loop_control' },
);

/** Lookup plugins a task can loop over as `with_<name>` (the template engine implements them). */
export const withLookups = [
  'items', 'list', 'dict', 'indexed_items', 'nested', 'together', 'subelements', 'sequence', 'fileglob', 'first_found',
  'file', 'template', 'lines', 'pipe', 'env', 'vars', 'varnames', 'password',
] as const;
const withKeywords = Object.fromEntries(withLookups.map((n) => [`with_${n}`, Type.Optional(Type.Unknown())]));

/** Keywords valid on tasks (besides the one module key, which is checked against the registry). */
export const taskKeywords = {
  ...commonKeywords,
  delegate_to: Type.Optional(Type.String()),
  args: Type.Optional(Nullable(Mapping)),
  loop: Type.Optional(Type.Union([Type.Array(Type.Unknown()), Type.String()], expect("a list or a '{{ }}' expression giving one"))),
  ...withKeywords,
  loop_control: Type.Optional(LoopControlSchema),
  register: Type.Optional(VarName),
  changed_when: Type.Optional(ConditionSchema),
  failed_when: Type.Optional(ConditionSchema),
  until: Type.Optional(ConditionSchema),
  retries: Type.Optional(Type.Integer({ minimum: 0 })),
  delay: Type.Optional(Type.Number({ minimum: 0 })),
  notify: Type.Optional(StringOrList('handler name')),
  action: Type.Optional(Type.Union([Type.String(), Mapping], expect('a module name with arguments, or a mapping with a module key'))),
  local_action: Type.Optional(Type.Union([Type.String(), Mapping], expect('a module name with arguments, or a mapping with a module key'))),
};

/** Task level: module keys are not listed (any key not a keyword is a module candidate). */
export const TaskKeywordsSchema = Type.Object(taskKeywords, { additionalProperties: true, title: 'task' });

export const HandlerKeywordsSchema = Type.Object({ ...taskKeywords, listen: Type.Optional(StringOrList('topic')) }, { additionalProperties: true, title: 'handler' });

/** A list of tasks as the loader sees it: each item is checked on its own. */
const ShallowList = Nullable(Type.Array(Type.Unknown(), expect('a list of tasks')));

export function blockSchema(list: TSchema) {
  return Type.Object(
    { ...commonKeywords, delegate_to: Type.Optional(Type.String()), notify: Type.Optional(StringOrList('handler name')), block: Nullable(list), rescue: Type.Optional(Nullable(list)), always: Type.Optional(Nullable(list)) },
    { additionalProperties: false, title: 'block' },
  );
}
export const BlockSchema = blockSchema(ShallowList);

/** `import_tasks: file.yml` or `import_tasks: { file: file.yml }` (same for include_tasks). */
export const TasksFileRefSchema = Type.Union([Type.String(), Type.Object({ file: Type.String() }, { additionalProperties: false, title: 'tasks file reference' })], {
  ...expect("a file path or a mapping with 'file'"),
});

/**
 * `apply:` on include_tasks / include_role: block keywords that every included task inherits (the
 * include's own keywords, tags above all, only decide whether the include itself runs).
 */
export const ApplySchema = Type.Object(
  { ...commonKeywords, delegate_to: Type.Optional(Type.String()) },
  { additionalProperties: false, title: 'apply' },
);

/** include_tasks: like import_tasks, plus `apply` (validated apart: its keywords get Ansible's conversions). */
export const IncludeTasksRefSchema = Type.Union(
  [Type.String(), Type.Object({ file: Type.String(), apply: Type.Optional(ApplySchema) }, { additionalProperties: false, title: 'tasks file reference' })],
  { ...expect("a file path or a mapping with 'file'") },
);

export const RoleRefSchema = Type.Object(
  {
    name: Type.String(),
    tasks_from: Type.Optional(Type.String()),
    vars_from: Type.Optional(Type.String()),
    defaults_from: Type.Optional(Type.String()),
    handlers_from: Type.Optional(Type.String()),
    allow_duplicates: Type.Optional(Type.Boolean()),
    public: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, title: 'role reference' },
);

/** include_role's reference: import_role's plus `apply`. */
export const IncludeRoleRefSchema = Type.Object({ ...RoleRefSchema.properties, apply: Type.Optional(ApplySchema) }, { additionalProperties: false, title: 'role reference' });

export const metaActions = ['flush_handlers', 'end_play', 'end_batch', 'end_host', 'clear_host_errors', 'noop', 'refresh_inventory', 'reset_connection'] as const;
export const MetaSchema = Type.Union(
  metaActions.map((a) => Type.Literal(a)),
  expect(`one of ${metaActions.join(', ')}`),
);

/** A `roles:` entry in its mapping form; other keys are role parameters (Ansible's role params). */
export const RoleEntrySchema = Type.Object(
  { ...commonKeywords, delegate_to: Type.Optional(Type.String()), role: Type.Optional(Type.String()) },
  { additionalProperties: true, title: 'role entry' },
);

// Plays take the common keywords except `when` (Ansible has no play-level condition).
const { when: _noPlayWhen, ...playKeywords } = commonKeywords;

export function playSchema(list: TSchema, roleEntry: TSchema, handlerList: TSchema = list) {
  return Type.Object(
    {
      ...playKeywords,
      hosts: Type.Union([Type.String(), Type.Array(Type.String())], expect('a host pattern or a list of patterns')),
      gather_facts: Type.Optional(Type.Boolean()),
      gather_subset: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
      strategy: Type.Optional(Type.Union([Type.Literal('linear'), Type.Literal('free')])),
      serial: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.String(), Type.Array(Type.Union([Type.Integer({ minimum: 1 }), Type.String()]))], expect('a number, a percentage ("30%") or a list of them'))),
      max_fail_percentage: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
      force_handlers: Type.Optional(Type.Boolean()),
      vars_files: Type.Optional(Nullable(Type.Array(Type.Union([Type.String(), Type.Array(Type.String())]), expect('a list of file paths')))),
      roles: Type.Optional(Nullable(Type.Array(Type.Union([Type.String(), roleEntry]), expect('a list of role names or role mappings')))),
      pre_tasks: Type.Optional(list),
      tasks: Type.Optional(list),
      post_tasks: Type.Optional(list),
      handlers: Type.Optional(handlerList),
    },
    { additionalProperties: false, title: 'play' },
  );
}
export const PlaySchema = playSchema(ShallowList, Type.Record(Type.String(), Type.Unknown(), { title: 'role entry' }));

export const ImportPlaybookSchema = Type.Object(
  {
    name: Type.Optional(Type.String()),
    import_playbook: Type.String(),
    vars: Type.Optional(Nullable(Mapping)),
    tags: Type.Optional(TagsSchema),
    when: Type.Optional(ConditionSchema),
  },
  { additionalProperties: false, title: 'import_playbook' },
);

/** Keywords Ansible has that fleetplay refuses, with what to do instead (silently ignoring them would run differently). */
export const unsupportedKeywords: Readonly<Record<string, string>> = {
  connection: 'set ansible_connection for the hosts in the inventory; hosts: localhost already runs locally',
  remote_user: 'set ansible_user in the inventory',
  port: 'set ansible_port in the inventory',
  vars_prompt: 'pass the values with -e',
  module_defaults: 'give the arguments on each task',
  async: 'long-running tasks are not supported asynchronously yet',
  poll: 'long-running tasks are not supported asynchronously yet',
  throttle: 'use serial or -f to limit parallelism',
  timeout: 'use the module\'s own timeout arguments',
  order: 'hosts run in inventory order',
  delegate_facts: 'not supported',
  become_exe: "only 'sudo' on the PATH is supported",
  become_flags: 'configure sudo in sudoers instead',
  fact_path: 'custom facts are not supported',
  gather_timeout: 'not supported',
  include: "use 'import_tasks' (static) or 'include_tasks' (dynamic)",
};
