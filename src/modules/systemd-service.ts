// systemd_service (alias systemd): a systemd unit's run state, boot enablement and masking, in the
// system or a user scope. The state comes from one `systemctl show`; restarted/reloaded always act
// (that is what they mean), the rest only on change. The `service` module is the same code with
// Ansible's smaller `service` arguments (service.ts).
import Type, { type Static } from 'typebox';
import type { DiffItem, Module } from '../engine/contract/module.js';
import { shQuote } from '../engine/connection/quote.js';

export const serviceProperties = {
    name: Type.Optional(Type.String({ description: "Unit name ('.service' may be left out)." })),
    state: Type.Optional(
      Type.Union([Type.Literal('started'), Type.Literal('stopped'), Type.Literal('restarted'), Type.Literal('reloaded')], {
        description: 'started/stopped only act when needed; restarted/reloaded always act.',
      }),
    ),
    enabled: Type.Optional(Type.Boolean({ description: 'Start at boot.' })),
    daemon_reload: Type.Optional(Type.Boolean({ description: 'Run systemctl daemon-reload first (after editing unit files).' })),
};
const schema = Type.Object(
  {
    ...serviceProperties,
    masked: Type.Optional(Type.Boolean({ description: 'Mask the unit (it cannot be started at all) or unmask it.' })),
    daemon_reexec: Type.Optional(Type.Boolean({ description: 'Run systemctl daemon-reexec first (after upgrading systemd).' })),
    scope: Type.Optional(
      Type.Union([Type.Literal('system'), Type.Literal('user'), Type.Literal('global')], {
        description: "system (default), user (the become user's manager: --user) or global (every user's: --global).",
      }),
    ),
  },
  { additionalProperties: false },
);
export type ServiceArgs = Static<typeof schema>;
type Args = ServiceArgs;

export interface UnitState {
  systemctl: boolean;
  load?: string;
  active?: string;
  unitFile?: string;
}

type Op = 'daemon-reload' | 'daemon-reexec' | 'mask' | 'unmask' | 'enable' | 'disable' | 'start' | 'stop' | 'restart' | 'reload';
/** One systemctl call; `unit` is absent for daemon-reload/-reexec; `scope` is user or global. */
export interface ServiceChange {
  op: Op;
  unit?: string;
  scope?: 'user' | 'global';
}
type Change = ServiceChange;
const DAEMON_OPS: readonly Op[] = ['daemon-reload', 'daemon-reexec'];
const BOOT_OPS: readonly Op[] = [...DAEMON_OPS, 'mask', 'unmask', 'enable', 'disable'];

const UNIT_NAME = /^[A-Za-z0-9@_.:\\-]+$/;

/** Parses `systemctl show` key=value output. */
export function parseShow(stdout: string): UnitState {
  const kv = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && !kv.has(line.slice(0, eq))) kv.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  return { systemctl: true, load: kv.get('LoadState'), active: kv.get('ActiveState'), unitFile: kv.get('UnitFileState') };
}

const running = (s: UnitState) => s.active === 'active' || s.active === 'activating' || s.active === 'reloading';
// `static`, `indirect`, `alias`... cannot be toggled and count as enabled, as systemctl is-enabled says.
const isEnabled = (s: UnitState) => s.unitFile !== undefined && !['disabled', 'masked', 'masked-runtime', ''].includes(s.unitFile);
const isMasked = (s: UnitState) => s.load === 'masked' || s.unitFile === 'masked' || s.unitFile === 'masked-runtime';

type Field = { key: string; before: unknown; after: unknown };

export function planService(args: Args, cur: UnitState): { changes: Op[]; fields: Field[]; failed?: string } {
  const name = args.name;
  const changes: Op[] = [];
  const fields: Field[] = [];
  const fail = (failed: string) => ({ changes: [], fields: [], failed });
  if (!cur.systemctl) return fail('systemctl not found: the service module manages systemd hosts only');
  if (args.daemon_reload) changes.push('daemon-reload');
  if (args.daemon_reexec) changes.push('daemon-reexec');
  if (name === undefined) {
    if (args.state || args.enabled !== undefined || args.masked !== undefined) return fail('name is required with state, enabled or masked');
    return { changes, fields };
  }
  if (args.scope === 'global' && args.state !== undefined) return fail('state cannot be used with scope global (there is no global manager to start units in)');
  // A masked unit is "not-found" only when it has no unit file at all; masking it is still allowed.
  if (cur.load === 'not-found' && !isMasked(cur) && (args.state !== undefined || args.enabled !== undefined || args.masked === false)) {
    return fail(`Could not find the requested service ${name}: host`);
  }
  const maskedAfter = args.masked ?? isMasked(cur);
  if (args.masked !== undefined && args.masked !== isMasked(cur)) {
    changes.push(args.masked ? 'mask' : 'unmask');
    fields.push({ key: 'masked', before: isMasked(cur), after: args.masked });
  }
  if (maskedAfter && args.enabled === true) return fail(`Unable to enable service ${name}: it is masked`);
  if (args.enabled !== undefined && args.enabled !== isEnabled(cur)) {
    if (!(maskedAfter && !args.enabled)) {
      changes.push(args.enabled ? 'enable' : 'disable');
      fields.push({ key: 'enabled', before: isEnabled(cur), after: args.enabled });
    }
  }
  if (maskedAfter && (args.state === 'started' || args.state === 'restarted' || args.state === 'reloaded') && !running(cur)) {
    return fail(`Unable to start service ${name}: Unit ${name}.service is masked.`);
  }
  const was = running(cur) ? 'started' : 'stopped';
  switch (args.state) {
    case 'started':
      if (!running(cur)) changes.push('start');
      break;
    case 'stopped':
      if (running(cur)) changes.push('stop');
      break;
    case 'restarted':
      changes.push(running(cur) ? 'restart' : 'start');
      break;
    case 'reloaded':
      // Reloading a stopped unit means starting it (Ansible does the same).
      changes.push(running(cur) ? 'reload' : 'start');
      break;
  }
  if (args.state && changes.some((c) => !BOOT_OPS.includes(c))) {
    fields.push({ key: 'state', before: was, after: args.state });
  }
  return { changes, fields };
}

