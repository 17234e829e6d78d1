// win_feature: installs or removes Windows Server roles and features (ansible.windows.win_feature).
// What would change is asked of Server Manager itself (Install-/Uninstall-WindowsFeature -WhatIf),
// so sub-features, parents and management tools count exactly as the real install would handle
// them; a feature installed but waiting for a restart counts as installed, and reboot_required says
// that the host must restart (win_reboot) before the feature works.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { emitJson, q, requireWindows, runJson } from './lib/win-script.js';

const schema = Type.Object(
  {
    name: Type.Union([Type.String(), Type.Array(Type.String())], { description: 'The feature names (Get-WindowsFeature Name), a list or comma-separated.' }),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { description: 'present (default) or absent.' })),
    include_sub_features: Type.Optional(Type.Boolean({ description: 'Also install all sub-features (default false).' })),
    include_management_tools: Type.Optional(Type.Boolean({ description: 'Also install (or remove) the management tools of the features (default false).' })),
    source: Type.Optional(Type.String({ description: 'Where to find the feature files (-Source), for features removed from the image.' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export interface FeatureResult {
  display_name: string;
  id: number;
  message: string;
  reboot_required: boolean;
  restart_needed: boolean;
  skip_reason: string;
  success: boolean;
}

export interface FeatureFacts {
  /** Named features that Get-WindowsFeature does not know. */
  missing: string[];
  features: Array<{ name: string; display_name: string; install_state: string }>;
  /** What Server Manager would do (-WhatIf); empty when nothing is left to do. */
  would: Array<FeatureResult & { name: string }>;
  exitcode: string;
}

interface Change {
  present: boolean;
  names: string[];
  subFeatures: boolean;
  managementTools: boolean;
  source?: string;
}

export const featureNames = (name: Args['name']): string[] =>
  (Array.isArray(name) ? name : name.split(',')).map((n) => n.trim()).filter((n) => n !== '');

/** The Install-/Uninstall-WindowsFeature call of a change, and its results as JSON. */
export function featureScript(c: Change, whatIf: boolean): string {
  const cmd = c.present
    ? `Install-WindowsFeature -Name $names -IncludeAllSubFeature:$${c.subFeatures} -IncludeManagementTools:$${c.managementTools}${c.source ? ` -Source ${q(c.source)}` : ''}`
    : `Uninstall-WindowsFeature -Name $names -IncludeManagementTools:$${c.managementTools}`;
  return [
    `$op = ${cmd}${whatIf ? ' -WhatIf' : ''}`,
    '$results = @($op.FeatureResult | ForEach-Object { [ordered]@{ name = $_.Name; display_name = $_.DisplayName; id = [int]$_.Id; message = [string]$_.Message;',
    '  reboot_required = [bool]$_.RestartNeeded; restart_needed = [bool]$_.RestartNeeded; skip_reason = [string]$_.SkipReason; success = [bool]$_.Success } })',
  ].join('\n');
}

export function readFeatureScript(args: Args): string {
  const c = toChange(args, featureNames(args.name));
  return [
    "$ErrorActionPreference = 'Stop'",
    `$names = @(${featureNames(args.name).map(q).join(', ')})`,
    '$missing = @()',
    '$features = @()',
    'foreach ($n in $names) {',
    '  $f = Get-WindowsFeature -Name $n',
    '  if ($null -eq $f) { $missing += $n } else { $features += [ordered]@{ name = $f.Name; display_name = $f.DisplayName; install_state = [string]$f.InstallState } }',
    '}',
    '$results = @()',
    "$exit = 'NoChangeNeeded'",
    // -WhatIf changes nothing, and answers with what the real call would install or remove.
    `if ($missing.Count -eq 0) {\n${featureScript(c, true)}\n  $exit = [string]$op.ExitCode\n}`,
    '$out = [ordered]@{ missing = $missing; features = $features; would = $results; exitcode = $exit }',
    emitJson('$out'),
  ].join('\n');
}

function toChange(args: Args, names: string[]): Change {
  return {
    present: args.state !== 'absent',
    names,
    subFeatures: args.include_sub_features === true,
    managementTools: args.include_management_tools === true,
    ...(args.source ? { source: args.source } : {}),
  };
}

const shown = (r: FeatureResult): FeatureResult => ({ display_name: r.display_name, id: r.id, message: r.message, reboot_required: r.reboot_required, restart_needed: r.restart_needed, skip_reason: r.skip_reason, success: r.success });

export const winFeature: Module<Args, FeatureFacts, Change> = {
  meta: {
    name: 'win_feature',
    aliases: ['ansible.windows.win_feature'],
    description: 'Install or remove Windows Server roles and features (Hyper-V, Failover-Clustering, ...), with sub-features and management tools.',
    platforms: ['windows'],
    checkMode: 'full',
    example: 'win_feature:\n  name: Hyper-V\n  include_management_tools: true\nregister: hyperv\nnotify: reboot',
    notes: [
      'Windows Server only (Server Manager); client editions have no Get-WindowsFeature.',
      'A feature that needs a restart stays pending (InstallPending) until the host reboots: the task returns reboot_required and does not reboot; use win_reboot (e.g. as a handler).',
    ],
    returns: {
      exitcode: 'Server Manager exit code: Success, SuccessRestartRequired or NoChangeNeeded.',
      feature_result: 'One entry per feature installed or removed: display_name, id, message, reboot_required, restart_needed, skip_reason, success.',
      reboot_required: 'True when the host must restart to finish the change.',
      success: 'True when Server Manager succeeded.',
    },
  },
  schema,
  async read(ctx, args) {
    requireWindows(ctx, 'win_feature');
    return runJson<FeatureFacts>(ctx, readFeatureScript(args), `win_feature reading ${featureNames(args.name).join(', ')}`);
  },
  plan(args, cur) {
    const names = featureNames(args.name);
    if (!names.length) return { changes: [], failed: 'win_feature: name is empty' };
    if (cur.missing.length) return { changes: [], failed: `Failed to find feature(s) ${cur.missing.join(', ')}: Get-WindowsFeature does not know them` };
    const present = args.state !== 'absent';
    if (!cur.would.length) {
      const states = cur.features.map((f) => `${f.name} ${f.install_state}`).join(', ');
      return { changes: [], reason: `${states}: nothing to ${present ? 'install' : 'remove'}`, result: { exitcode: 'NoChangeNeeded', feature_result: [], reboot_required: false, success: true } };
    }
    const reboot = cur.would.some((r) => r.restart_needed);
    const after = present ? (reboot ? 'InstallPending' : 'Installed') : (reboot ? 'UninstallPending' : 'Available');
    return {
      changes: [toChange(args, names)],
      reason: `${present ? 'install' : 'remove'} ${cur.would.map((r) => r.name).join(', ')}${reboot ? ' (restart needed)' : ''}`,
      diff: [{ kind: 'fields', label: 'windows features', fields: cur.would.map((r) => ({ key: r.name, before: present ? 'Available' : 'Installed', after: r.restart_needed ? after : present ? 'Installed' : 'Available' })) }],
      result: { exitcode: cur.exitcode, feature_result: cur.would.map(shown), reboot_required: reboot, success: true },
    };
  },
  async apply(ctx, plan) {
    const c = plan.changes[0]!;
    const script = ["$ErrorActionPreference = 'Stop'", `$names = @(${c.names.map(q).join(', ')})`, featureScript(c, false),
      "$out = [ordered]@{ exitcode = [string]$op.ExitCode; success = [bool]$op.Success; reboot_required = ([string]$op.RestartNeeded -eq 'Yes'); feature_result = $results }",
      emitJson('$out')].join('\n');
    const r = await runJson<{ exitcode: string; success: boolean; reboot_required: boolean; feature_result: Array<FeatureResult & { name: string }> }>(
      ctx, script, `win_feature ${c.present ? 'installing' : 'removing'} ${c.names.join(', ')}`);
    const result = { exitcode: r.exitcode, success: r.success, reboot_required: r.reboot_required, feature_result: r.feature_result.map(shown) };
    if (!r.success) return { failed: `Failed to ${c.present ? 'install' : 'remove'} ${c.names.join(', ')}: exit code ${r.exitcode}`, result };
    return { result };
  },
};
