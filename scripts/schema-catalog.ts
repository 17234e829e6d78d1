// Every schema the engine validates against: the loader's keyword schemas, the YAML inventory and each
// module's arguments. The build compiles them ahead of time (scripts/precompile-validators.ts) and a
// test checks them against the JSON Schema meta-schema.
import * as inventorySchemas from '../src/engine/validate/inventory-schema.js';
import * as playbookSchemas from '../src/engine/validate/playbook-schema.js';
import { registry } from '../src/modules/registry.js';

const isSchema = (v: unknown): v is object => !!v && typeof v === 'object' && ('type' in v || 'anyOf' in v || '$ref' in v || '$defs' in v);

export function schemaCatalog(): [name: string, schema: object][] {
  return [
    ...(Object.entries(playbookSchemas) as [string, unknown][]).filter((e): e is [string, object] => isSchema(e[1])),
    ...(Object.entries(inventorySchemas) as [string, unknown][]).filter((e): e is [string, object] => isSchema(e[1])),
    ...registry.all().map((m) => [`module ${m.meta.name}`, m.schema as object] as [string, object]),
  ];
}
