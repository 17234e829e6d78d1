// win_feature plans (pure): names as a list or comma-separated, nothing to do when Server Manager
// would change nothing, unknown names, and the predicted restart. On the lab host:
// test/e2e/windows-feature.test.ts.
import { describe, expect, it } from 'vitest';
import { featureNames, featureScript, winFeature, type FeatureFacts } from '../../src/modules/win-feature.js';
import { makePlanContext } from '../support/module-host.js';

const hv = { name: 'Hyper-V', display_name: 'Hyper-V', id: 20, message: '', reboot_required: true, restart_needed: true, skip_reason: 'NotSkipped', success: true };
const cur = (would: FeatureFacts['would'], missing: string[] = []): FeatureFacts => ({ missing, features: [{ name: 'Hyper-V', display_name: 'Hyper-V', install_state: 'Available' }], would, exitcode: would.length ? 'SuccessRestartRequired' : 'NoChangeNeeded' });
const plan = (args: Record<string, unknown>, c: FeatureFacts) => winFeature.plan({ name: 'Hyper-V', ...args } as never, c, makePlanContext());

describe('win_feature plan', () => {
  it('splits names and installs what Server Manager would install, predicting the restart', () => {
    expect(featureNames(' Hyper-V, Failover-Clustering ,')).toEqual(['Hyper-V', 'Failover-Clustering']);
    const p = plan({ include_management_tools: true }, cur([hv]));
    expect(p.changes).toEqual([{ present: true, names: ['Hyper-V'], subFeatures: false, managementTools: true }]);
    expect(p.result).toMatchObject({ reboot_required: true, exitcode: 'SuccessRestartRequired', feature_result: [{ display_name: 'Hyper-V', reboot_required: true }] });
    expect(p.diff).toEqual([{ kind: 'fields', label: 'windows features', fields: [{ key: 'Hyper-V', before: 'Available', after: 'InstallPending' }] }]);
  });

  it('does nothing when nothing would change, and fails on unknown names', () => {
    expect(plan({}, cur([]))).toMatchObject({ changes: [], result: { reboot_required: false, exitcode: 'NoChangeNeeded' } });
    expect(plan({ name: ['Hyper-V', 'Nope'] }, cur([], ['Nope'])).failed).toMatch(/^Failed to find feature\(s\) Nope/);
  });

  it('removes with Uninstall-WindowsFeature, never with sub-feature flags', () => {
    const s = featureScript({ present: false, names: ['Hyper-V'], subFeatures: true, managementTools: true }, false);
    expect(s).toContain('Uninstall-WindowsFeature -Name $names -IncludeManagementTools:$true');
    expect(s).not.toContain('IncludeAllSubFeature');
    expect(featureScript({ present: true, names: ['X'], subFeatures: true, managementTools: false, source: "D:\\sx's" }, true)).toContain("-IncludeAllSubFeature:$true -IncludeManagementTools:$false -Source 'D:\\sx''s' -WhatIf");
  });
});
