// A deliberately small HostContext over the REAL LocalConnection, for module tests: the executor's
// own HostContext (variables, become, environment, role paths) is the run layer's; this one only
// resolves controller paths against one directory and renders templates with plain nunjucks. It
// runs a module the way the engine does: validate args against the schema, read, plan, and apply
// only when the plan has changes and check mode is off.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import nunjucks from 'nunjucks';
import type { Become, Connection } from '../../src/engine/contract/connection.js';
import type { ApplyResult, HostContext, Module, Plan, PlanContext } from '../../src/engine/contract/module.js';
import { LocalConnection } from '../../src/engine/connection/local.js';
import { decodePlanValue, encodePlanValue } from '../../src/engine/plan/codec.js';
import { verifiable, verifyApplied } from '../../src/engine/run/verify.js';

export interface TestHostOptions {
  /** Controller-side directory `src:` paths resolve against (files/ and templates/ live here). */
  baseDir?: string;
  vars?: Record<string, unknown>;
  checkMode?: boolean;
  become?: Become;
  env?: Record<string, string>;
  shell?: 'posix' | 'powershell';
  conn?: Connection;
}

export function makeHostContext(opts: TestHostOptions = {}): HostContext {
  const conn = opts.conn ?? new LocalConnection();
  const signal = new AbortController().signal;
  const base = opts.baseDir ?? process.cwd();
  const become = opts.become;
  const env = opts.env ?? {};
  return {
    host: 'localhost',
    conn,
    shell: opts.shell ?? conn.shell,
    become,
    env,
    facts: {},
    checkMode: opts.checkMode ?? false,
    signal,
    run: (command, o = {}) => conn.exec(command, { ...o, become: o.become ?? become, env: { ...env, ...o.env }, signal }),
    readFile: (p, o = {}) => conn.readFile(p, { become, signal, ...o }),
    writeFile: (p, d, o = {}) => conn.writeFile(p, d, { become, signal, ...o }),
    stat: (p, o = {}) => conn.stat(p, { become, signal, ...o }),
    putFile: (l, r, o = {}) => conn.putFile(l, r, { become, signal, ...o }),
    controllerPath: (kind, p) => (isAbsolute(p) ? p : join(base, kind, p)),
    renderTemplate: (text) => nunjucks.renderString(text, opts.vars ?? {}),
  };
}

export function makePlanContext(vars: Record<string, unknown> = {}, checkMode = false): PlanContext {
  const env = new nunjucks.Environment(undefined, { throwOnUndefined: true });
  return {
    host: 'localhost',
    checkMode,
    facts: {},
    evaluate: (expr) => JSON.parse(env.renderString(`{{ (${expr}) | dump | safe }}`, vars)) as unknown,
    evaluateCondition: (expr) => env.renderString(`{% if ${expr} %}1{% else %}0{% endif %}`, vars) === '1',
  };
}

const ajv = new Ajv2020({ allErrors: true, strict: false });

export interface ModuleRun<C = unknown> {
  current: C;
  plan: Plan;
  applied?: ApplyResult;
  /** What the engine would report. */
  status: 'ok' | 'changed' | 'failed' | 'skipped';
  msg?: string;
}

export async function runModule<A, C>(
  mod: Module<A, C>,
  args: Record<string, unknown>,
  opts: { ctx?: HostContext; check?: boolean; vars?: Record<string, unknown> } = {},
): Promise<ModuleRun<C>> {
  const validate = ajv.compile(mod.schema);
  if (!validate(args)) throw new Error(`invalid args for ${mod.meta.name}: ${ajv.errorsText(validate.errors)}`);
  const check = opts.check ?? false;
  const ctx = opts.ctx ?? makeHostContext({ checkMode: check });
  const current = await mod.read(ctx, args as A);
  const plan = mod.plan(args as A, current, makePlanContext(opts.vars, check));
  if (plan.failed) return { current, plan, status: 'failed', msg: plan.failed };
  if (plan.changes.length === 0) return { current, plan, status: 'ok' };
  if (check) return { current, plan, status: mod.meta.checkMode === 'none' ? 'skipped' : 'changed' };
  // apply gets only the plan: a plan that does not carry what apply needs fails here, not in the field.
  const applied = await mod.apply(ctx, decodePlanValue<Plan>(encodePlanValue(plan)));
  if (applied.failed) return { current, plan, applied, status: 'failed', msg: applied.failed };
  const changed = applied.changed !== false;
  if (changed && verifiable(mod)) {
    const left = await verifyApplied(mod, args, ctx, makePlanContext(opts.vars, check));
    if (left.length) throw new Error(`${mod.meta.name}: after apply the host does not match the plan: ${left.join('; ')}`);
  }
  return { current, plan, applied, status: changed ? 'changed' : 'ok' };
}

/** A fresh temporary directory, removed by the returned cleanup. */
export async function tempDir(prefix = 'fleetplay-mod-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Every entry under dir with its bytes, mode and owner: equal snapshots = nothing was touched. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const { lstat, readdir, readFile, readlink } = await import('node:fs/promises');
  const out: Record<string, string> = {};
  const walk = async (rel: string) => {
    const abs = rel ? join(dir, rel) : dir;
    const st = await lstat(abs);
    const head = `${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid} ${st.mtimeMs}`;
    if (st.isSymbolicLink()) out[rel] = `${head} -> ${await readlink(abs)}`;
    else if (st.isDirectory()) {
      out[rel] = `${head} dir`;
      for (const e of (await readdir(abs)).sort()) await walk(rel ? `${rel}/${e}` : e);
    } else out[rel] = `${head} ${(await readFile(abs)).toString('base64')}`;
  };
  await walk('');
  return out;
}
