// The loader's public face: playbooks for the CLI, and the pieces the executor needs at run time for
// dynamic includes (include_tasks, include_role) and for `-e @file.yml`.
import path from 'node:path';
import type { Loc } from '../contract/diagnostics.js';
import type { HandlerNode, PlayItem, RoleScope } from '../contract/playbook.js';
import { isFile, LoadContext, type LoadOptions } from './context.js';
import { loadRoleInto } from './roles.js';
import { taskList } from './task-list.js';

export { loadPlaybook, loadPlaybooks } from './playbook.js';
export { loadVarsFile } from './vars-file.js';
export { setRolesPath } from './roles.js';
export { controllerCandidates } from './controller-files.js';
export type { LoadOptions } from './context.js';

export interface IncludeOptions extends LoadOptions {
  /** include_tasks: the including file's directory (IncludeNode.baseDir). include_role: IncludeNode.baseDir. */
  baseDir: string;
  /** Ids of the loaded nodes start with this (e.g. the include's id plus host/loop index). */
  idPrefix: string;
  /** The include statement, for "not found" errors. */
  from: Loc;
}

/**
 * The tasks of an `include_tasks` file, resolved against `baseDir` (then the role's tasks/ dir).
 * Static imports inside are inlined; handlers of roles imported inside are not added to the play.
 * Throws InvalidInputError with every problem.
 */
export async function loadIncludedTasks(file: string, opts: IncludeOptions & { role?: RoleScope }): Promise<PlayItem[]> {
  const ctx = new LoadContext(opts);
  const candidates = [path.resolve(opts.baseDir, file), ...(opts.role ? [path.resolve(opts.role.dir, 'tasks', file)] : [])];
  let abs = candidates[0]!;
  for (const c of candidates) {
    if (await isFile(c)) {
      abs = c;
      break;
    }
  }
  const src = await ctx.source(abs, opts.from, 'tasks file');
  let items: PlayItem[] = [];
  if (src) {
    const searchFrom = opts.role ? roleSearchRoot(opts.role.dir) : opts.baseDir;
    items = await taskList(src.value, '', { src, ...(opts.role ? { role: opts.role } : {}), kind: 'tasks', roleHandlers: [], roleSearchFrom: searchFrom }, ctx, `${opts.idPrefix}.t`);
  }
  ctx.throwIfErrors();
  return items;
}

/** An `include_role` at run time: the role's scope, its tasks (main or tasksFrom) and its handlers. */
export async function loadRole(name: string, opts: IncludeOptions & { tasksFrom?: string }): Promise<{ role: RoleScope; items: PlayItem[]; handlers: HandlerNode[] }> {
  const ctx = new LoadContext(opts);
  const loaded = await loadRoleInto(taskList, ctx, { name, searchFrom: opts.baseDir, ...(opts.tasksFrom ? { tasksFrom: opts.tasksFrom } : {}), idPrefix: opts.idPrefix, from: opts.from });
  ctx.throwIfErrors();
  return loaded!;
}

/** The directory a role was found from: <root>/roles/<name> → <root>; <root>/<name> → <root>. */
function roleSearchRoot(roleDir: string): string {
  const parent = path.dirname(roleDir);
  return path.basename(parent) === 'roles' ? path.dirname(parent) : parent;
}
