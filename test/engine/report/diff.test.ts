import { describe, expect, it } from 'vitest';
import { renderDiff } from '../../../src/engine/report/diff.js';

describe('diff rendering', () => {
  it('renders file content as a unified diff with before/after headers', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const after = 'a\nb\nc\nD\ne\nf\ng\nh\nI\n';
    expect(renderDiff([{ kind: 'text', path: '/etc/waagent.conf', before, after }])).toEqual([
      '--- before: /etc/waagent.conf',
      '+++ after: /etc/waagent.conf',
      '@@ -1,8 +1,9 @@',
      ' a',
      ' b',
      ' c',
      '-d',
      '+D',
      ' e',
      ' f',
      ' g',
      ' h',
      '+I',
    ]);
  });

  it('notes a missing final newline and prints nothing when content is equal', () => {
    expect(renderDiff([{ kind: 'text', path: 'f', before: 'x', after: 'y' }])).toEqual([
      '--- before: f', '+++ after: f', '@@ -1,1 +1,1 @@', '-x', '\\ No newline at end of file', '+y', '\\ No newline at end of file',
    ]);
    expect(renderDiff([{ kind: 'text', path: 'f', before: 'same\n', after: 'same\n' }])).toEqual([]);
  });

  it('renders fields as key: before → after, under their label', () => {
    expect(
      renderDiff([
        { kind: 'fields', label: 'file /srv/app', fields: [{ key: 'mode', before: '0644', after: '0600' }, { key: 'owner', before: undefined, after: 'root' }] },
        { kind: 'fields', fields: [{ key: 'partition_count', before: 8, after: 4 }, { key: 'vms', before: [], after: ['vm1'] }, { key: 'note', before: '', after: 'a b\nc' }] },
      ]),
    ).toEqual(['file /srv/app:', '  mode: 0644 → 0600', '  owner: (none) → root', 'partition_count: 8 → 4', 'vms: [] → ["vm1"]', 'note: "" → "a b\\nc"']);
  });

  it('summarises content past the size cap instead of printing it', () => {
    const big = Array.from({ length: 2500 }, (_, i) => `line ${i}`).join('\n');
    expect(renderDiff([{ kind: 'text', path: '/var/log/big', before: '', after: big }])).toEqual([
      '--- before: /var/log/big', '+++ after: /var/log/big', 'diff too large (2500 lines); not shown',
    ]);
    expect(renderDiff([{ kind: 'text', path: 'p', before: 'a\n', after: 'x'.repeat(300 * 1024) }])).toEqual(['--- before: p', '+++ after: p', 'diff too large (1 lines); not shown']);
    expect(renderDiff([{ kind: 'text', path: 'p', before: '1\n2\n3\n', after: '1\n2\n3\n4\n' }], { maxLines: 3 })).toEqual(['--- before: p', '+++ after: p', 'diff too large (4 lines); not shown']);
  });

  it('notes binary content without printing it', () => {
    expect(renderDiff([{ kind: 'text', path: '/opt/blob', before: 'ab\0cd', after: 'ab\0ce!' }])).toEqual([
      '--- before: /opt/blob', '+++ after: /opt/blob', 'binary content differs (5 → 6 bytes); not shown',
    ]);
  });

  it('colours added, removed and hunk lines when asked', () => {
    const lines = renderDiff([{ kind: 'text', path: 'f', before: 'a\n', after: 'b\n' }], { color: true });
    expect(lines).toEqual(['\x1b[31m--- before: f\x1b[0m', '\x1b[32m+++ after: f\x1b[0m', '\x1b[36m@@ -1,1 +1,1 @@\x1b[0m', '\x1b[31m-a\x1b[0m', '\x1b[32m+b\x1b[0m']);
  });
});
