// Where a task list is being loaded from, and the loader's signature: shared by task-list.ts (which loads
// lists, and roles inside them) and roles.ts (which loads a role's lists), so neither imports the other —
// roles.ts is handed the loader by its callers.
import type { HandlerNode, PlayItem, RoleScope } from '../contract/playbook.js';
import type { LoadContext } from './context.js';
import type { Source } from './source.js';

export interface ListScope {
  src: Source;
  role?: RoleScope;
  /** Handler lists produce HandlerNodes: `listen` allowed; no blocks, meta or includes. */
  kind: 'tasks' | 'handlers';
  /** Handlers of roles imported statically from this list are appended here. */
  roleHandlers: HandlerNode[];
  /** A play's task lists: roles imported statically are appended here (their defaults and vars are play-wide, as Ansible). */
  importedRoles?: RoleScope[];
  /** Where role names are searched from (the playbook's directory). */
  roleSearchFrom: string;
}

export type TaskListLoader = (value: unknown, pointer: string, scope: ListScope, ctx: LoadContext, prefix: string) => Promise<PlayItem[]>;
