// Roles: a directory with tasks/ handlers/ defaults/ vars/ files/ templates/ (main.yml or
// main.yaml in each). A role name is looked up in <dir>/roles/<name>, then <dir>/<name>, then in the
// roles/ directory of up to three parent directories (so a role included from inside another role's
// tasks finds its siblings). A name with a slash is a path relative to <dir>. Directories of
// roles_path (ansible.cfg, ANSIBLE_ROLES_PATH) come right after <dir>/roles, as in Ansible; a
// dependency is also looked for beside the role that depends on it.
//
// Dependencies (meta/main.yml `dependencies:`) are loaded into the role, before its own tasks, with
// what their entry says (when, tags, vars, parameters) applied to their tasks. A `roles:` entry or a
// dependency with the same parameters as an earlier one in the play is dropped, as Ansible skips a
// role that already ran, unless the role's meta says `allow_duplicates: true`; import_role and
// include_role always run.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { didYouMean, type Loc } from '../contract/diagnostics.js';
import type { HandlerNode, PlayItem, RoleScope, VarBlock } from '../contract/playbook.js';
import { isTemplated } from '../validate/templated.js';
import { describeValue } from '../validate/describe.js';
import { isDir, isFile, type LoadContext } from './context.js';
import { inherit } from './inherit.js';
import { emptyVars } from './keywords.js';
import { parseRoleEntry } from './role-entry.js';
import { displayPath, type Source } from './source.js';
import type { ListScope, TaskListLoader } from './list-scope.js';
import { readVarsFile } from './vars-file.js';

export interface RoleRequest {
  name: string;
  /** Directory the role name is searched from (the playbook's directory for static roles). */
  searchFrom: string;
  /** A dependency's: the directory holding the role that depends on it, searched after roles_path. */
  basedir?: string;
  tasksFrom?: string;
  varsFrom?: string;
  defaultsFrom?: string;
  handlersFrom?: string;
  idPrefix: string;
  /** The line that names the role, for "not found" errors. */
  from: Loc;
  /** `roles:` entries and dependencies: the entry's signature (see RoleEntry); imports have none. */
  signature?: string;
  /** The entry's own `vars:` (RoleScope.entryVars). */
  entryVars?: VarBlock;
  /** Role uses already loaded in this play (role directory + signature), for Ansible's once-per-play rule. */
  runs?: Set<string>;
}

export interface LoadedRole {
  role: RoleScope;
  /** The role's tasks, after those of its dependencies. */
  items: PlayItem[];
  handlers: HandlerNode[];
  /** Scopes of the dependencies that run with it, in the order they run (their vars are play-visible too). */
  deps: RoleScope[];
  /** Used again with the same signature and without allow_duplicates: nothing of it runs. */
  duplicate?: true;
}

let rolesPath: readonly string[] = [];

/** The configured roles_path: a run-wide setting of the command line, like the vault passwords. */
export function setRolesPath(dirs: readonly string[]): void {
  rolesPath = [...dirs];
}

export function roleCandidates(name: string, searchFrom: string, basedir?: string): string[] {
  if (name.includes('/') || path.isAbsolute(name)) return [path.resolve(searchFrom, name)];
  const out = [path.join(searchFrom, 'roles', name), ...rolesPath.map((d) => path.join(d, name))];
  if (basedir) out.push(path.join(basedir, name));
  out.push(path.join(searchFrom, name));
  let dir = searchFrom;
  for (let i = 0; i < 3; i++) {
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
    out.push(path.join(dir, 'roles', name));
  }
  return out;
}

