// Roles: a directory with tasks/ handlers/ defaults/ vars/ files/ templates/ (main.yml or
// main.yaml in each). A role name is looked up in <dir>/roles/<name>, then <dir>/<name>, then in the
// roles/ directory of up to three parent directories (so a role included from inside another role's
// tasks finds its siblings). A name with a slash is a path relative to <dir>. Directories of
// roles_path (ansible.cfg, ANSIBLE_ROLES_PATH) come right after <dir>/roles, as in Ansible.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { didYouMean, type Loc } from '../contract/diagnostics.js';
import type { HandlerNode, PlayItem, RoleScope, VarBlock } from '../contract/playbook.js';
import { isTemplated } from '../validate/templated.js';
import { isDir, isFile, type LoadContext } from './context.js';
import { emptyVars } from './keywords.js';
import { displayPath } from './source.js';
import type { ListScope, TaskListLoader } from './list-scope.js';
import { readVarsFile } from './vars-file.js';

export interface RoleRequest {
  name: string;
  /** Directory the role name is searched from (the playbook's directory for static roles). */
  searchFrom: string;
  tasksFrom?: string;
  varsFrom?: string;
  defaultsFrom?: string;
  handlersFrom?: string;
  idPrefix: string;
  /** The line that names the role, for "not found" errors. */
  from: Loc;
}

export interface LoadedRole {
  role: RoleScope;
  items: PlayItem[];
  handlers: HandlerNode[];
}

let rolesPath: readonly string[] = [];

/** The configured roles_path: a run-wide setting of the command line, like the vault passwords. */
export function setRolesPath(dirs: readonly string[]): void {
  rolesPath = [...dirs];
}

export function roleCandidates(name: string, searchFrom: string): string[] {
  if (name.includes('/') || path.isAbsolute(name)) return [path.resolve(searchFrom, name)];
  const out = [path.join(searchFrom, 'roles', name), ...rolesPath.map((d) => path.join(d, name)), path.join(searchFrom, name)];
  let dir = searchFrom;
  for (let i = 0; i < 3; i++) {
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
    out.push(path.join(dir, 'roles', name));
  }
  return out;
}

export async function findRoleDir(name: string, searchFrom: string): Promise<string | undefined> {
  for (const c of roleCandidates(name, searchFrom)) if (await isDir(c)) return c;
  return undefined;
}

/** `<role>/<sub>/<base>` trying the bare name, .yml, .yaml and .json as Ansible does. */
async function roleFile(roleDir: string, sub: string, base: string): Promise<string | undefined> {
  const names = /\.(ya?ml|json)$/.test(base) ? [base] : [`${base}.yml`, `${base}.yaml`, `${base}.json`, base];
  for (const n of names) {
    const p = path.join(roleDir, sub, n);
    if (await isFile(p)) return p;
  }
  return undefined;
}

export async function loadRoleInto(taskList: TaskListLoader, ctx: LoadContext, req: RoleRequest): Promise<LoadedRole | undefined> {
  if (isTemplated(req.name)) {
    ctx.error(req.from, `role name '${req.name}' cannot use variables here (roles are read when the playbook loads)`, 'use include_role for a role chosen at run time');
    return undefined;
  }
  const dir = await findRoleDir(req.name, req.searchFrom);
  if (!dir) {
    const hint = didYouMean(req.name, await siblingRoles(req.searchFrom));
    ctx.error(req.from, `role '${req.name}' not found ${searchedText(req.name, req.searchFrom)}`, hint ? `did you mean '${hint}'?` : undefined);
    return undefined;
  }
  const key = `role:${dir}:${req.tasksFrom ?? 'main'}`;
  if (ctx.importStack.includes(key)) {
    ctx.error(req.from, `role '${req.name}' imports itself`);
    return undefined;
  }
  await checkDependencies(ctx, dir);
  const vars = async (sub: string, base: string | undefined): Promise<VarBlock> => {
    const file = await roleFile(dir, sub, base ?? 'main');
    if (!file) {
      if (base) ctx.error(req.from, `${sub}/${base} not found in role '${req.name}'`);
      return emptyVars();
    }
    return (await readVarsFile(ctx, file, req.from, `role ${sub} file`)) ?? emptyVars();
  };
  const role: RoleScope = { name: req.name, dir, defaults: await vars('defaults', req.defaultsFrom), vars: await vars('vars', req.varsFrom) };
  const nestedHandlers: HandlerNode[] = [];
  const list = async (sub: string, base: string | undefined, kind: ListScope['kind'], prefix: string): Promise<PlayItem[]> => {
    const file = await roleFile(dir, sub, base ?? 'main');
    if (!file) {
      if (base) ctx.error(req.from, `${sub}/${base} not found in role '${req.name}'`);
      return [];
    }
    const src = await ctx.source(file, req.from, `role ${sub} file`);
    if (!src) return [];
    const scope: ListScope = { src, role, kind, roleHandlers: nestedHandlers, roleSearchFrom: req.searchFrom };
    return taskList(src.value, '', scope, ctx, prefix);
  };
  ctx.importStack.push(key);
  try {
    const items = await list('tasks', req.tasksFrom, 'tasks', `${req.idPrefix}.t`);
    const handlers = (await list('handlers', req.handlersFrom, 'handlers', `${req.idPrefix}.h`)) as HandlerNode[];
    return { role, items, handlers: [...handlers, ...nestedHandlers] };
  } finally {
    ctx.importStack.pop();
  }
}

/** Role dependencies change what runs; until they are supported, refuse rather than skip them. */
async function checkDependencies(ctx: LoadContext, dir: string): Promise<void> {
  const file = await roleFile(dir, 'meta', 'main');
  if (!file) return;
  const src = await ctx.source(file, undefined, 'role meta file');
  const deps = (src?.value as { dependencies?: unknown } | undefined)?.dependencies;
  if (src && Array.isArray(deps) && deps.length) {
    ctx.error(src.keyLoc('/dependencies'), 'role dependencies (meta/main.yml) are not supported yet', "list the roles in the play's 'roles:' instead");
  }
}

async function siblingRoles(searchFrom: string): Promise<string[]> {
  try {
    return (await readdir(path.join(searchFrom, 'roles'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
}

function searchedText(name: string, searchFrom: string): string {
  if (name.includes('/') || path.isAbsolute(name)) return `at ${displayPath(path.resolve(searchFrom, name))}`;
  return `(looked for roles/${name} and ${name} in ${displayPath(searchFrom)}, then roles/${name} in its parent directories)`;
}
