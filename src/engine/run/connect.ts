// Per task and host: which connection a module uses (the host's, or a delegate's), with which
// privilege escalation and environment. Values come from task keywords first, then variables.
import type { Become, Connection } from '../contract/connection.js';
import { InvalidInputError } from '../contract/diagnostics.js';
import type { Loc } from '../contract/diagnostics.js';
import type { VarLayer } from '../contract/template.js';
import type { Evaluator } from './conditions.js';
import type { HostState } from './host-state.js';
import type { Keywords } from './inherit.js';
import { hostScopeLayers } from './magic-vars.js';
import type { RunContext } from './run-context.js';

const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/** A variable's value as the task sees it (top layer first); trusted strings are templated. */
export function lookupVar(run: RunContext, name: string, layers: readonly VarLayer[], loc: Loc): unknown {
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i]!;
    if (!Object.prototype.hasOwnProperty.call(l.vars, name)) continue;
    const v = l.vars[name];
    if (l.trusted && typeof v === 'string' && run.templater.isTemplated(v)) {
      return run.templater.render(v, layers, l.locs?.[`/${name}`] ?? loc);
    }
    return v;
  }
  return undefined;
}

/** The host's vars for its connection: inventory vars, with every ansible_* var as the task sees it. */
function connectionVars(run: RunContext, layers: readonly VarLayer[], loc: Loc): Record<string, unknown> {
  const names = new Set<string>();
  // -u, -k, --private-key (or ansible.cfg) first, so that any variable of the host overrides them.
  const d = run.opts.connectionDefaults ?? {};
  const defaults: Record<string, unknown> = {};
  if (d.user !== undefined) defaults.ansible_user = d.user;
  if (d.password !== undefined) defaults.ansible_password = d.password;
  if (d.privateKeyFile !== undefined) defaults.ansible_ssh_private_key_file = d.privateKeyFile;
  if (d.sshArgs !== undefined) defaults.ansible_ssh_args = d.sshArgs;
  // Only playbook/inventory/-e layers: facts and magic vars are not connection settings.
  for (const l of layers) if (l.trusted) for (const k of Object.keys(l.vars)) if (k.startsWith('ansible_')) names.add(k);
  const vars: Record<string, unknown> = { ...defaults };
  for (const n of names) vars[n] = lookupVar(run, n, layers, loc);
  return vars;
}

/** The host's own connection (opened on first use with the vars of the first task that needs it). */
export function hostConnection(run: RunContext, h: HostState, layers: readonly VarLayer[], loc: Loc, connectTimeoutMs?: number): Promise<Connection> {
  // A module's own connect timeout (reboot's connect_timeout) stands in for ansible_timeout.
  const secs = connectTimeoutMs === undefined ? undefined : String(Math.max(1, Math.ceil(connectTimeoutMs / 1000)));
  const timeout = secs === undefined ? {} : { ansible_timeout: secs, ansible_ssh_timeout: secs };
  return run.connections.get(h.name, () => run.services.connectionSpec(h.name, { ...connectionVars(run, layers, loc), ...timeout }));
}

export interface Delegation {
  target: string;
  conn: () => Promise<Connection>;
}

/** delegate_to: another inventory host's connection, or the controller for localhost. */
export function delegation(run: RunContext, h: HostState, kw: Keywords, layers: readonly VarLayer[], loc: Loc, ev: Evaluator): Delegation | undefined {
  if (kw.delegateTo === undefined) return undefined;
  const target = String(ev.render(kw.delegateTo, layers, loc));
  if (target === h.name) return undefined;
  if (run.inventory.hosts.has(target)) {
    const other = run.host(target);
    return { target, conn: () => run.connections.get(target, () => run.services.connectionSpec(target, connectionVars(run, hostScopeLayers(run, other), loc))) };
  }
  const vars = LOCAL_NAMES.has(target) ? { ansible_connection: 'local' } : {};
  return { target, conn: () => run.connections.get(`delegate:${target}`, () => run.services.connectionSpec(target, vars)) };
}

const truthy = (v: unknown) => v === true || (typeof v === 'string' && /^(yes|true|on|1|y)$/i.test(v)) || v === 1;

/** become: keyword (task > block > play) first, then ansible_become* variables. */
export function resolveBecome(run: RunContext, kw: Keywords, layers: readonly VarLayer[], loc: Loc, ev?: Evaluator): Become | undefined {
  const d = run.opts.connectionDefaults ?? {};
  const v = lookupVar(run, 'ansible_become', layers, loc);
  const own = typeof kw.become === 'object' ? (ev ? ev.flag(kw.become, layers) : truthy(run.templater.render(kw.become.text, layers, kw.become.loc))) : kw.become;
  const enabled = own ?? (v === undefined ? !!d.become : truthy(v));
  if (!enabled) return undefined;
  const method = lookupVar(run, 'ansible_become_method', layers, loc);
  if (method !== undefined && method !== 'sudo') {
    throw new InvalidInputError({ loc, message: `become method '${String(method)}' is not supported (only sudo)` });
  }
  // `become_user: "{{ app_user }}"` is templated like every other keyword value.
  const kwUser = kw.becomeUser !== undefined && run.templater.isTemplated(kw.becomeUser) ? run.templater.render(kw.becomeUser, layers, loc) : kw.becomeUser;
  const user = kwUser ?? lookupVar(run, 'ansible_become_user', layers, loc) ?? d.becomeUser;
  const password = lookupVar(run, 'ansible_become_password', layers, loc) ?? lookupVar(run, 'ansible_become_pass', layers, loc) ?? d.becomePassword;
  const become: Become = { method: 'sudo', user: user === undefined || user === null || user === '' ? 'root' : String(user) };
  if (password !== undefined && password !== null && password !== '') become.password = String(password);
  return become;
}

/** environment: play < blocks < task, each templated; values become strings. */
export function resolveEnvironment(kw: Keywords, layers: readonly VarLayer[], loc: Loc, ev: Evaluator): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of kw.environment) {
    const rendered = ev.render(raw, layers, loc);
    if (!rendered || typeof rendered !== 'object' || Array.isArray(rendered)) {
      throw new InvalidInputError({ loc, message: 'environment must be a mapping of variable names to values' });
    }
    for (const [k, v] of Object.entries(rendered)) {
      if (v === undefined || v === null) continue;
      env[k] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
  }
  return env;
}
