// ServerManager's feature cmdlets over model/features.ts: Get-WindowsFeature, Install-WindowsFeature
// (alias Add-WindowsFeature) and Uninstall-WindowsFeature (alias Remove-WindowsFeature), with the result objects
// (Success, RestartNeeded, ExitCode, FeatureResult) and the unknown-name error of the real ones.

import { featureStates, findFeature, installFeatures, installSet, subFeatures, uninstallFeatures, type FeatureChange, type FeatureDef } from '../model/features.js';
import type { CmdletContext } from '../ps/cmdlet.js';
import { CmdletError, errorInfo } from '../ps/errors.js';
import { hasWildcard, wildcardToRegExp } from '../ps/operators.js';
import { enumerate, PsEnum, toStr, type PsValue } from '../ps/values.js';
import { typed, type Cmdlet, type Machine } from './machine.js';

const NS = 'Microsoft.Windows.ServerManager.Commands';
const INSTALL_STATE: Record<string, number> = { Available: 0, Installed: 1, InstallPending: 2, Removed: 3, UninstallPending: 4 };

function named(a: Record<string, PsValue>): FeatureDef[] {
  const defs: FeatureDef[] = [];
  for (const n of enumerate(a['Name'] ?? []).map(toStr)) {
    const d = findFeature(n);
    if (!d) {
      throw new CmdletError(errorInfo(`ArgumentNotValid: The role, role service, or feature name is not valid: '${n}'. The name was not found.`, 'InvalidArgument',
        'NameDoesNotExist', 'System.Exception', n), true);
    }
    defs.push(d);
  }
  return defs;
}

function result(changes: FeatureChange[]): PsValue {
  const restart = changes.some((c) => c.restartNeeded);
  const exit = changes.length === 0 ? ['NoChangeNeeded', 1003] as const : restart ? ['SuccessRestartRequired', 3010] as const : ['Success', 0] as const;
  const items = changes.map((c) => typed(`${NS}.FeatureResult`, [['DisplayName', c.def.displayName], ['Id', c.def.id], ['Message', ''], ['Name', c.def.name],
    ['RestartNeeded', c.restartNeeded], ['SkipReason', new PsEnum(`${NS}.SkipReason`, 'NotSkipped', 0)], ['Success', true]], c.def.displayName));
  return typed(`${NS}.FeatureOperationResult`, [['Success', true], ['RestartNeeded', new PsEnum(`${NS}.RestartState`, restart ? 'Yes' : 'No', restart ? 1 : 0)],
    ['FeatureResult', items], ['ExitCode', new PsEnum(`${NS}.FeatureOperationExitCode`, exit[0], exit[1])]]);
}

const changeParams = [{ name: 'Name', type: 'string[]' as const, position: 0, mandatory: true }, { name: 'IncludeManagementTools', type: 'switch' as const },
  { name: 'Restart', type: 'switch' as const }, { name: 'ComputerName', type: 'string' as const }, { name: 'LogPath', type: 'string' as const }];

function install(ctx: CmdletContext<Machine>, a: Record<string, PsValue>, command: string): void {
  const defs = installSet(named(a), a['IncludeAllSubFeature'] === true, a['IncludeManagementTools'] === true);
  const apply = ctx.shouldProcess(defs.map((d) => d.name).join(', '), command);
  ctx.write(result(installFeatures(ctx.machine.state, defs, apply)));
  if (apply && a['Restart'] === true && ctx.machine.state.pendingReboot) ctx.machine.reboot();
}

function uninstall(ctx: CmdletContext<Machine>, a: Record<string, PsValue>, command: string): void {
  const defs = named(a);
  const apply = ctx.shouldProcess(defs.map((d) => d.name).join(', '), command);
  ctx.write(result(uninstallFeatures(ctx.machine.state, defs, a['IncludeManagementTools'] === true, apply)));
  if (apply && a['Restart'] === true && ctx.machine.state.pendingReboot) ctx.machine.reboot();
}

const installCmdlet = (name: string, type: string): Cmdlet => ({
  name, module: 'ServerManager', commandType: `${NS}.${type}`, input: 'none', supportsShouldProcess: true,
  params: [...changeParams, { name: 'IncludeAllSubFeature', type: 'switch' }, { name: 'Source', type: 'string[]' }],
  run: (ctx, a) => install(ctx, a, 'Install-WindowsFeature'),
});
const uninstallCmdlet = (name: string, type: string): Cmdlet => ({
  name, module: 'ServerManager', commandType: `${NS}.${type}`, input: 'none', supportsShouldProcess: true,
  params: [...changeParams, { name: 'Remove', type: 'switch' }],
  run: (ctx, a) => uninstall(ctx, a, 'Uninstall-WindowsFeature'),
});

export const featureCmdlets: Cmdlet[] = [
  {
    name: 'Get-WindowsFeature', module: 'ServerManager', commandType: `${NS}.GetWindowsFeatureCommand`, input: 'none',
    params: [{ name: 'Name', type: 'string[]', position: 0 }, { name: 'ComputerName', type: 'string' }],
    run(ctx, a) {
      const st = featureStates(ctx.machine.state);
      const names = a['Name'] !== undefined ? enumerate(a['Name']).map(toStr) : ['*'];
      for (const d of [...new Set(names.flatMap((n) => (hasWildcard(n) ? [...Object.keys(st)].map(findFeature).filter((x) => x && wildcardToRegExp(n).test(x.name)) : [findFeature(n)])))]) {
        if (!d) continue;
        const s = st[d.name] ?? 'Available';
        ctx.write(typed(`${NS}.Feature`, [['Name', d.name], ['DisplayName', d.displayName], ['Installed', s === 'Installed'],
          ['InstallState', new PsEnum(`${NS}.InstallState`, s, INSTALL_STATE[s] ?? 0)], ['FeatureType', d.featureType], ['Id', d.id],
          ['Parent', d.parent ?? null], ['SubFeatures', subFeatures(d.name).map((x) => x.name)], ['Depth', d.parent ? 2 : 1]], `[${s === 'Installed' ? 'X' : ' '}] ${d.displayName}`));
      }
    },
  },
  installCmdlet('Install-WindowsFeature', 'AddWindowsFeatureCommand'),
  uninstallCmdlet('Uninstall-WindowsFeature', 'RemoveWindowsFeatureCommand'),
];
