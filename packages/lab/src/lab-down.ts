// `fleetplay lab down`: ends every process of the lab (through its supervisor, then by network
// namespace as a safety net), unmounts the lab tmpfs, removes namespaces, links and the guard route,
// and deletes the files `up` wrote. Only this lab's slot is touched; other labs keep running.
import { rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { slotPlan } from './addressing.js';
import { listNetns, removeSlotNetwork } from './network.js';
import { isProcessWithArg, killAndWait, pidsInNetns } from './processes.js';
import { runTool } from './run-tool.js';
import { labFsPath, releaseSlot } from './slots.js';
import { labJsonPath, readLabInfo } from './state.js';
import { SupervisorClient } from './supervisor-client.js';

async function stopSupervisor(socket: string, pid: number | undefined): Promise<void> {
  try {
    const client = await SupervisorClient.connect(socket, 1000);
    try {
      await client.shutdown();
    } finally {
      client.close();
    }
  } catch {
    // not running or not answering: the netns sweep below still ends the hosts
  }
  if (pid !== undefined && (await isProcessWithArg(pid, socket))) await killAndWait([pid], 3000);
}

/** Removes everything a lab in `slot` may have created on the machine (not the files in its DIR). */
export async function teardownSlot(slot: number, supervisorPid?: number): Promise<void> {
  const plan = slotPlan(slot);
  const labFs = labFsPath(slot);
  const socket = join(labFs, 'supervisor.sock');
  await stopSupervisor(socket, supervisorPid);
  const netns = await listNetns(plan.netnsPrefix);
  await killAndWait(await pidsInNetns(netns));
  // The hosts' mount namespaces are gone with their processes; what remains is the tmpfs itself.
  const um = await runTool('umount', [labFs], { allowFail: true });
  if (um.code !== 0 && !/not mounted|no mount point/i.test(um.stderr)) await runTool('umount', ['-l', labFs], { allowFail: true });
  await removeSlotNetwork(plan);
  await rm(labFs, { recursive: true, force: true });
}

/** Cleans up after a stale claim (crashed `up`, deleted lab directory) before the slot is reused. */
export async function reclaimSlot(slot: number): Promise<void> {
  await teardownSlot(slot);
}

export async function labDown(dir: string): Promise<void> {
  const info = await readLabInfo(dir);
  if (!info) throw new Error(`lab: no lab in ${dir} (no ${labJsonPath(dir)})`);
  await teardownSlot(info.slot, info.supervisor?.pid);
  const files = [...Object.values(info.files).filter((f): f is string => typeof f === 'string'), `${info.files.clientKey}.pub`];
  await Promise.all(files.map((f) => rm(f, { force: true })));
  await rm(labJsonPath(dir), { force: true });
  if (info.createdDir) await rmdir(dir).catch(() => undefined);
  await releaseSlot(info.slot, info.dir);
}
