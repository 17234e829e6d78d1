// The GPU-P modules' read and apply over WinRM against a lab Hyper-V host started in this process:
// facts as the cmdlets return them (per-VM clustering, roles found by VM id, driver versions), and
// the all-or-nothing count change when the host changes between plan and apply.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultWindowsHostConfig, nvidiaA2, startWindowsHost, type WindowsHostConfig, type WindowsHostHandle } from '@fleetplay/lab/windows';
import { createWinrmConnection } from '../../src/engine/connection/winrm/index.js';
import type { Connection } from '../../src/engine/contract/connection.js';
import type { HypervFacts } from '../../src/modules/lib/hyperv.js';
import { vmGpuPartitionCount } from '../../src/modules/vm-gpu-partition-count.js';
import { makeHostContext, makePlanContext } from '../support/module-host.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function connect(overrides: Partial<WindowsHostConfig>): Promise<{ host: WindowsHostHandle; conn: Connection }> {
  const dir = await mkdtemp(join(tmpdir(), 'fp-gpup-'));
  const config = defaultWindowsHostConfig({ name: 'HV1', listenAddress: '127.0.0.1', httpPort: 0, httpsPort: 0, certDir: join(dir, 'certs'), stateFile: join(dir, 'state.json'), ...overrides });
  const host = await startWindowsHost(config);
  const conn = createWinrmConnection({ name: 'hv1', transport: 'winrm', address: '127.0.0.1', port: host.httpPort, user: config.user, password: config.password, vars: { ansible_winrm_scheme: 'http' } });
  await conn.connect();
  cleanup.push(() => rm(dir, { recursive: true, force: true }), () => host.close(), () => conn.close());
  return { host, conn };
}

describe('GPU-P facts and apply on a lab Hyper-V host', { timeout: 120_000 }, () => {
  it('reads per-VM clustering, the role and resource found by VM id, and each GPU driver version', async () => {
    const { conn } = await connect({
      cluster: { name: 'CLU1' },
      hyperv: { gpus: [nvidiaA2(), { ...nvidiaA2(), driverVersion: '31.0.15.5222' }], vms: [{ name: 'ha', clusterGroup: 'Role-HA', clusterResource: 'Virtual Machine Role-HA' }, { name: 'solo', clustered: false, dynamicMemory: true }] },
    });
    const ctx = makeHostContext({ conn });
    const facts = (await vmGpuPartitionCount.read(ctx, { partition_count: 4 })) as HypervFacts;
    expect(facts.gpus.map((g) => g.driverVersion)).toEqual(['32.0.15.6094', '31.0.15.5222']);
    expect(facts.vms.map(({ name, clustered, clusterGroup, clusterResource, offlineAction, dynamicMemory }) => ({ name, clustered, clusterGroup, clusterResource, offlineAction, dynamicMemory }))).toEqual([
      { name: 'ha', clustered: true, clusterGroup: 'Role-HA', clusterResource: 'Virtual Machine Role-HA', offlineAction: 1, dynamicMemory: false },
      { name: 'solo', clustered: false, clusterGroup: null, clusterResource: null, offlineAction: null, dynamicMemory: true },
    ]);
  });

  it('a GPU that became busy after the plan fails the count change and the GPU already set gets its count back', async () => {
    const { host, conn } = await connect({ hyperv: { gpus: [nvidiaA2(4), nvidiaA2(4)], vms: [{ name: 'late' }] } });
    const ctx = makeHostContext({ conn });
    const facts = (await vmGpuPartitionCount.read(ctx, { partition_count: 8 })) as HypervFacts;
    const plan = vmGpuPartitionCount.plan({ partition_count: 8 }, facts, makePlanContext());
    expect(plan.changes).toHaveLength(2);
    // Someone assigns a partition of the second GPU between plan and apply.
    const second = facts.gpus[1]!.name;
    expect((await ctx.run(`Add-VMGpuPartitionAdapter -VMName late -InstancePath '${second}'`)).rc).toBe(0);
    const r = await vmGpuPartitionCount.apply(ctx, plan);
    expect(r.failed).toMatch(/Set-VMHostPartitionableGpu failed, and the GPUs set before it were set back: GPU VEN_10DE&DEV_25B6&SUBSYS_157E10DE#[^:]+: .*assigned one or more GPUP partitions/);
    expect(host.state().hyperv.gpus.map((g) => g.partitionCount)).toEqual([4, 4]);
  });
});
