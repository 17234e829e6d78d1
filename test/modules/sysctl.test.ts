import { describe, expect, it } from 'vitest';
import { editSysctlFile, normalValue, planSysctl, sameValue } from '../../src/modules/sysctl.js';

const file = (content: string | null) => ({ path: '/etc/sysctl.d/90-hpc.conf', content });

describe('sysctl file edits (pure)', () => {
  it('rewrites the first line of the key, drops later ones, keeps comments', () => {
    const text = '# tuning\nvm.swappiness = 60\nkernel.pid_max=4194304\nvm.swappiness=30\n';
    expect(editSysctlFile(text, 'vm.swappiness', '10', 'present')).toEqual({
      content: '# tuning\nvm.swappiness=10\nkernel.pid_max=4194304\n',
      before: '60',
    });
    expect(editSysctlFile(text, 'vm.swappiness', '', 'absent').content).toBe('# tuning\nkernel.pid_max=4194304\n');
  });

  it('appends a missing key, ending an unterminated last line first; slashes mean dots', () => {
    expect(editSysctlFile('a.b=1', 'vm.swappiness', '10', 'present').content).toBe('a.b=1\nvm.swappiness=10\n');
    expect(editSysctlFile('vm/swappiness=5\n', 'vm.swappiness', '10', 'present').content).toBe('vm.swappiness=10\n');
  });

  it('normalises values as Ansible does and compares them word by word', () => {
    expect([normalValue(true), normalValue('yes'), normalValue('Off'), normalValue(' 4096 '), normalValue(1)]).toEqual(['1', '1', '0', '4096', '1']);
    expect(sameValue('4096\t87380\t6291456', '4096 87380  6291456')).toBe(true);
    expect(sameValue('1', '10')).toBe(false);
  });
});

describe('sysctl planning (pure)', () => {
  it('writes the file and reloads it; the running value alone also means a reload', () => {
    const p = planSysctl({ name: 'vm.swappiness', value: 10, sysctl_file: '/etc/sysctl.d/90-hpc.conf' }, { file: file(null), live: '60' });
    expect(p.changes.map((c) => c.kind)).toEqual(['write', 'reload']);
    expect(p.diff).toContainEqual({ kind: 'fields', label: 'sysctl (running kernel)', fields: [{ key: 'vm.swappiness', before: '60', after: '10' }] });
    const onlyLive = planSysctl({ name: 'vm.swappiness', value: 10, sysctl_file: '/etc/sysctl.d/90-hpc.conf' }, { file: file('vm.swappiness=10\n'), live: '60' });
    expect(onlyLive.changes).toEqual([{ kind: 'reload', file: '/etc/sysctl.d/90-hpc.conf', ignoreerrors: false }]);
  });

  it('sysctl_set sets the running value with sysctl -w; reload: false leaves the kernel alone', () => {
    const set = planSysctl({ name: 'vm.swappiness', value: 10, sysctl_set: true, reload: false }, { file: file('vm.swappiness=10\n'), live: '60' });
    expect(set.changes).toEqual([{ kind: 'set', key: 'vm.swappiness', value: '10' }]);
    const fileOnly = planSysctl({ name: 'vm.swappiness', value: 10, reload: false }, { file: file('vm.swappiness=10\n'), live: '60' });
    expect([fileOnly.changes, fileOnly.reason]).toEqual([[], 'vm.swappiness is 10 in /etc/sysctl.d/90-hpc.conf']);
  });

  it('is ok when file and kernel agree, and when an absent key is not in the file', () => {
    expect(planSysctl({ name: 'vm.swappiness', value: '10' }, { file: file('vm.swappiness = 10\n'), live: '10' }).changes).toEqual([]);
    expect(planSysctl({ name: 'vm.swappiness', state: 'absent' }, { file: file(null), live: '10' }).changes).toEqual([]);
  });

  it('fails before writing for a key the kernel lacks, for a missing value, and for a malformed key', () => {
    expect(planSysctl({ name: 'vm.nosuch', value: 1 }, { file: file(''), live: null, liveError: 'sysctl: cannot stat /proc/sys/vm/nosuch: No such file or directory' }).failed).toBe(
      'the kernel has no sysctl key vm.nosuch: sysctl: cannot stat /proc/sys/vm/nosuch: No such file or directory',
    );
    expect(planSysctl({ name: 'vm.nosuch', value: 1, ignoreerrors: true }, { file: file(''), live: null }).changes.map((c) => c.kind)).toEqual(['write', 'reload']);
    expect(planSysctl({ name: 'vm.swappiness' }, { file: file(''), live: '60' }).failed).toBe('value cannot be None');
    expect(planSysctl({ name: 'vm.a b', value: 1 }, { file: file(''), live: null }).failed).toBe("'vm.a b' is not a sysctl key");
  });
});
