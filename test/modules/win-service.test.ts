// win_service plans (pure): start mode before state, restarts, disabled services, absent, and the
// scripts (sc.exe for start modes, -Force only when asked). On the lab host: test/e2e/windows-service.test.ts.
import { describe, expect, it } from 'vitest';
import { serviceScript, winService, type ServiceFacts } from '../../src/modules/win-service.js';
import { makePlanContext } from '../support/module-host.js';

const cur: ServiceFacts = { exists: true, name: 'W32Time', display_name: 'Windows Time', state: 'stopped', start_mode: 'disabled', dependencies: [], depended_by: [] };
const plan = (args: Record<string, unknown>, c: ServiceFacts = cur) => winService.plan({ name: 'W32Time', ...args } as never, c, makePlanContext());

describe('win_service plan', () => {
  it('sets the start mode before starting, and does nothing when settled', () => {
    expect(plan({ state: 'started', start_mode: 'delayed' }).changes).toEqual([
      { op: 'start_mode', name: 'W32Time', mode: 'delayed' },
      { op: 'start', name: 'W32Time', force: false },
    ]);
    expect(plan({ state: 'stopped', start_mode: 'disabled' }).changes).toEqual([]);
    expect(plan({ state: 'restarted' }, { ...cur, state: 'running', start_mode: 'auto' }).changes).toEqual([{ op: 'restart', name: 'W32Time', force: false }]);
  });

  it('fails for a disabled service to start and for a missing one, and deletes when absent', () => {
    expect(plan({ state: 'started' }).failed).toMatch(/start mode is disabled/);
    expect(plan({ state: 'started' }, { exists: false }).failed).toBe("Service 'W32Time' is not installed (creating services is not supported)");
    expect(plan({}, { exists: false })).toMatchObject({ changes: [], result: { exists: false } });
    expect(plan({ state: 'absent', force_dependent_services: true }).changes).toEqual([{ op: 'delete', name: 'W32Time', force: true }]);
  });

  it('writes the sc.exe start values and quotes names', () => {
    expect(serviceScript({ op: 'start_mode', name: 'W32Time', mode: 'manual' })).toContain("sc.exe config 'W32Time' start= demand");
    expect(serviceScript({ op: 'stop', name: "a'b", force: true })).toContain("Stop-Service -Name 'a''b' -Force");
  });
});
