// The checked-in schemas/ directory, generated from the TypeBox sources: the playbook language
// (recursive, for editors), the YAML inventory format, the --json report, and one file per
// module's arguments.
import Type, { type TSchema } from 'typebox';
import type { ModuleRegistry } from '../contract/module.js';
import { SavedPlanSchema } from '../plan/schema.js';
import { reportSchema } from '../report/json-schema.js';
import { EXPECTED } from './ajv.js';
import { InventoryFileSchema } from './inventory-schema.js';
import {
  blockSchema,
  HandlerKeywordsSchema,
  ImportPlaybookSchema,
  MetaSchema,
  playSchema,
  RoleEntrySchema,
  RoleRefSchema,
  IncludeRoleRefSchema,
  IncludeTasksRefSchema,
  TaskKeywordsSchema,
  TasksFileRefSchema,
} from './playbook-schema.js';

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const ref = (name: string) => ({ $ref: `#/$defs/${name}` }) as unknown as TSchema;

/** Repository-relative path (`schemas/playbook.json`) → JSON value. */
export function generateSchemaFiles(registry: ModuleRegistry): Record<string, object> {
  const files: Record<string, object> = {
    'schemas/playbook.json': playbookFileSchema(registry),
    'schemas/inventory.json': { $schema: DRAFT, description: 'fleetplay / Ansible YAML inventory', ...InventoryFileSchema },
    'schemas/report.json': { $schema: DRAFT, ...reportSchema },
    'schemas/plan.json': { $schema: DRAFT, ...SavedPlanSchema },
  };
  for (const m of [...registry.all()].sort((a, b) => a.meta.name.localeCompare(b.meta.name))) {
    const own = m.schema as Record<string, unknown>;
    files[`schemas/modules/${m.meta.name}.json`] = {
      $schema: DRAFT,
      title: m.meta.name,
      description: m.meta.description,
      ...own,
    };
  }
  return files;
}

/** Stable text of a schema file (what is checked in). */
export function schemaFileText(value: object): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function playbookFileSchema(registry: ModuleRegistry): object {
  const moduleKeys: Record<string, object> = {};
  for (const name of registry.names()) {
    const m = registry.get(name)!;
    moduleKeys[name] = { description: m.meta.description, anyOf: [{ type: 'object' }, { type: 'string' }, { type: 'null' }] };
  }
  const actions = {
    import_tasks: TasksFileRefSchema,
    include_tasks: IncludeTasksRefSchema,
    import_role: RoleRefSchema,
    include_role: IncludeRoleRefSchema,
    meta: MetaSchema,
  };
  const withActions = (schema: TSchema, title: string) => {
    const s = schema as unknown as { properties: Record<string, unknown> };
    // Closed for editors: any key that is neither a keyword nor a known module is a mistake here.
    return { ...schema, title, properties: { ...s.properties, ...prefixed(actions), ...moduleKeys }, additionalProperties: false };
  };
  const taskList = Type.Union([Type.Array(ref('item')), Type.Null()], { [EXPECTED]: 'a list of tasks' });
  return {
    $schema: DRAFT,
    title: 'fleetplay playbook',
    description: 'A list of plays (Ansible playbook syntax).',
    type: 'array',
    items: { anyOf: [ref('play'), ref('import_playbook')] },
    $defs: {
      play: playSchema(taskList, RoleEntrySchema, Type.Union([Type.Array(ref('handler')), Type.Null()], { [EXPECTED]: 'a list of handlers' })),
      import_playbook: ImportPlaybookSchema,
      item: { if: { type: 'object', required: ['block'] }, then: ref('block'), else: ref('task') },
      block: blockSchema(taskList),
      task: withActions(TaskKeywordsSchema, 'task'),
      handler: withActions(HandlerKeywordsSchema, 'handler'),
    },
  };
}

/** Each action under its own name and its `ansible.builtin.` name. */
function prefixed(actions: Record<string, TSchema>): Record<string, TSchema> {
  const out: Record<string, TSchema> = {};
  for (const [k, v] of Object.entries(actions)) {
    out[k] = v;
    out[`ansible.builtin.${k}`] = v;
  }
  return out;
}
