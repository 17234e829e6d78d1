// win_file and win_stat plans (pure): what each state does from each current kind, and the stat
// dictionary passed through. Running them on the lab host is test/e2e/windows-files.test.ts.
import { describe, expect, it } from 'vitest';
import { winFile, winFileScript } from '../../src/modules/win-file.js';
import { winStat, winStatScript } from '../../src/modules/win-stat.js';
import { makePlanContext } from '../support/module-host.js';

const at = (type?: 'file' | 'directory') => ({ path: 'C:\\x', stat: type ? { exists: true, type } : { exists: false } });
const plan = (state: 'file' | 'directory' | 'absent' | 'touch' | undefined, type?: 'file' | 'directory') =>
  winFile.plan({ path: 'C:\\x', ...(state ? { state } : {}) }, at(type), makePlanContext());

describe('win_file plan', () => {
  it('creates, removes and touches only when needed', () => {
    expect(plan('directory').changes).toEqual([{ path: 'C:\\x', op: 'mkdir' }]);
    expect(plan('directory', 'directory').changes).toEqual([]);
    expect(plan('absent', 'directory')).toMatchObject({ changes: [{ op: 'remove' }], reason: 'remove C:\\x and everything below it' });
    expect(plan('absent').changes).toEqual([]);
    expect(plan('touch').changes).toEqual([{ path: 'C:\\x', op: 'create' }]);
    expect(plan('touch', 'file').changes).toEqual([{ path: 'C:\\x', op: 'touch' }]);
    expect(plan(undefined, 'directory').changes).toEqual([]);
  });

  it('fails as Ansible does for state file and for a file where a directory should be', () => {
    expect(plan('file').failed).toBe('path C:\\x will not be created');
    expect(plan('file', 'directory').failed).toBe('path C:\\x exists but is a directory');
    expect(plan('directory', 'file').failed).toBe('path C:\\x exists but is not a directory');
    expect(plan(undefined).failed).toBe('path C:\\x will not be created');
  });

  it('quotes the path in its scripts', () => {
    expect(winFileScript({ path: "C:\\it's", op: 'remove' })).toContain("Remove-Item -LiteralPath 'C:\\it''s' -Recurse -Force");
  });
});

describe('win_stat plan', () => {
  it('registers what read found, never changes', () => {
    const p = winStat.plan({ name: 'C:\\a' }, { exists: true, isdir: false }, makePlanContext());
    expect(p).toMatchObject({ changes: [], reason: 'C:\\a exists', result: { stat: { exists: true, isdir: false } } });
    expect(winStatScript('C:\\a', 'sha256', false)).toContain('-Algorithm SHA256');
    expect(winStatScript('C:\\a', false, false)).not.toContain('Get-FileHash');
  });
});
