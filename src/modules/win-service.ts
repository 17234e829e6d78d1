// win_service: makes a Windows service started, stopped, restarted or absent, with a start mode of
// auto, manual, disabled or delayed (ansible.windows.win_service). Its dependencies are reported,
// not changed. The start mode is set first, so a disabled service can be enabled and started in one
// task; a service with running dependents stops only with force_dependent_services.
import Type, { type Static } from 'typebox';
import type { DiffItem, Module } from '../engine/contract/module.js';
import { emitJson, q, requireWindows, runAction, runJson } from './lib/win-script.js';

const MODES = ['auto', 'manual', 'disabled', 'delayed'] as const;
type Mode = (typeof MODES)[number];
const SC_START: Record<Mode, string> = { auto: 'auto', manual: 'demand', disabled: 'disabled', delayed: 'delayed-auto' };

const schema = Type.Object(
  {
    name: Type.String({ description: 'The service name (or display name).' }),
    state: Type.Optional(Type.Union([Type.Literal('started'), Type.Literal('stopped'), Type.Literal('restarted'), Type.Literal('absent')], { description: 'started, stopped, restarted (always restarts), or absent (stopped and deleted).' })),
    start_mode: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('manual'), Type.Literal('disabled'), Type.Literal('delayed')], { description: 'auto, manual, disabled, or delayed (automatic, delayed start).' })),
    force_dependent_services: Type.Optional(Type.Boolean({ description: 'Stop the services that depend on this one when stopping or restarting it (default false: fail instead).' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export type ServiceFacts = {
  exists: boolean;
  name?: string;
  display_name?: string;
  description?: string;
  state?: string;
  start_mode?: Mode;
  path?: string;
  username?: string;
  dependencies?: string[];
  depended_by?: string[];
  can_pause_and_continue?: boolean;
};

type Change = { op: 'start_mode'; name: string; mode: Mode } | { op: 'start' | 'stop' | 'restart' | 'delete'; name: string; force: boolean };

export function readServiceScript(name: string): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    `$n = ${q(name)}`,
    '$svc = Get-Service -Name $n -ErrorAction SilentlyContinue',
    '$r = [ordered]@{ exists = $false }',
    'if ($null -ne $svc) {',
    '  $w = Get-CimInstance -ClassName Win32_Service | Where-Object { $_.Name -eq $svc.Name }',
    "  $mode = if ($w.StartMode -eq 'Auto') { if ($w.DelayedAutoStart) { 'delayed' } else { 'auto' } } elseif ($w.StartMode -eq 'Manual') { 'manual' } else { 'disabled' }",
    '  $r.exists = $true',
    '  $r.name = $svc.Name',
    '  $r.display_name = $svc.DisplayName',
    '  $r.description = [string]$w.Description',
    '  $r.state = ([string]$svc.Status).ToLower()',
    '  $r.start_mode = $mode',
    '  $r.path = [string]$w.PathName',
    '  $r.username = [string]$w.StartName',
    '  $r.dependencies = @($svc.ServicesDependedOn | ForEach-Object { $_.Name })',
    '  $r.depended_by = @($svc.DependentServices | ForEach-Object { $_.Name })',
    '  $r.can_pause_and_continue = [bool]$svc.CanPauseAndContinue',
    '}',
    emitJson('$r'),
  ].join('\n');
}

export function serviceScript(c: Change): string {
  const n = q(c.name);
  const lines = ["$ErrorActionPreference = 'Stop'"];
  switch (c.op) {
    case 'start_mode':
      // sc.exe rather than Set-Service: Windows PowerShell 5.1's Set-Service cannot set a delayed start.
      lines.push(`$out = sc.exe config ${n} start= ${SC_START[c.mode]}`, 'if ($LASTEXITCODE -ne 0) { throw ("sc.exe config failed ({0}): {1}" -f $LASTEXITCODE, ($out -join " ").Trim()) }');
      break;
    case 'start':
      lines.push(`Start-Service -Name ${n}`);
      break;
    case 'stop':
      lines.push(`Stop-Service -Name ${n}${c.force ? ' -Force' : ''}`);
      break;
    case 'restart':
      lines.push(`Restart-Service -Name ${n}${c.force ? ' -Force' : ''}`);
      break;
    case 'delete':
      lines.push(`if ((Get-Service -Name ${n}).Status -ne 'Stopped') { Stop-Service -Name ${n}${c.force ? ' -Force' : ''} }`,
        `$out = sc.exe delete ${n}`, 'if ($LASTEXITCODE -ne 0) { throw ("sc.exe delete failed ({0}): {1}" -f $LASTEXITCODE, ($out -join " ").Trim()) }');
      break;
  }
  return lines.join('\n');
}

export const winService: Module<Args, ServiceFacts, Change> = {
  meta: {
    name: 'win_service',
    aliases: ['ansible.windows.win_service'],
    description: 'Make a Windows service started, stopped, restarted or absent, and set its start mode (auto, manual, disabled, delayed).',
    platforms: ['windows'],
    checkMode: 'full',
    example: 'win_service:\n  name: vmms\n  state: started\n  start_mode: auto',
    notes: ['Creating a service (path, username, password) and changing its dependencies are not supported; dependencies and depended_by are reported.'],
    returns: {
      exists: 'Whether the service exists (after the task).',
      name: 'The service name.',
      display_name: 'The display name.',
      state: 'running or stopped.',
      start_mode: 'auto, manual, disabled or delayed.',
      path: 'The service binary and its arguments.',
      username: 'The account the service runs as.',
      description: 'The description.',
      dependencies: 'The services it depends on.',
      depended_by: 'The services that depend on it.',
      can_pause_and_continue: 'Whether it can be paused.',
    },
  },
  schema,
  async read(ctx, args) {
    requireWindows(ctx, 'win_service');
    return runJson<ServiceFacts>(ctx, readServiceScript(args.name), `win_service reading ${args.name}`);
  },
  plan(args, cur) {
    const force = args.force_dependent_services === true;
    if (!cur.exists) {
      if (args.state === 'absent' || (args.state === undefined && args.start_mode === undefined)) return { changes: [], reason: `service ${args.name} does not exist`, result: { exists: false } };
      return { changes: [], failed: `Service '${args.name}' is not installed (creating services is not supported)`, result: { exists: false } };
    }
    const name = cur.name!;
    const changes: Change[] = [];
    const fields: Array<{ key: string; before: unknown; after: unknown }> = [];
    const after: ServiceFacts = { ...cur };
    if (args.state === 'absent') {
      return {
        changes: [{ op: 'delete', name, force }], reason: `stop and delete service ${name}`, result: { exists: false },
        diff: [{ kind: 'fields', label: `service ${name}`, fields: [{ key: 'exists', before: true, after: false }] }],
      };
    }
    if (args.start_mode !== undefined && args.start_mode !== cur.start_mode) {
      changes.push({ op: 'start_mode', name, mode: args.start_mode });
      fields.push({ key: 'start_mode', before: cur.start_mode, after: args.start_mode });
      after.start_mode = args.start_mode;
    }
    const mode = after.start_mode;
    if ((args.state === 'started' || args.state === 'restarted') && mode === 'disabled') {
      return { changes: [], failed: `Service '${cur.display_name} (${name})' cannot be started: its start mode is disabled (set start_mode)`, result: cur };
    }
    if (args.state === 'started' && cur.state !== 'running') changes.push({ op: 'start', name, force });
    if (args.state === 'stopped' && cur.state !== 'stopped') changes.push({ op: 'stop', name, force });
    if (args.state === 'restarted') changes.push({ op: cur.state === 'running' ? 'restart' : 'start', name, force });
    const wantState = args.state === 'started' || args.state === 'restarted' ? 'running' : args.state === 'stopped' ? 'stopped' : cur.state;
    if (wantState !== cur.state) fields.push({ key: 'state', before: cur.state, after: wantState });
    if (args.state === 'restarted' && cur.state === 'running') fields.push({ key: 'state', before: 'running', after: 'restarted' });
    after.state = wantState;
    if (!changes.length) return { changes, reason: `service ${name} is ${cur.state}${cur.start_mode ? `, start mode ${cur.start_mode}` : ''}`, result: cur };
    const diff: DiffItem[] = [{ kind: 'fields', label: `service ${name}`, fields }];
    return { changes, diff, result: after, reason: changes.map((c) => (c.op === 'start_mode' ? `set start mode ${c.mode}` : `${c.op} ${name}`)).join(', ') };
  },
  async apply(ctx, plan) {
    for (const c of plan.changes) {
      const r = await runAction(ctx, serviceScript(c));
      if (r.error) return { failed: `win_service ${c.name}: ${r.error}` };
    }
    return { result: plan.result };
  },
  verify(args, after) {
    // restarted always acts; afterwards the service must be running.
    const problems: string[] = [];
    if (args.state === 'absent') return after.exists ? [`service ${args.name} still exists`] : [];
    if (args.start_mode && after.start_mode !== args.start_mode) problems.push(`start mode is ${after.start_mode}, not ${args.start_mode}`);
    const want = args.state === 'stopped' ? 'stopped' : args.state ? 'running' : undefined;
    if (want && after.state !== want) problems.push(`service is ${after.state}, not ${want}`);
    return problems;
  },
};
