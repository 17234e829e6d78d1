// service (alias systemd): a systemd unit's run state and boot enablement. The state comes from one
// `systemctl show`; restarted/reloaded always act (that is what they mean), the rest only on change.
import Type, { type Static } from 'typebox';
import type { DiffItem, Module } from '../engine/contract/module.js';
import { shQuote } from '../engine/connection/quote.js';

const schema = Type.Object(
  {
    name: Type.Optional(Type.String({ description: "Unit name ('.service' may be left out)." })),
    state: Type.Optional(
      Type.Union([Type.Literal('started'), Type.Literal('stopped'), Type.Literal('restarted'), Type.Literal('reloaded')], {
        description: 'started/stopped only act when needed; restarted/reloaded always act.',
      }),
    ),
    enabled: Type.Optional(Type.Boolean({ description: 'Start at boot.' })),
    daemon_reload: Type.Optional(Type.Boolean({ description: 'Run systemctl daemon-reload first (after editing unit files).' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export interface UnitState {
  systemctl: boolean;
  load?: string;
  active?: string;
  unitFile?: string;
}

type Op = 'daemon-reload' | 'enable' | 'disable' | 'start' | 'stop' | 'restart' | 'reload';
/** One systemctl call; `unit` is absent for daemon-reload. */
interface Change {
  op: Op;
  unit?: string;
}

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

type Field = { key: string; before: unknown; after: unknown };

export function planService(args: Args, cur: UnitState): { changes: Op[]; fields: Field[]; failed?: string } {
  const name = args.name;
  const changes: Op[] = [];
  const fields: Field[] = [];
  const fail = (failed: string) => ({ changes: [], fields: [], failed });
  if (!cur.systemctl) return fail('systemctl not found: the service module manages systemd hosts only');
  if (args.daemon_reload) changes.push('daemon-reload');
  if (name === undefined) {
    if (args.state || args.enabled !== undefined) return fail('name is required with state or enabled');
    return { changes, fields };
  }
  if (cur.load === 'not-found' && (args.state !== undefined || args.enabled !== undefined)) {
    return fail(`Could not find the requested service ${name}: host`);
  }
  if (args.enabled !== undefined && args.enabled !== isEnabled(cur)) {
    if (cur.unitFile?.startsWith('masked') && args.enabled) return fail(`Unable to enable service ${name}: it is masked`);
    changes.push(args.enabled ? 'enable' : 'disable');
    fields.push({ key: 'enabled', before: isEnabled(cur), after: args.enabled });
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
  if (args.state && changes.some((c) => c !== 'daemon-reload' && c !== 'enable' && c !== 'disable')) {
    fields.push({ key: 'state', before: was, after: args.state });
  }
  return { changes, fields };
}

export const service: Module<Args, UnitState, Change> = {
  meta: {
    name: 'service',
    aliases: ['systemd', 'systemd_service'],
    description: 'Start, stop, restart or reload a systemd unit and enable it at boot.',
    platforms: ['linux'],
    checkMode: 'full',
    example: 'service:\n  name: walinuxagent\n  state: restarted',
    returns: {
      name: 'The unit.',
      state: 'Its state after the task.',
      enabled: 'Whether it starts at boot.',
      status: 'LoadState, ActiveState, UnitFileState as systemctl reports them.',
    },
  },
  schema,
  async read(ctx, args) {
    if (args.name !== undefined && (!UNIT_NAME.test(args.name) || args.name.startsWith('-'))) {
      throw new Error(`'${args.name}' is not a valid unit name`);
    }
    const probe = args.name
      ? `systemctl show --property=LoadState,ActiveState,UnitFileState ${shQuote(args.name)}`
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
    };
    if (changes.length === 0) {
      const what = [running(cur) ? 'running' : 'stopped', isEnabled(cur) ? 'enabled' : 'not enabled'].join(' and ');
      return { changes: [], reason: `${args.name} is ${what}`, result };
    }
    const diff: DiffItem[] = fields.length > 0 ? [{ kind: 'fields', label: `service ${args.name}`, fields }] : [];
    const planned = changes.map((op): Change => (op === 'daemon-reload' ? { op } : { op, unit: args.name! }));
    return { changes: planned, diff, reason: `${changes.join(', ')}${args.name ? ` ${args.name}` : ''}`, result };
  },
  async apply(ctx, plan) {
    const steps = plan.changes.map((c) => (c.unit === undefined ? `systemctl ${c.op}` : `systemctl ${c.op} ${shQuote(c.unit)}`));
    const r = await ctx.run(steps.map((s) => `${s} || exit $?`).join('\n'));
    const unit = plan.changes.find((c) => c.unit !== undefined)?.unit ?? '';
    if (r.rc !== 0) return { failed: `Unable to ${plan.changes.map((c) => c.op).join('/')} service ${unit}: ${r.stderr.trim()}` };
    // A bare daemon-reload changes nothing a task can observe (Ansible reports it unchanged).
    const onlyReload = plan.changes.every((c) => c.op === 'daemon-reload');
    return { result: plan.result, ...(onlyReload ? { changed: false } : {}) };
  },
  // restarted/reloaded always act: after the act, "converged" means the unit runs (and is enabled as asked).
  verify(args, after) {
    const state = args.state === 'restarted' || args.state === 'reloaded' ? 'started' : args.state;
    return planService({ ...args, state, daemon_reload: false }, after).changes.map((op) => `systemctl ${op} ${args.name ?? ''} still needed`);
  },
};
