// Ansible's YAML inventory format: top-level groups (usually just `all`), each with `hosts`
// (name → vars), `vars` and `children` (name → group). Exported for the inventory loader:
// `validateWithSchema(InventoryFileSchema, value, locs, fallbackLoc)`.
import Type, { type Static } from 'typebox';
import { EXPECTED } from './ajv.js';

const Vars = Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], { [EXPECTED]: 'a mapping of variables' });

export const InventoryGroupSchema = Type.Cyclic(
  {
    FleetplayInventoryGroup: Type.Object(
      {
        hosts: Type.Optional(Type.Union([Type.Record(Type.String(), Vars), Type.Null()], { [EXPECTED]: 'a mapping of host names to their variables' })),
        vars: Type.Optional(Vars),
        children: Type.Optional(
          Type.Union([Type.Record(Type.String(), Type.Union([Type.Ref('FleetplayInventoryGroup'), Type.Null()])), Type.Null()], { [EXPECTED]: 'a mapping of child group names to groups' }),
        ),
      },
      { additionalProperties: false, title: 'inventory group' },
    ),
  },
  'FleetplayInventoryGroup',
);
export type InventoryGroupFile = Static<typeof InventoryGroupSchema>;

export const InventoryFileSchema = Type.Record(Type.String(), Type.Union([InventoryGroupSchema, Type.Null()]), { title: 'inventory', [EXPECTED]: 'a mapping of group names (usually just all) to groups' });
export type InventoryFile = Static<typeof InventoryFileSchema>;
