// A list of tasks → PlayItems: module tasks, blocks, meta, static imports (inlined here, with the
// import's keywords inherited by each child) and dynamic includes (IncludeNodes the executor expands;
// a literal target is still read now so its mistakes are reported before anything runs).
import path from 'node:path';
import type { BlockNode, HandlerNode, IncludeNode, MetaNode, PlayItem, RoleScope, TaskNode } from '../contract/playbook.js';
import { describeValue } from '../validate/describe.js';
import { BlockSchema, HandlerKeywordsSchema, MetaSchema, RoleRefSchema, TaskKeywordsSchema, TasksFileRefSchema } from '../validate/playbook-schema.js';
import { isTemplated } from '../validate/templated.js';
import { validateWithSchema } from '../validate/validate-with-schema.js';
import { applyBlock, splitApply } from './apply.js';
import { checkKeywords, RUNTIME_KEYWORDS } from './check-keywords.js';
import { classifyTask, type Action } from './classify.js';
import { isFile, type LoadContext } from './context.js';
import { parseKeyValues } from './free-form.js';
import { inherit, inheritNotify } from './inherit.js';
import { commonParts, nameList, type Raw } from './keywords.js';
import { loopKeys, loopParts } from './loop.js';
import { moduleTaskParts } from './module-task.js';
import type { ListScope } from './list-scope.js';
import { loadRoleInto } from './roles.js';
import { displayPath, type Source } from './source.js';
import { checkTemplateFile, checkText } from './template-checks.js';
import { joinPointer } from './yaml-source.js';

const isMapping = (v: unknown): v is Raw => !!v && typeof v === 'object' && !Array.isArray(v);

export async function taskList(value: unknown, pointer: string, scope: ListScope, ctx: LoadContext, prefix: string): Promise<PlayItem[]> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    ctx.error(scope.src.loc(pointer), `expected a list of tasks, got ${describeValue(value)}`);
    return [];
  }
  const out: PlayItem[] = [];
  for (let i = 0; i < value.length; i++) out.push(...(await taskItem(value[i], joinPointer(pointer, i), scope, ctx, `${prefix}${i}`)));
  return out;
}

async function taskItem(value: unknown, ptr: string, scope: ListScope, ctx: LoadContext, id: string): Promise<PlayItem[]> {
  const { src } = scope;
  const what = scope.kind === 'handlers' ? 'a handler' : 'a task';
  if (!isMapping(value)) {
    ctx.error(src.loc(ptr), `${what} must be a mapping (key: value), got ${describeValue(value)}`);
    return [];
  }
  if (Object.hasOwn(value, 'block')) return blockItem(value, ptr, scope, ctx, id);
  const before = ctx.errorCount;
  const schema = scope.kind === 'handlers' ? HandlerKeywordsSchema : TaskKeywordsSchema;
  const raw = checkKeywords(schema, value, ptr, src, ctx, scope.kind === 'handlers' ? 'in handler' : 'in task', RUNTIME_KEYWORDS);
  const action = classifyTask(raw, ptr, src, ctx, scope.kind);
  if (!action) return [];
  if (scope.kind === 'handlers' && action.kind !== 'module' && action.kind !== 'import_tasks') {
    ctx.error(src.keyLoc(action.pointer), `'${action.key}' cannot be used in handlers`);
    return [];
  }
  forbidKeywords(action, raw, ptr, src, ctx);
  const common = commonParts(raw, src, ptr, ctx);
  const base = { id, loc: src.loc(ptr), ...common, baseDir: src.dir, ...(scope.role ? { role: scope.role } : {}) };
  switch (action.kind) {
    case 'module': {
      const parts = moduleTaskParts(raw, ptr, action, src, ctx);
      // Even when this task has other problems, so that one run reports the file's too.
      if (parts) await checkTemplateFile(ctx, parts.module, parts.args, scope.role?.dir, src.dir);
      if (!parts || ctx.errorCount > before) return [];
      const node: TaskNode = { kind: 'task', ...base, ...parts };
      if (action.local) node.delegateTo = 'localhost';
      if (scope.kind === 'handlers') {
        const handler = node as HandlerNode;
        handler.listen = nameList(raw.listen);
        if (!handler.name && handler.listen.length === 0) ctx.warn({ loc: node.loc, message: "this handler has neither 'name' nor 'listen', so nothing can notify it" });
      }
      return [node];
    }
    case 'meta': {
      const errs = validateWithSchema(MetaSchema, action.value, src.locs, src.loc(action.pointer), { pointer: action.pointer, rootWhere: "for 'meta'" });
      ctx.addAll(errs);
      if (errs.length) return [];
      const node: MetaNode = { kind: 'meta', ...base, action: action.value as MetaNode['action'] };
      return [node];
    }
    case 'import_tasks':
    case 'include_tasks':
      return tasksFile(action, raw, ptr, scope, ctx, base, common);
    case 'import_role':
    case 'include_role':
      return roleItem(action, raw, ptr, scope, ctx, base, common);
  }
}

