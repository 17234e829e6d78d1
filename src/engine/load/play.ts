// One play: its keywords, vars_files, roles and the four task sections, assembled in Ansible's
// order (pre_tasks, roles, tasks, post_tasks) with an implicit `meta: flush_handlers` between
// sections. Implicit flushes carry the tag `always` (tag selection never drops them) and ids ending
// in `.flushN`. Play-level task keywords (become, no_log, tags, ...) are also copied onto every task.
import path from 'node:path';
import type { HandlerNode, MetaNode, Play, PlayItem, RoleScope, VarBlock } from '../contract/playbook.js';
import { describeValue } from '../validate/describe.js';
import { PlaySchema, unsupportedKeywords } from '../validate/playbook-schema.js';
import { isTemplated } from '../validate/templated.js';
import { checkKeywords } from './check-keywords.js';
import { isFile, type LoadContext } from './context.js';
import { inherit } from './inherit.js';
import { commonParts, emptyVars, type Raw } from './keywords.js';
import { parseRoleEntry } from './role-entry.js';
import { loadRoleInto } from './roles.js';
import type { Source } from './source.js';
import { taskList, type ListScope } from './task-list.js';
import { checkText } from './template-checks.js';
import { readVarsFile } from './vars-file.js';
import { joinPointer } from './yaml-source.js';

const localHosts = new Set(['localhost', '127.0.0.1', '::1']);

export async function parsePlay(value: unknown, ptr: string, src: Source, ctx: LoadContext): Promise<Play | undefined> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    ctx.error(src.loc(ptr), `a play must be a mapping with at least 'hosts', got ${describeValue(value)}`);
    return undefined;
  }
  const raw = checkKeywords(PlaySchema, refuseUnsupported(value as Raw, ptr, src, ctx), ptr, src, ctx, 'in play');
  const at = (k: string) => joinPointer(ptr, k);
  const id = `p${ctx.playCount++}`;
  const common = commonParts(raw, src, ptr, ctx);
  const hosts = Array.isArray(raw.hosts) ? raw.hosts.map(String).join(':') : String(raw.hosts ?? '');
  for (const k of ['hosts', 'serial']) checkText(ctx, src, at(k), raw[k]);
  ctx.roleRuns = new Set();
  const varsFiles = await readVarsFiles(raw.vars_files, at('vars_files'), src, ctx);
  const importedRoleHandlers: HandlerNode[] = [];
  const importedRoles: RoleScope[] = [];
  const scope: ListScope = { src, kind: 'tasks', roleHandlers: importedRoleHandlers, importedRoles, roleSearchFrom: src.dir };
  const section = (key: string, prefix: string, kind: ListScope['kind'] = 'tasks') =>
    taskList(Array.isArray(raw[key]) ? raw[key] : null, at(key), { ...scope, kind }, ctx, `${id}.${prefix}`);

  const pre = await section('pre_tasks', 'pre');
  const roles = await playRoles(raw.roles, at('roles'), id, src, ctx);
  const tasks = await section('tasks', 't');
  const post = await section('post_tasks', 'post');
  const ownHandlers = (await section('handlers', 'h', 'handlers')) as HandlerNode[];

  const main = [...roles.items, ...tasks];
  const parts: Array<[PlayItem[], string]> = [
    [pre, 'pre_tasks'],
    [main, roles.items.length ? 'roles' : 'tasks'],
    [post, 'post_tasks'],
  ];
  const items: PlayItem[] = [];
  let flushes = 0;
  for (const [list, key] of parts.filter(([list]) => list.length > 0)) {
    if (items.length) items.push(flush(`${id}.flush${flushes++}`, src, at(key)));
    items.push(...list);
  }
  const handlers = uniqueRoleHandlers([...roles.handlers, ...importedRoleHandlers, ...ownHandlers]);
  const { when: _none, vars: _playVars, ...down } = common;
  inherit(items, down);
  inherit(handlers, { ...down, tags: [] });

  const play: Play = {
    id,
    name: common.name ?? hosts,
    loc: src.loc(ptr),
    hosts,
    gatherFacts: typeof raw.gather_facts === 'boolean' ? raw.gather_facts : true,
    strategy: raw.strategy === 'free' ? 'free' : 'linear',
    serial: serialList(raw.serial, at('serial'), src, ctx),
    // Plays do not take templates here (checkKeywords refused them), so these are booleans.
    anyErrorsFatal: common.anyErrorsFatal === true,
    ignoreUnreachable: common.ignoreUnreachable === true,
    tags: common.tags,
    vars: common.vars,
    varsFiles,
    roles: [...roles.scopes, ...importedRoles],
    items,
    handlers,
    baseDir: src.dir,
  };
  if (typeof raw.max_fail_percentage === 'number') play.maxFailPercentage = raw.max_fail_percentage;
  if (typeof raw.force_handlers === 'boolean') play.forceHandlers = raw.force_handlers;
  if (typeof common.become === 'boolean') play.become = common.become;
  if (common.becomeUser !== undefined) play.becomeUser = common.becomeUser;
  if (common.checkMode !== undefined) play.checkMode = common.checkMode;
  if (common.diff !== undefined) play.diff = common.diff;
  if (common.environment !== undefined) play.environment = common.environment;
  return play;
}

