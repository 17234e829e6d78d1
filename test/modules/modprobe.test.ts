import { describe, expect, it } from 'vitest';
import { LSMOD_SHIM } from '@fleetplay/lab';
import { isLoaded, persistentEdits, planModprobe } from '../../src/modules/modprobe.js';

// Recorded `lsmod` output (kmod 30, an Azure HB-series VM).
const LSMOD = [
  'Module                  Size  Used by',
  'mlx5_ib               397312  0',
  'ib_uverbs             163840  1 mlx5_ib',
  'ib_core               389120  2 mlx5_ib,ib_uverbs',
  'mlx5_core            1863680  1 mlx5_ib',
  'hv_netvsc             102400  1 mlx5_core',
  '',
].join('\n');
const none = { loaded: false, loadFiles: [], optionFiles: [] };

describe('modprobe (pure)', () => {
  it('reads lsmod output, with - and _ the same', () => {
    expect(isLoaded(LSMOD, 'ib_core')).toBe(true);
    expect(isLoaded(LSMOD, 'mlx5-ib')).toBe(true);
    expect(isLoaded(LSMOD, 'ib_ipoib')).toBe(false);
    expect(isLoaded(LSMOD, 'Module')).toBe(false);
    expect(LSMOD_SHIM).toContain("printf 'Module                  Size  Used by");
  });

  it('loads a missing module with its params, and writes the boot config when persistent', () => {
    const p = planModprobe({ name: 'ib_ipoib', params: 'send_queue_size=1024 recv_queue_size=512', persistent: 'present' }, none);
    expect(p.changes).toEqual([
      { kind: 'load', name: 'ib_ipoib', params: ['send_queue_size=1024', 'recv_queue_size=512'] },
      { kind: 'write', path: '/etc/modules-load.d/ib_ipoib.conf', content: 'ib_ipoib\n' },
      { kind: 'write', path: '/etc/modprobe.d/ib_ipoib.conf', content: 'options ib_ipoib send_queue_size=1024 recv_queue_size=512\n' },
    ]);
  });

  it('leaves a module listed in any modules-load.d file alone, comments out older options', () => {
    const cur = {
      loaded: true,
      loadFiles: [{ path: '/etc/modules-load.d/rdma.conf', content: '# rdma\nib_ipoib\n' }],
      optionFiles: [{ path: '/etc/modprobe.d/mlx.conf', content: 'options ib_ipoib send_queue_size=128\noptions mlx5_core x=1\n' }],
    };
    expect(persistentEdits({ name: 'ib_ipoib', params: 'send_queue_size=1024', persistent: 'present' }, cur)).toEqual([
      { path: '/etc/modprobe.d/mlx.conf', content: '#options ib_ipoib send_queue_size=128\noptions mlx5_core x=1\n' },
      { path: '/etc/modprobe.d/ib_ipoib.conf', content: 'options ib_ipoib send_queue_size=1024\n' },
    ]);
    const same = { ...cur, optionFiles: [{ path: '/etc/modprobe.d/ib_ipoib.conf', content: 'options  ib_ipoib send_queue_size=1024\n' }] };
    expect(planModprobe({ name: 'ib_ipoib', params: 'send_queue_size=1024', persistent: 'present' }, same)).toMatchObject({ changes: [], reason: 'ib_ipoib is loaded and at boot' });
  });

  it('persistent absent comments the module out of boot config; state absent unloads', () => {
    const cur = { loaded: true, loadFiles: [{ path: '/etc/modules-load.d/rdma.conf', content: 'ib_ipoib\nib_umad\n' }], optionFiles: [] };
    expect(planModprobe({ name: 'ib_ipoib', state: 'absent', persistent: 'absent' }, cur).changes).toEqual([
      { kind: 'unload', name: 'ib_ipoib' },
      { kind: 'write', path: '/etc/modules-load.d/rdma.conf', content: '#ib_ipoib\nib_umad\n' },
    ]);
  });

  it('fails with modprobe\'s own message for a module that does not exist, and for a bad name', () => {
    const msg = 'modprobe: FATAL: Module nosuch not found in directory /lib/modules/6.8.0-1014-azure';
    expect(planModprobe({ name: 'nosuch' }, { ...none, missing: msg }).failed).toBe(msg);
    expect(planModprobe({ name: 'a;b' }, none).failed).toBe("'a;b' is not a kernel module name");
  });
});
