// gpu-partitioning.yml against two lab cluster nodes that behave as Azure Local does: clustered and
// standalone VMs side by side, a guest that ignores shutdown, a saved VM, one with dynamic memory,
// and a node whose GPU driver differs. Each case ends with its own message; nothing is half-done.
import { afterEach, describe, expect, it } from 'vitest';
import { nvidiaA2, type WindowsHostConfig } from '@fleetplay/lab/windows';
import { fleetplay, recap } from '../support/cli.js';
import { startWindowsHosts, type StartedWindowsHosts } from '../support/windows-hosts.js';

const PLAYBOOK = new URL('../../playbooks/gpu-partitioning.yml', import.meta.url).pathname;
type Vm = WindowsHostConfig['hyperv']['vms'][number];

let lab: StartedWindowsHosts | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

async function cluster(hv1Vms: Vm[], hv2Driver = '32.0.15.6094') {
  const node = (name: string, vms: Vm[], driver: string) => ({
    name,
    config: { cluster: { name: 'CLU1' }, hyperv: { enabled: true, gpus: [{ ...nvidiaA2(4), driverVersion: driver }, { ...nvidiaA2(4), driverVersion: driver }], vms } },
    vars: { gpu_vms: vms.map((v) => v.name) },
  });
  lab = await startWindowsHosts([
    node('hv1', hv1Vms, '32.0.15.6094'),
    node('hv2', [{ name: 'ha-02', state: 'Running' }, { name: 'solo-02', state: 'Off', clustered: false }], hv2Driver),
  ]);
  const hashes = () => Promise.all(lab!.hosts.map((h) => lab!.stateHash(h)));
  const vm = (host: number, name: string) => lab!.hosts[host]!.state().hyperv.vms.find((v) => v.name === name)!;
  return { hashes, vm };
}

const run = (...extra: string[]) => fleetplay([PLAYBOOK, '-i', lab!.inventory, ...extra]);

describe('gpu-partitioning.yml on an Azure Local-like cluster', { timeout: 300_000 }, () => {
  it('a node with another GPU driver version fails the homogeneity preflight, naming it; nothing changes', async () => {
    const c = await cluster([{ name: 'ha-01', state: 'Running' }], '31.0.15.5222');
    const before = await c.hashes();
    const r = await run('--check');
    expect(r.code, r.stdout).toBe(2);
    expect(r.stdout).toContain('driver version: hv2 has 31.0.15.5222, hv1 32.0.15.6094');
    expect(await c.hashes()).toEqual(before);
  });

  it('saved, hung and dynamic-memory VMs: check lists the problems, each real run ends with its own message, then it converges', async () => {
    const c = await cluster([
      { name: 'ha-01', state: 'Running', dynamicMemory: true },
      { name: 'solo-01', state: 'Running', clustered: false },
      { name: 'saved-01', state: 'Saved', clustered: false },
      { name: 'hung-01', state: 'Running', ignoresShutdown: true },
    ]);
    const before = await c.hashes();
    const check = await run('--check', '--diff');
    expect(check.code).toBe(2);
    expect(check.stdout).toContain('hv1: VM saved-01 is in a saved state, which cannot be resumed after a device change; set discard_saved_state: true to discard it');
    expect(await c.hashes()).toEqual(before);

    // Saved state may be discarded: now the guest that ignores shutdown stops the run on hv1 (the
    // lab's clock is real here: the wait takes the seconds it says).
    const hang = await run('-e', 'gpu_discard_saved_state=true', '-e', 'gpu_shutdown_timeout=4');
    expect(hang.code).toBe(2);
    expect(hang.stdout).toContain('VM hung-01 did not shut down within 4 s');
    expect(hang.stdout).toContain('set force_off: true to turn it off');
    // The hung VM was put back as it was: running, no partition.
    expect({ state: c.vm(0, 'hung-01').state, adapters: c.vm(0, 'hung-01').gpuAdapters.length }).toEqual({ state: 'Running', adapters: 0 });
    // hv2 had nothing wrong and is configured.
    expect(c.vm(1, 'ha-02').gpuAdapters).toHaveLength(1);

    const forced = await run('-e', 'gpu_discard_saved_state=true', '-e', 'gpu_force_off=true', '-e', 'gpu_shutdown_timeout=4');
    expect(forced.code, forced.stdout).toBe(0);
    const ha = c.vm(0, 'ha-01');
    // Clustered: OfflineAction on its role's resource; dynamic memory fixed; restarted.
    expect({ state: ha.state, offline: ha.offlineAction, dyn: ha.dynamicMemory, adapters: ha.gpuAdapters.length }).toEqual({ state: 'Running', offline: 3, dyn: false, adapters: 1 });
    // Standalone on the same node: AutomaticStopAction, cluster untouched.
    const solo = c.vm(0, 'solo-01');
    expect({ state: solo.state, stop: solo.automaticStopAction, offline: solo.offlineAction }).toEqual({ state: 'Running', stop: 'TurnOff', offline: 1 });
    expect({ state: c.vm(0, 'saved-01').state, adapters: c.vm(0, 'saved-01').gpuAdapters.length }).toEqual({ state: 'Off', adapters: 1 });
    expect({ state: c.vm(0, 'hung-01').state, adapters: c.vm(0, 'hung-01').gpuAdapters.length }).toEqual({ state: 'Running', adapters: 1 });

    const again = await run('-e', 'gpu_discard_saved_state=true', '-e', 'gpu_force_off=true');
    expect(again.code, again.stdout).toBe(0);
    expect(recap(again.stdout)).toMatchObject({ hv1: { changed: 0 }, hv2: { changed: 0 } });
  });

  it('resizes assigned partitions with -e gpu_vram_mb, restoring running VMs', async () => {
    const c = await cluster([{ name: 'ha-01', state: 'Running' }, { name: 'solo-01', state: 'Off', clustered: false }]);
    expect((await run()).code).toBe(0);
    const starts = c.vm(0, 'ha-01').starts;
    const resize = await run('-e', 'gpu_vram_mb=2048', '--diff');
    expect(resize.code, resize.stdout).toBe(0);
    expect(resize.stdout).toContain('MinPartitionVRAM');
    const a = c.vm(0, 'ha-01').gpuAdapters[0]!;
    expect({ min: a.minPartitionVRAM, max: a.maxPartitionVRAM, opt: a.optimalPartitionVRAM }).toEqual({ min: 2048 * 2 ** 20, max: 2048 * 2 ** 20, opt: 2048 * 2 ** 20 });
    expect({ state: c.vm(0, 'ha-01').state, starts: c.vm(0, 'ha-01').starts }).toEqual({ state: 'Running', starts: starts + 1 });
    expect(c.vm(0, 'solo-01').state).toBe('Off');
    expect(recap((await run('-e', 'gpu_vram_mb=2048')).stdout)).toMatchObject({ hv1: { changed: 0 }, hv2: { changed: 0 } });
  });
});
