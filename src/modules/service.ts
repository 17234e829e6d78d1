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

type Change = 'daemon-reload' | 'enable' | 'disable' | 'start' | 'stop' | 'restart' | 'reload';

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

export function planService(args: Args, cur: UnitState): { changes: Change[]; fields: Field[]; failed?: string } {
  const name = args.name;
  const changes: Change[] = [];
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
      return { changes, reason: `${args.name} is ${what}`, result };
    }
    const diff: DiffItem[] = fields.length > 0 ? [{ kind: 'fields', label: `service ${args.name}`, fields }] : [];
    return { changes, diff, reason: `systemctl ${changes.join(', ')}`, result };
  },
  async apply(ctx, args, plan) {
    const unit = args.name ? shQuote(args.name) : '';
    const steps = plan.changes.map((c) => (c === 'daemon-reload' ? 'systemctl daemon-reload' : `systemctl ${c} ${unit}`));
    const r = await ctx.run(steps.map((s) => `${s} || exit $?`).join('\n'));
    if (r.rc !== 0) return { failed: `Unable to ${plan.changes.join('/')} service ${args.name ?? ''}: ${r.stderr.trim()}` };
    // A bare daemon-reload changes nothing a task can observe (Ansible reports it unchanged).
    const onlyReload = plan.changes.every((c) => c === 'daemon-reload');
    return { result: plan.result, ...(onlyReload ? { changed: false } : {}) };
  },
};