const scopeFlag = (scope: Args['scope']) => (scope === 'user' ? ' --user' : scope === 'global' ? ' --global' : '');

export const SERVICE_RETURNS = {
  name: 'The unit.',
  state: 'Its state after the task.',
  enabled: 'Whether it starts at boot.',
  status: 'LoadState, ActiveState, UnitFileState as systemctl reports them.',
};

export const systemdService: Module<Args, UnitState, Change> = {
  meta: {
    name: 'systemd_service',
    aliases: ['systemd'],
    description: 'Start, stop, restart or reload a systemd unit, enable it at boot, mask it; daemon-reload/-reexec.',
    platforms: ['linux'],
    checkMode: 'full',
    example: 'systemd_service:\n  name: rdma-ndd\n  state: started\n  enabled: true\n  daemon_reload: true',
    returns: { ...SERVICE_RETURNS, masked: 'Whether the unit is masked.' },
  },
  schema,
  async read(ctx, args) {
    if (args.name !== undefined && (!UNIT_NAME.test(args.name) || args.name.startsWith('-'))) {
      throw new Error(`'${args.name}' is not a valid unit name`);
    }
    const probe = args.name
      ? `systemctl${scopeFlag(args.scope)} show --property=LoadState,ActiveState,UnitFileState ${shQuote(args.name)}`
      : 'true';
    const r = await ctx.run(`command -v systemctl >/dev/null 2>&1 || { echo '@no-systemctl'; exit 0; }\n${probe}`);
    if (r.stdout.includes('@no-systemctl')) return { systemctl: false };
    if (r.rc !== 0) throw new Error(`systemctl show ${args.name}: ${r.stderr.trim() || `exit code ${r.rc}`}`);
    return parseShow(r.stdout);
  },
  plan(args, cur) {
    const { changes, fields, failed } = planService(args, cur);
    if (failed) return { changes: [], failed };
    const result: Record<string, unknown> = {
      name: args.name,
      state: args.state ?? (running(cur) ? 'started' : 'stopped'),
      enabled: args.enabled ?? isEnabled(cur),
      status: { LoadState: cur.load, ActiveState: cur.active, UnitFileState: cur.unitFile },
      ...(args.masked !== undefined ? { masked: args.masked } : {}),
    };
    if (changes.length === 0) {
      const what = [running(cur) ? 'running' : 'stopped', isMasked(cur) ? 'masked' : isEnabled(cur) ? 'enabled' : 'not enabled'].join(' and ');
      return { changes: [], reason: `${args.name} is ${what}`, result };
    }
    const diff: DiffItem[] = fields.length > 0 ? [{ kind: 'fields', label: `service ${args.name}`, fields }] : [];
    const scope = args.scope === 'user' || args.scope === 'global' ? { scope: args.scope } : {};
    const planned = changes.map((op): Change => (DAEMON_OPS.includes(op) ? { op, ...scope } : { op, unit: args.name!, ...scope }));
    return { changes: planned, diff, reason: `${changes.join(', ')}${args.name ? ` ${args.name}` : ''}`, result };
  },
  async apply(ctx, plan) {
    const steps = plan.changes.map((c) => `systemctl${scopeFlag(c.scope)} ${c.op}${c.unit === undefined ? '' : ` ${shQuote(c.unit)}`}`);
    const r = await ctx.run(steps.map((s) => `${s} || exit $?`).join('\n'));
    const unit = plan.changes.find((c) => c.unit !== undefined)?.unit ?? '';
    if (r.rc !== 0) return { failed: `Unable to ${plan.changes.map((c) => c.op).join('/')} service ${unit}: ${r.stderr.trim()}` };
    // A bare daemon-reload/-reexec changes nothing a task can observe (Ansible reports it unchanged).
    const onlyReload = plan.changes.every((c) => DAEMON_OPS.includes(c.op));
    return { result: plan.result, ...(onlyReload ? { changed: false } : {}) };
  },
  // restarted/reloaded always act: after the act, "converged" means the unit runs (and is enabled as asked).
  verify(args, after) {
    const state = args.state === 'restarted' || args.state === 'reloaded' ? 'started' : args.state;
    return planService({ ...args, state, daemon_reload: false, daemon_reexec: false }, after).changes.map((op) => `systemctl ${op} ${args.name ?? ''} still needed`);
  },
};
