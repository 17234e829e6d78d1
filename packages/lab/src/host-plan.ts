// Which hosts a lab has, and where each sits: names, addresses, namespaces, interfaces, groups.
// Main segment: the bastion (if any) at .2, then Linux hosts, then Windows hosts; the isolated
// segment behind the bastion holds the `iso-NN` hosts.
import { join } from 'node:path';
import { bastionAddress, hostAddress, vethName, type SlotPlan } from './addressing.js';
import { distroFamily, distroGroup, type LabDistro } from './host-files.js';
import type { LabHost } from './state.js';
import { WINRM_HTTPS_PORT } from './windows-hosts.js';

export interface HostCounts {
  linux: number;
  windows: number;
  /** Linux hosts on the isolated segment (0 without a bastion). */
  isolated: number;
  bastion: boolean;
}

const pad = (i: number, total: number) => String(i + 1).padStart(Math.max(2, String(total).length), '0');

/** The bridges a host's interfaces plug into, eth0 first. */
export function hostBridges(h: LabHost, plan: SlotPlan): string[] {
  if (h.role === 'bastion') return [plan.mainBridge, plan.isolatedBridge];
  return [h.segment === 'main' ? plan.mainBridge : plan.isolatedBridge];
}

export function planHosts(counts: HostCounts, plan: SlotPlan, distros: readonly LabDistro[], stateRoot: string): LabHost[] {
  const hosts: LabHost[] = [];
  const add = (h: Omit<LabHost, 'netns' | 'veths' | 'stateDir' | 'port'>, port = 22) => {
    const index = hosts.length;
    hosts.push({
      ...h,
      port,
      netns: `${plan.netnsPrefix}${h.name}`,
      veths: h.addresses.map((_, nic) => vethName(plan, index, nic)),
      stateDir: join(stateRoot, h.name),
    });
  };
  const linuxGroups = (d: LabDistro) => ['linux', 'fleet', distroFamily(d), distroGroup(d)];
  // The groups the shipped playbooks target: `hpc` (infiniband.yml) holds the Linux hosts that reach
  // the lab's MOFED mirror, i.e. not the isolated ones; `hyperv` (gpu-partitioning.yml) the Windows hosts.
  let mainIndex = 0;
  if (counts.bastion) {
    const addresses = [bastionAddress(plan), plan.isolatedGateway];
    add({ name: 'bastion', kind: 'linux', distro: distros[0]!, role: 'bastion', segment: 'main', address: addresses[0]!, addresses, groups: ['bastion'] });
  }
  for (let i = 0; i < counts.linux; i++) {
    const distro = distros[i % distros.length]!;
    const address = hostAddress(plan, 'main', mainIndex++);
    add({ name: `linux-${pad(i, counts.linux)}`, kind: 'linux', distro, role: 'host', segment: 'main', address, addresses: [address], groups: [...linuxGroups(distro), 'hpc'] });
  }
  for (let i = 0; i < counts.windows; i++) {
    const address = hostAddress(plan, 'main', mainIndex++);
    add({ name: `win-${pad(i, counts.windows)}`, kind: 'windows', role: 'host', segment: 'main', address, addresses: [address], groups: ['windows', 'hyperv'] }, WINRM_HTTPS_PORT);
  }
  for (let i = 0; i < counts.isolated; i++) {
    const distro = distros[i % distros.length]!;
    const address = hostAddress(plan, 'isolated', i);
    add({ name: `iso-${pad(i, counts.isolated)}`, kind: 'linux', distro, role: 'host', segment: 'isolated', address, addresses: [address], groups: [...linuxGroups(distro), 'isolated'] });
  }
  return hosts;
}