/** Reports (and drops) keywords fleetplay does not implement; `connection: local` on localhost is what happens anyway. */
function refuseUnsupported(raw: Raw, ptr: string, src: Source, ctx: LoadContext): Raw {
  const out: Raw = {};
  for (const [k, v] of Object.entries(raw)) {
    const at = joinPointer(ptr, k);
    if (k === 'connection' && v === 'local' && typeof raw.hosts === 'string' && localHosts.has(raw.hosts)) continue;
    if (k === 'gather_subset') {
      ctx.warn({ loc: src.keyLoc(at), message: "'gather_subset' is ignored: fleetplay gathers one fixed set of facts" });
      continue;
    }
    if (Object.hasOwn(unsupportedKeywords, k)) {
      ctx.error(src.keyLoc(at), `'${k}' is not supported by fleetplay`, unsupportedKeywords[k]);
      continue;
    }
    out[k] = v;
  }
  return out;
}

function flush(id: string, src: Source, pointer: string): MetaNode {
  return { kind: 'meta', action: 'flush_handlers', id, loc: src.keyLoc(pointer), when: [], tags: ['always'], vars: emptyVars(), baseDir: src.dir };
}

/** `serial: 2`, `serial: "30%"`, `serial: [1, "50%"]` → batches; numeric strings become numbers. */
function serialList(value: unknown, pointer: string, src: Source, ctx: LoadContext): Array<number | string> {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  const out: Array<number | string> = [];
  list.forEach((v, i) => {
    const loc = src.loc(Array.isArray(value) ? joinPointer(pointer, i) : pointer);
    if (typeof v === 'number') out.push(v);
    else if (typeof v === 'string' && /^\s*\d+\s*$/.test(v)) out.push(Number(v));
    else if (typeof v === 'string' && (/^\s*\d+(\.\d+)?%\s*$/.test(v) || isTemplated(v))) out.push(v.trim());
    else ctx.error(loc, `'serial' must be a number or a percentage such as "30%", got ${describeValue(v)}`);
  });
  return out;
}

/**
 * vars_files entries: a path (read now, relative to the playbook), a list of paths (the first that
 * exists, as Ansible does), or a path with `{{ }}`, left for the executor (VarBlock.deferredPath).
 */
async function readVarsFiles(value: unknown, pointer: string, src: Source, ctx: LoadContext): Promise<VarBlock[]> {
  if (!Array.isArray(value)) return [];
  const out: VarBlock[] = [];
  for (let i = 0; i < value.length; i++) {
    const at = joinPointer(pointer, i);
    const entry = value[i];
    // Anything but a path or a list of paths was already reported by the play schema.
    if (typeof entry !== 'string' && !(Array.isArray(entry) && entry.every((e) => typeof e === 'string'))) continue;
    if (typeof entry === 'string' && isTemplated(entry)) {
      checkText(ctx, src, at, entry);
      out.push({ ...emptyVars(), deferredPath: { text: entry, loc: src.loc(at) } });
      continue;
    }
    const candidates = (Array.isArray(entry) ? entry : [entry]).map(String);
    let chosen: string | undefined;
    for (const c of candidates) {
      if (isTemplated(c)) {
        ctx.error(src.loc(at), 'a vars_files list of alternatives cannot use variables', 'give one templated path per entry');
        break;
      }
      const abs = path.resolve(src.dir, c);
      if (await isFile(abs)) {
        chosen = abs;
        break;
      }
    }
    if (!chosen) {
      if (candidates.length > 1) ctx.error(src.loc(at), `none of the vars files ${candidates.join(', ')} exists`);
      else if (candidates.length === 1 && !isTemplated(candidates[0])) ctx.error(src.loc(at), `vars file '${candidates[0]}' not found`);
      continue;
    }
    const block = await readVarsFile(ctx, chosen, src.loc(at), 'vars file');
    if (block) out.push(block);
  }
  return out;
}

interface PlayRoles {
  scopes: RoleScope[];
  items: PlayItem[];
  handlers: HandlerNode[];
}

/** `roles:` entries: names or mappings (`role:`/`name:`, keywords, and role parameters as extra keys). */
async function playRoles(value: unknown, pointer: string, playId: string, src: Source, ctx: LoadContext): Promise<PlayRoles> {
  const out: PlayRoles = { scopes: [], items: [], handlers: [] };
  if (!Array.isArray(value)) return out;
  for (let i = 0; i < value.length; i++) {
    const entry = parseRoleEntry(value[i], joinPointer(pointer, i), src, ctx, 'role entry');
    if (!entry) continue;
    const loaded = await loadRoleInto(taskList, ctx, {
      name: entry.name,
      searchFrom: src.dir,
      idPrefix: `${playId}.r${i}`,
      from: entry.loc,
      signature: entry.signature,
      entryVars: entry.entryVars,
      runs: ctx.roleRuns,
    });
    if (!loaded || loaded.duplicate) continue;
    inherit(loaded.items, entry.keywords);
    inherit(loaded.handlers, { ...entry.keywords, when: [], tags: [] });
    out.scopes.push(...loaded.deps, loaded.role);
    out.items.push(...loaded.items);
    out.handlers.push(...loaded.handlers);
  }
  return out;
}

/** A role used twice (other parameters, or also imported) contributes its handlers once. */
function uniqueRoleHandlers(list: HandlerNode[]): HandlerNode[] {
  const seen = new Set<string>();
  return list.filter((h) => {
    if (!h.role) return true;
    const key = JSON.stringify([h.role.dir, h.loc.file, h.loc.line, h.loc.col]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
