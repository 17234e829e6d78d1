// win_copy / win_template plans (pure): checksum idempotence, force, directories, missing parents,
// and win_template's line endings. Running them on the lab host is test/e2e/windows-copy.test.ts.
import { describe, expect, it } from 'vitest';
import { winCopy } from '../../src/modules/win-copy.js';
import { winTemplate, withNewlines } from '../../src/modules/win-template.js';
import type { WinDestCurrent } from '../../src/modules/lib/win-dest.js';
import { sha1 } from '../../src/modules/lib/content.js';
import { makePlanContext } from '../support/module-host.js';

const want = Buffer.from('new\r\n');
const cur = (o: Partial<WinDestCurrent>): WinDestCurrent => ({ dest: 'C:\\a.txt', desired: want, kind: 'absent', ...o });

describe('win_copy plan', () => {
  it('writes when absent or different, not when the checksum matches', () => {
    const p = winCopy.plan({ content: 'new\r\n', dest: 'C:\\a.txt' }, cur({}), makePlanContext());
    expect(p.changes).toEqual([{ path: 'C:\\a.txt', data: want, backup: false }]);
    expect(p.diff).toEqual([{ kind: 'text', path: 'C:\\a.txt', before: '', after: 'new\r\n' }]);
    expect(winCopy.plan({ content: 'x', dest: 'C:\\a.txt' }, cur({ kind: 'file', checksum: sha1(want) }), makePlanContext()).changes).toEqual([]);
    const replace = winCopy.plan({ src: 'a.txt', dest: 'C:\\a.txt', backup: true }, cur({ kind: 'file', checksum: 'old', data: Buffer.from('old') }), makePlanContext());
    expect(replace).toMatchObject({ changes: [{ backup: true }], result: { original_basename: 'a.txt', checksum: sha1(want) } });
  });

  it('leaves a different file alone with force: false, and refuses a directory or an unknown parent', () => {
    expect(winCopy.plan({ content: 'x', dest: 'C:\\a.txt', force: false }, cur({ kind: 'file', checksum: 'old' }), makePlanContext()).changes).toEqual([]);
    expect(winCopy.plan({ content: 'x', dest: 'C:\\d' }, cur({ kind: 'directory', dest: 'C:\\d' }), makePlanContext()).failed).toMatch(/it is a directory/);
    expect(winCopy.plan({ content: 'x', dest: 'C:\\n\\a' }, cur({ error: "Destination directory 'C:\\n' does not exist" }), makePlanContext()).failed).toContain('C:\\n');
  });
});

describe('win_template', () => {
  it('ends lines in CRLF by default, or as newline_sequence says', () => {
    expect(withNewlines('a\nb\r\nc')).toBe('a\r\nb\r\nc');
    expect(withNewlines('a\r\nb', '\\n')).toBe('a\nb');
    expect(winTemplate.meta.aliases).toContain('ansible.windows.win_template');
  });
});
