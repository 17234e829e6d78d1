// Server Manager roles and features of the lab host, for the few the modules deal with: Hyper-V,
// Failover Clustering and their management tools. Installing a child installs its parents; removing
// a parent removes its children. Hyper-V (both ways) and the removal of Failover Clustering only
// take effect at the next boot (InstallPending / UninstallPending, the host's pendingReboot); at
// boot Hyper-V's state decides whether the Hyper-V cmdlets and vmms exist.

import { defaultServices, services } from './services.js';
import type { LabState } from './state.js';

export type InstallState = 'Installed' | 'Available' | 'InstallPending' | 'UninstallPending';

export interface FeatureDef {
  name: string;
  displayName: string;
  featureType: 'Role' | 'Role Service' | 'Feature';
  /** Lab ids (stable, not Windows' numbering). */
  id: number;
  parent?: string;
  managementTools: string[];
  restartOnInstall: boolean;
  restartOnUninstall: boolean;
}

const f = (name: string, displayName: string, featureType: FeatureDef['featureType'], id: number, extra: Partial<FeatureDef> = {}): FeatureDef => ({
  name, displayName, featureType, id, managementTools: [], restartOnInstall: false, restartOnUninstall: false, ...extra,
});

export const FEATURES: FeatureDef[] = [
  f('Hyper-V', 'Hyper-V', 'Role', 20, { managementTools: ['RSAT-Hyper-V-Tools', 'Hyper-V-Tools', 'Hyper-V-PowerShell'], restartOnInstall: true, restartOnUninstall: true }),
  f('Failover-Clustering', 'Failover Clustering', 'Feature', 104, { managementTools: ['RSAT-Clustering', 'RSAT-Clustering-PowerShell'], restartOnUninstall: true }),
  f('RSAT-Hyper-V-Tools', 'Hyper-V Management Tools', 'Feature', 463),
  f('Hyper-V-Tools', 'Hyper-V GUI Management Tools', 'Feature', 466, { parent: 'RSAT-Hyper-V-Tools' }),
  f('Hyper-V-PowerShell', 'Hyper-V Module for Windows PowerShell', 'Feature', 467, { parent: 'RSAT-Hyper-V-Tools' }),
  f('RSAT-Clustering', 'Failover Clustering Tools', 'Feature', 67),
  f('RSAT-Clustering-Mgmt', 'Failover Cluster Management Tools', 'Feature', 68, { parent: 'RSAT-Clustering' }),
  f('RSAT-Clustering-PowerShell', 'Failover Cluster Module for Windows PowerShell', 'Feature', 69, { parent: 'RSAT-Clustering' }),
];

export const findFeature = (name: string): FeatureDef | undefined => FEATURES.find((x) => x.name.toLowerCase() === name.toLowerCase());
export const subFeatures = (name: string): FeatureDef[] => FEATURES.filter((x) => x.parent === name);

/**
 * Feature states; hosts whose state predates features get them from hyperv.enabled and cluster. The
 * derived states are stored only by a change (`keep`), so that reading leaves the state file as it was.
 */
export function featureStates(s: LabState, keep = false): Record<string, InstallState> {
  if (s.features) return s.features;
  const hv = s.hyperv.enabled ? 'Installed' : 'Available';
  const cl = s.cluster ? 'Installed' : 'Available';
  const st = Object.fromEntries(FEATURES.map((x) => [x.name, /hyper-v/i.test(x.name) ? hv : /clustering/i.test(x.name) ? cl : 'Available'])) as Record<string, InstallState>;
  if (keep) s.features = st;
  return st;
}

export const isInstalled = (st: InstallState | undefined): boolean => st === 'Installed' || st === 'InstallPending';

export interface FeatureChange {
  def: FeatureDef;
  restartNeeded: boolean;
}

/** The features an install touches (the named ones, their parents, and optionally sub-features and tools), in order. */
export function installSet(names: FeatureDef[], subs: boolean, tools: boolean): FeatureDef[] {
  const out: FeatureDef[] = [];
  const add = (d: FeatureDef, withSubs: boolean): void => {
    if (d.parent) add(findFeature(d.parent)!, false);
    if (!out.includes(d)) out.push(d);
    if (withSubs) for (const c of subFeatures(d.name)) add(c, true);
  };
  for (const d of names) {
    add(d, subs);
    if (tools) for (const t of d.managementTools) add(findFeature(t)!, false);
  }
  return out;
}

export function installFeatures(s: LabState, defs: FeatureDef[], apply: boolean): FeatureChange[] {
  const st = featureStates(s, apply);
  const changes: FeatureChange[] = [];
  for (const d of defs) {
    if (isInstalled(st[d.name])) continue;
    // Removal not yet done by a reboot: installing again just cancels it.
    const restartNeeded = st[d.name] !== 'UninstallPending' && d.restartOnInstall;
    changes.push({ def: d, restartNeeded });
    if (apply) st[d.name] = restartNeeded ? 'InstallPending' : 'Installed';
  }
  if (apply && changes.some((c) => c.restartNeeded)) s.pendingReboot = true;
  return changes;
}

/** Removes the features and their children (and with `tools` their management tools). */
export function uninstallFeatures(s: LabState, names: FeatureDef[], tools: boolean, apply: boolean): FeatureChange[] {
  const st = featureStates(s, apply);
  const set: FeatureDef[] = [];
  const add = (d: FeatureDef): void => {
    for (const c of subFeatures(d.name)) add(c);
    if (!set.includes(d)) set.push(d);
  };
  for (const d of names) {
    add(d);
    if (tools) for (const t of d.managementTools) add(findFeature(t)!);
  }
  const changes: FeatureChange[] = [];
  for (const d of set) {
    if (!isInstalled(st[d.name])) continue;
    const restartNeeded = st[d.name] !== 'InstallPending' && d.restartOnUninstall;
    changes.push({ def: d, restartNeeded });
    if (apply) st[d.name] = restartNeeded ? 'UninstallPending' : 'Available';
  }
  if (apply && changes.some((c) => c.restartNeeded)) s.pendingReboot = true;
  return changes;
}

/** What a boot does to features: pending changes complete, and Hyper-V's state turns the hypervisor on or off. */
export function bootFeatures(s: LabState): void {
  const st = featureStates(s, true);
  for (const [name, v] of Object.entries(st)) {
    if (v === 'InstallPending') st[name] = 'Installed';
    if (v === 'UninstallPending') st[name] = 'Available';
  }
  const hv = st['Hyper-V'] === 'Installed';
  if (hv !== s.hyperv.enabled) {
    s.hyperv.enabled = hv;
    const list = services(s).filter((x) => x.name !== 'vmms');
    if (hv) list.push(...defaultServices({ hyperv: s.hyperv, cluster: null }).filter((x) => x.name === 'vmms'));
    s.services = list;
  }
}
