// win_regedit's data normalization and plans (pure). Running it on the lab host is
// test/e2e/windows-regedit.test.ts; the lab's registry cmdlets are tested in packages/lab.
import { describe, expect, it } from 'vitest';
import { normalizeData, regeditScript, regPath, winRegedit } from '../../src/modules/win-regedit.js';
import { makePlanContext } from '../support/module-host.js';

describe('win_regedit data', () => {
  it('normalizes each kind as the registry returns it', () => {
    expect(normalizeData('dword', '0xffffffff')).toBe(-1);
    expect(normalizeData('dword', 16)).toBe(16);
    expect(normalizeData('qword', '0x10')).toBe(16);
    expect(normalizeData('binary', 'hex:be,EF')).toEqual([0xbe, 0xef]);
    expect(normalizeData('binary', [1, 2])).toEqual([1, 2]);
    expect(normalizeData('multistring', 'one')).toEqual(['one']);
    expect(normalizeData('string', 4)).toBe('4');
    expect(() => normalizeData('dword', 2 ** 33)).toThrow('does not fit a dword');
    expect(() => normalizeData('binary', 'zz')).toThrow('is not a byte');
    expect(regPath('HKEY_LOCAL_MACHINE\\SOFTWARE\\X')).toBe('HKLM:\\SOFTWARE\\X');
  });

  it('plans creation, no-ops, kind changes and removals', () => {
    const plan = (args: Record<string, unknown>, cur: Record<string, unknown>) => winRegedit.plan(args as never, { path: 'HKLM:\\K', key: true, exists: false, ...cur } as never, makePlanContext());
    expect(plan({ path: 'HKLM:\\K', name: 'N', data: 1, type: 'dword' }, { name: 'N' })).toMatchObject({ changes: [{ op: 'set', type: 'dword', data: 1 }], result: { data_changed: true, data_type_changed: false } });
    expect(plan({ path: 'HKLM:\\K', name: 'N', data: 1, type: 'dword' }, { name: 'N', exists: true, type: 'DWord', data: 1 }).changes).toEqual([]);
    expect(plan({ path: 'HKLM:\\K', name: 'N', data: 1 }, { name: 'N', exists: true, type: 'DWord', data: 1 }).result).toEqual({ data_changed: true, data_type_changed: true });
    expect(plan({ path: 'HKLM:\\K', state: 'absent' }, {}).changes).toEqual([{ op: 'remove-key', path: 'HKLM:\\K' }]);
    expect(plan({ path: 'HKLM:\\K', state: 'absent', delete_key: false }, {}).changes).toEqual([]);
    expect(plan({ path: 'HKLM:\\K', name: 'N', state: 'absent' }, { name: 'N' }).changes).toEqual([]);
  });

  it('writes typed literals', () => {
    expect(regeditScript({ op: 'set', path: 'HKLM:\\K', name: "it's", type: 'multistring', data: ['a', 'b'] })).toContain("-Name 'it''s' -Value ([string[]]@('a', 'b')) -PropertyType MultiString -Force");
    expect(regeditScript({ op: 'set', path: 'HKLM:\\K', name: 'B', type: 'binary', data: [1, 255] })).toContain('([byte[]]@(1, 255)) -PropertyType Binary');
  });
});