async function blockItem(value: Raw, ptr: string, scope: ListScope, ctx: LoadContext, id: string): Promise<PlayItem[]> {
  const { src } = scope;
  if (scope.kind === 'handlers') {
    ctx.error(src.keyLoc(joinPointer(ptr, 'block')), 'blocks are not supported in handlers');
    return [];
  }
  const raw = checkKeywords(BlockSchema, value, ptr, src, ctx, 'in block', RUNTIME_KEYWORDS);
  const common = commonParts(raw, src, ptr, ctx);
  const section = (key: string, letter: string) => taskList(Array.isArray(raw[key]) ? raw[key] : null, joinPointer(ptr, key), scope, ctx, `${id}.${letter}`);
  const node: BlockNode = {
    kind: 'block',
    id,
    loc: src.loc(ptr),
    ...common,
    block: await section('block', 'b'),
    rescue: await section('rescue', 'r'),
    always: await section('always', 'a'),
    baseDir: src.dir,
    ...(scope.role ? { role: scope.role } : {}),
  };
  inherit(node.block, common);
  inherit(node.rescue, common);
  inherit(node.always, common);
  checkText(ctx, src, joinPointer(ptr, 'notify'), raw.notify);
  for (const list of [node.block, node.rescue, node.always]) inheritNotify(list, nameList(raw.notify));
  return [node];
}

const loopKeywords = [...loopKeys, 'loop_control'];
const resultKeywords = ['register', 'notify', 'changed_when', 'failed_when', 'until', 'retries', 'delay', 'args'];

/** Keywords that mean nothing on an import/include/meta (Ansible rejects them too). */
function forbidKeywords(action: Action, raw: Raw, ptr: string, src: Source, ctx: LoadContext): void {
  if (action.kind === 'module') return;
  // A static import hands notify to the tasks it brings in, as a block does.
  const forbidden = (action.kind.startsWith('include_') ? resultKeywords : [...loopKeywords, ...resultKeywords]).filter((k) => k !== 'notify' || action.kind.startsWith('include_'));
  for (const k of forbidden) {
    if (raw[k] === undefined) continue;
    const hint = action.kind.startsWith('import_') && loopKeywords.includes(k) ? `imports are resolved when the playbook loads; use ${action.kind.replace('import_', 'include_')} to loop` : undefined;
    ctx.error(src.keyLoc(joinPointer(ptr, k)), `'${k}' cannot be used on '${action.key}'`, hint);
  }
}

type Base = Omit<TaskNode, 'kind' | 'module' | 'args' | 'argLocs' | 'notify'>;

async function tasksFile(action: Action, raw: Raw, ptr: string, scope: ListScope, ctx: LoadContext, base: Base, common: ReturnType<typeof commonParts>): Promise<PlayItem[]> {
  const { src } = scope;
  const split = action.kind === 'include_tasks' ? splitApply(action.value, action.pointer) : { ref: action.value };
  const errs = validateWithSchema(TasksFileRefSchema, split.ref, src.locs, src.loc(action.pointer), { pointer: action.pointer, rootWhere: `for '${action.key}'` });
  ctx.addAll(errs);
  const apply = split.applyPtr ? applyBlock(split.apply, split.applyPtr, scope, ctx, `${base.id}.apply`) : undefined;
  if (errs.length) return [];
  const file = typeof action.value === 'string' ? action.value : String((action.value as Raw).file);
  const fileLoc = src.loc(typeof action.value === 'string' ? action.pointer : joinPointer(action.pointer, 'file'));
  if (action.kind === 'include_tasks') {
    checkText(ctx, src, typeof action.value === 'string' ? action.pointer : joinPointer(action.pointer, 'file'), file);
    const node: IncludeNode = { ...base, kind: 'include_tasks', target: file, ...(apply ? { apply } : {}), ...loopParts(raw, src, ptr, ctx) } as IncludeNode;
    if (!isTemplated(file)) {
      const abs = await resolveTasksFile(file, src.dir, scope.roleSearchFrom);
      if (!abs) ctx.error(fileLoc, `tasks file '${file}' not found (looked in ${displayPath(src.dir)})`);
      else if (!ctx.checkedIncludes.has(abs)) {
        ctx.checkedIncludes.add(abs);
        const child = await ctx.source(abs, fileLoc, 'tasks file');
        if (child) await taskList(child.value, '', { ...scope, src: child, roleHandlers: [] }, ctx, `${base.id}.t`);
      }
    }
    return [node];
  }
  if (isTemplated(file)) {
    ctx.error(fileLoc, `import_tasks cannot use variables in its path (it is read when the playbook loads)`, 'use include_tasks for a file chosen at run time');
    return [];
  }
  const abs = await resolveTasksFile(file, src.dir, scope.roleSearchFrom);
  if (!abs) {
    ctx.error(fileLoc, `tasks file '${file}' not found (looked in ${[...new Set([src.dir, scope.roleSearchFrom])].map(displayPath).join(', ')})`);
    return [];
  }
  if (ctx.importStack.includes(abs)) {
    const chain = [...ctx.importStack.slice(ctx.importStack.indexOf(abs)), abs].map(displayPath).join(' → ');
    ctx.error(fileLoc, `import cycle: ${chain}`);
    return [];
  }
  const child = await ctx.source(abs, fileLoc, 'tasks file');
  if (!child) return [];
  ctx.importStack.push(abs);
  try {
    const items = await taskList(child.value, '', { ...scope, src: child }, ctx, `${base.id}.t`);
    inherit(items, common);
    inheritNotify(items, nameList(raw.notify));
    return items;
  } finally {
    ctx.importStack.pop();
  }
}