export async function findRoleDir(name: string, searchFrom: string, basedir?: string): Promise<string | undefined> {
  for (const c of roleCandidates(name, searchFrom, basedir)) if (await isDir(c)) return c;
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
  const dir = await findRoleDir(req.name, req.searchFrom, req.basedir);
  if (!dir) {
    const hint = didYouMean(req.name, await siblingRoles(req.searchFrom));
    ctx.error(req.from, `role '${req.name}' not found ${searchedText(req.name, req.searchFrom, req.basedir)}`, hint ? `did you mean '${hint}'?` : undefined);
    return undefined;
  }
  const key = `role:${dir}:${req.tasksFrom ?? 'main'}`;
  if (ctx.importStack.includes(key)) {
    const chain = [...ctx.importStack.slice(ctx.importStack.indexOf(key)), key].map(roleOfKey);
    ctx.error(req.from, `role '${req.name}' depends on itself (${chain.join(' -> ')})`, 'remove one of the dependencies in meta/main.yml');
    return undefined;
  }
  const meta = await readMeta(ctx, dir);
  const role: RoleScope = { name: req.name, dir, defaults: emptyVars(), vars: emptyVars(), ...(req.entryVars && Object.keys(req.entryVars.vars).length ? { entryVars: req.entryVars } : {}) };
  if (req.signature !== undefined && req.runs) {
    const use = JSON.stringify([dir, req.signature]);
    if (req.runs.has(use) && !meta.allowDuplicates) return { role, items: [], handlers: [], deps: [], duplicate: true };
    req.runs.add(use);
  }
  const nestedHandlers: HandlerNode[] = [];
  const missing = (sub: string, base: string) =>
    ctx.error(req.from, `${sub}/${base} not found in role '${req.name}' (looked for ${sub}/${base}${/\.(ya?ml|json)$/.test(base) ? '' : '.yml, .yaml, .json'} in ${displayPath(dir)})`);
  const vars = async (sub: string, base: string | undefined): Promise<VarBlock> => {
    const file = await roleFile(dir, sub, base ?? 'main');
    if (!file) {
      if (base) missing(sub, base);
      return emptyVars();
    }
    return (await readVarsFile(ctx, file, req.from, `role ${sub} file`)) ?? emptyVars();
  };
  role.defaults = await vars('defaults', req.defaultsFrom);
  role.vars = await vars('vars', req.varsFrom);
  const list = async (sub: string, base: string | undefined, kind: ListScope['kind'], prefix: string): Promise<PlayItem[]> => {
    const file = await roleFile(dir, sub, base ?? 'main');
    if (!file) {
      if (base) missing(sub, base);
      return [];
    }
    const src = await ctx.source(file, req.from, `role ${sub} file`);
    if (!src) return [];
    const scope: ListScope = { src, role, kind, roleHandlers: nestedHandlers, roleSearchFrom: req.searchFrom };
    return taskList(src.value, '', scope, ctx, prefix);
  };
  ctx.importStack.push(key);
  try {
    const deps = await loadDependencies(taskList, ctx, { ...req, runs: req.runs ?? new Set() }, dir, meta);
    const items = await list('tasks', req.tasksFrom, 'tasks', `${req.idPrefix}.t`);
    const handlers = (await list('handlers', req.handlersFrom, 'handlers', `${req.idPrefix}.h`)) as HandlerNode[];
    return { role, items: [...deps.items, ...items], handlers: [...deps.handlers, ...handlers, ...nestedHandlers], deps: deps.scopes };
  } finally {
    ctx.importStack.pop();
  }
}

interface RoleMeta {
  allowDuplicates: boolean;
  dependencies: unknown[];
  src?: Source;
}

async function readMeta(ctx: LoadContext, dir: string): Promise<RoleMeta> {
  const file = await roleFile(dir, 'meta', 'main');
  const src = file ? await ctx.source(file, undefined, 'role meta file') : undefined;
  const value = src?.value;
  if (!src || value === null || value === undefined) return { allowDuplicates: false, dependencies: [] };
  if (typeof value !== 'object' || Array.isArray(value)) {
    ctx.error(src.loc(''), `a role's meta/main.yml must be a mapping (allow_duplicates, dependencies, galaxy_info), got ${describeValue(value)}`);
    return { allowDuplicates: false, dependencies: [] };
  }
  const { allow_duplicates: dup, dependencies: deps } = value as Record<string, unknown>;
  if (dup !== undefined && typeof dup !== 'boolean') ctx.error(src.loc('/allow_duplicates'), `'allow_duplicates' must be true or false, got ${describeValue(dup)}`);
  if (deps !== undefined && deps !== null && !Array.isArray(deps)) ctx.error(src.loc('/dependencies'), `'dependencies' must be a list of roles, got ${describeValue(deps)}`);
  return { allowDuplicates: dup === true, dependencies: Array.isArray(deps) ? deps : [], src };
}

/** A role's dependencies, each (and recursively theirs) before it, with the entry's keywords applied to its tasks. */
async function loadDependencies(taskList: TaskListLoader, ctx: LoadContext, req: RoleRequest, dir: string, meta: RoleMeta): Promise<{ items: PlayItem[]; handlers: HandlerNode[]; scopes: RoleScope[] }> {
  const out = { items: [] as PlayItem[], handlers: [] as HandlerNode[], scopes: [] as RoleScope[] };
  const src = meta.src;
  if (!src) return out;
  for (let i = 0; i < meta.dependencies.length; i++) {
    const entry = parseRoleEntry(meta.dependencies[i], `/dependencies/${i}`, src, ctx, 'role dependency');
    if (!entry) continue;
    const loaded = await loadRoleInto(taskList, ctx, {
      name: entry.name,
      searchFrom: req.searchFrom,
      basedir: path.dirname(dir),
      idPrefix: `${req.idPrefix}.d${i}`,
      from: entry.loc,
      signature: entry.signature,
      entryVars: entry.entryVars,
      ...(req.runs ? { runs: req.runs } : {}),
    });
    if (!loaded || loaded.duplicate) continue;
    inherit(loaded.items, entry.keywords);
    inherit(loaded.handlers, { ...entry.keywords, when: [], tags: [] });
    out.items.push(...loaded.items);
    out.handlers.push(...loaded.handlers);
    out.scopes.push(...loaded.deps, loaded.role);
  }
  return out;
}

function roleOfKey(key: string): string {
  return path.basename(key.slice('role:'.length, key.lastIndexOf(':')));
}

async function siblingRoles(searchFrom: string): Promise<string[]> {
  try {
    return (await readdir(path.join(searchFrom, 'roles'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
}

function searchedText(name: string, searchFrom: string, basedir?: string): string {
  if (name.includes('/') || path.isAbsolute(name)) return `at ${displayPath(path.resolve(searchFrom, name))}`;
  const beside = basedir ? `, in ${displayPath(basedir)} beside the role that depends on it` : '';
  return `(looked for roles/${name} and ${name} in ${displayPath(searchFrom)}${beside}, then roles/${name} in its parent directories)`;
}
