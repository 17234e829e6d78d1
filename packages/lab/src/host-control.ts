// Stopping, starting and resetting individual hosts of a running lab: tests take a host down before
// or during a run, and the benchmark resets hosts to their fresh state between runs.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { hostLayout, hostPaths, labFsLayout, prepareHost } from './linux-host.js';
import { killAndWait, pidsInNetns } from './processes.js';
import { startHosts } from './start-hosts.js';
import { startWindowsHosts, windowsPaths } from './windows-hosts.js';
import { readLabInfo, type LabHost, type LabInfo } from './state.js';
import { SupervisorClient } from './supervisor-client.js';

async function openLab(dir: string): Promise<{ info: LabInfo; client: SupervisorClient }> {
  const info = await readLabInfo(dir);
  if (!info || info.status !== 'up' || !info.supervisor) throw new Error(`lab: no running lab in ${dir}`);
  const client = await SupervisorClient.connect(info.supervisor.socket).catch((e: Error) => {
    throw new Error(`lab: the supervisor of ${dir} is not running (${e.message}); run 'lab down' and 'lab up' again`);
  });
  return { info, client };
}

function pick(info: LabInfo, names: readonly string[] | undefined): LabHost[] {
  if (!names) return info.hosts;
  return names.map((n) => {
    const h = info.hosts.find((x) => x.name === n);
    if (!h) throw new Error(`lab: no host '${n}' in ${info.dir} (hosts: ${info.hosts.map((x) => x.name).join(', ')})`);
    return h;
  });
}

async function stop(client: SupervisorClient, hosts: readonly LabHost[]): Promise<void> {
  await Promise.all(hosts.map((h) => client.kill(h.name)));
  // The host's PID namespace dies with its init a moment after the supervisor's child: wait for it.
  await killAndWait(await pidsInNetns(hosts.map((h) => h.netns)));
}

/** Kills every process of the hosts (sshd and all sessions): to the network they look powered off. */
export async function labStopHosts(dir: string, names: readonly string[]): Promise<void> {
  const { info, client } = await openLab(dir);
  try {
    await stop(client, pick(info, names));
  } finally {
    client.close();
  }
}

/** Starts stopped hosts again with their state as it was. */
export async function labStartHosts(dir: string, names: readonly string[]): Promise<void> {
  const { info, client } = await openLab(dir);
  try {
    const hosts = pick(info, names);
    const linux = hosts.filter((h) => h.kind === 'linux');
    await Promise.all(linux.map((h) => rm(hostPaths(h.stateDir).pidFile, { force: true })));
    await startHosts(client, linux);
    await startWindowsHosts(client, hosts.filter((h) => h.kind === 'windows'));
  } finally {
    client.close();
  }
}

/** Puts hosts (default: all hosts) back in their freshly created state and starts them. */
export async function labResetHosts(dir: string, names?: readonly string[]): Promise<void> {
  const { info, client } = await openLab(dir);
  try {
    const hosts = pick(info, names);
    await stop(client, hosts);
    const linux = hosts.filter((h) => h.kind === 'linux');
    const windows = hosts.filter((h) => h.kind === 'windows');
    // A Windows host starts over from its configuration when its model state file is gone.
    await Promise.all(windows.map((h) => rm(windowsPaths(h).state, { force: true })));
    const clientPublicKey = (await readFile(`${info.files.clientKey}.pub`, 'utf8')).trim();
    const keys = labFsLayout(info.labFs).keys;
    await Promise.all(
      linux.map(async (h) => {
        const priv = await readFile(join(keys, h.name), 'utf8');
        await prepareHost(hostLayout(info, h, { private: priv, public: h.hostKey! }, clientPublicKey));
      }),
    );
    await startHosts(client, linux);
    await startWindowsHosts(client, windows);
  } finally {
    client.close();
  }
}