/** Ansible looks for a tasks file beside the file that names it, then in the playbook's directory. */
async function resolveTasksFile(file: string, dir: string, playDir: string): Promise<string | undefined> {
  for (const d of new Set([dir, playDir])) {
    const abs = path.resolve(d, file);
    if (await isFile(abs)) return abs;
  }
  return undefined;
}

async function roleItem(action: Action, raw: Raw, ptr: string, scope: ListScope, ctx: LoadContext, base: Base, common: ReturnType<typeof commonParts>): Promise<PlayItem[]> {
  const { src } = scope;
  let ref = action.value;
  if (typeof ref === 'string') {
    const kv = parseKeyValues(ref);
    if (kv.error !== undefined) {
      ctx.error(src.loc(action.pointer), `arguments of '${action.key}': ${kv.error}`, `write '${action.key}: { name: ROLE }'`);
      return [];
    }
    ref = kv.args;
  }
  const split = action.kind === 'include_role' ? splitApply(ref, action.pointer) : { ref };
  ref = split.ref;
  const errs = validateWithSchema(RoleRefSchema, ref, src.locs, src.loc(action.pointer), { pointer: action.pointer, rootWhere: `for '${action.key}'` });
  ctx.addAll(errs);
  const apply = split.applyPtr ? applyBlock(split.apply, split.applyPtr, scope, ctx, `${base.id}.apply`) : undefined;
  if (errs.length) return [];
  const r = ref as { name: string; tasks_from?: string; vars_from?: string; defaults_from?: string; handlers_from?: string };
  const from = src.loc(action.pointer);
  if (action.kind === 'include_role') {
    checkText(ctx, src, action.pointer, ref);
    for (const k of ['vars_from', 'defaults_from', 'handlers_from'] as const) {
      if (r[k] !== undefined) ctx.error(from, `'${k}' is not supported with include_role yet`, 'use import_role');
    }
    const node = { ...base, kind: 'include_role', target: r.name, baseDir: scope.roleSearchFrom, ...(r.tasks_from ? { tasksFrom: r.tasks_from } : {}), ...(apply ? { apply } : {}), ...loopParts(raw, src, ptr, ctx) } as IncludeNode;
    const key = `role:${scope.roleSearchFrom}:${r.name}:${r.tasks_from ?? ''}`;
    if (!isTemplated(r.name) && !isTemplated(r.tasks_from) && !ctx.checkedIncludes.has(key)) {
      ctx.checkedIncludes.add(key);
      await loadRoleInto(taskList, ctx, { name: r.name, searchFrom: scope.roleSearchFrom, ...(r.tasks_from ? { tasksFrom: r.tasks_from } : {}), idPrefix: base.id, from });
    }
    return [node];
  }
  const loaded = await loadRoleInto(taskList, ctx, {
    name: r.name,
    searchFrom: scope.roleSearchFrom,
    ...(r.tasks_from ? { tasksFrom: r.tasks_from } : {}),
    ...(r.vars_from ? { varsFrom: r.vars_from } : {}),
    ...(r.defaults_from ? { defaultsFrom: r.defaults_from } : {}),
    ...(r.handlers_from ? { handlersFrom: r.handlers_from } : {}),
    idPrefix: base.id,
    from,
    runs: ctx.roleRuns,
  });
  if (!loaded) return [];
  inherit(loaded.items, common);
  inheritNotify(loaded.items, nameList(raw.notify));
  scope.roleHandlers.push(...loaded.handlers);
  scope.importedRoles?.push(...loaded.deps, loaded.role);
  return loaded.items;
}

export type { ListScope } from './list-scope.js';
