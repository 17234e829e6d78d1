// The lab's network in the root namespace: one bridge per segment, one veth pair per host interface
// (the far end moved straight into the host's namespace), and a guard route so that traffic for the
// lab's range can never leave by the machine's default route. Everything goes through `ip -batch`:
// one process for the whole lab instead of several per host.
import { readFile, writeFile } from 'node:fs/promises';
import type { SlotPlan } from './addressing.js';
import { runTool } from './run-tool.js';

export interface HostLinks {
  netns: string;
  /** Interfaces in host order: eth0, eth1, … each plugged into the named bridge. */
  nics: { veth: string; bridge: string }[];
}

async function ipBatch(lines: string[], label: string, force = false): Promise<void> {
  if (lines.length === 0) return;
  await runTool('ip', [...(force ? ['-force'] : []), '-batch', '-'], { input: `${lines.join('\n')}\n`, label, allowFail: force });
}

/** Quietens IPv6 (router solicitations, DAD) on a root-side interface: the lab is IPv4 only. */
async function disableIpv6(ifname: string): Promise<void> {
  await writeFile(`/proc/sys/net/ipv6/conf/${ifname}/disable_ipv6`, '1').catch(() => undefined);
}

export async function createBridges(plan: SlotPlan, isolated: boolean): Promise<void> {
  const lines = [
    `link add ${plan.mainBridge} type bridge`,
    `addr add ${plan.gateway}/${plan.prefixLength} dev ${plan.mainBridge}`,
    `link set ${plan.mainBridge} up`,
    // Covers both segments; the main /22 stays reachable through the more specific bridge route.
    `route add unreachable ${plan.guardRoute}`,
  ];
  // The isolated segment's bridge gets no address: the controller can only reach it via the bastion.
  if (isolated) lines.push(`link add ${plan.isolatedBridge} type bridge`, `link set ${plan.isolatedBridge} up`);
  await ipBatch(lines, `ip -batch (lab bridge ${plan.mainBridge})`);
  await disableIpv6(plan.mainBridge);
  if (isolated) await disableIpv6(plan.isolatedBridge);
}

export async function addHostLinks(hosts: readonly HostLinks[]): Promise<void> {
  const lines: string[] = [];
  for (const h of hosts) {
    lines.push(`netns add ${h.netns}`);
    h.nics.forEach((nic, i) => {
      lines.push(`link add ${nic.veth} type veth peer name eth${i} netns ${h.netns}`);
      lines.push(`link set ${nic.veth} master ${nic.bridge} up`);
    });
  }
  await ipBatch(lines, `ip -batch (${hosts.length} lab hosts)`);
  await Promise.all(hosts.flatMap((h) => h.nics.map((n) => disableIpv6(n.veth))));
}

/** Commands run inside a host's namespace (by its start script) to bring its interfaces up. */
export function hostNetnsBatch(addresses: readonly string[], prefixLength: number): string {
  const lines = ['link set lo up'];
  addresses.forEach((a, i) => lines.push(`addr replace ${a}/${prefixLength} dev eth${i}`, `link set eth${i} up`));
  return `${lines.join('\n')}\n`;
}

export async function listNetns(prefix: string): Promise<string[]> {
  const r = await runTool('ip', ['netns', 'list'], { allowFail: true });
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n.startsWith(prefix));
}

/** Root-side links of one slot: `fl<slot>` then b/i (bridges) or n/x plus a number (veths). */
export async function listSlotLinks(plan: SlotPlan): Promise<string[]> {
  const r = await runTool('ip', ['-o', 'link', 'show'], { allowFail: true });
  const re = new RegExp(`^${plan.linkPrefix}([bi]|[nx]\\d+)$`);
  const names: string[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^\d+:\s+([^:@\s]+)/.exec(line);
    if (m && re.test(m[1]!)) names.push(m[1]!);
  }
  return names;
}

/**
 * Removes the slot's namespaces, links and guard route. Processes inside the namespaces must be gone
 * first (a namespace with a live process outlives `ip netns del`). Errors are ignored line by line:
 * this also cleans up after a half-built lab.
 */
export async function removeSlotNetwork(plan: SlotPlan): Promise<void> {
  const netns = await listNetns(plan.netnsPrefix);
  await ipBatch(netns.map((n) => `netns del ${n}`), 'ip -batch (netns del)', true);
  // Deleting a namespace destroys its veth pairs; bridges (and strays) go explicitly, veths first.
  const links = (await listSlotLinks(plan)).sort((a, b) => Number(/[bi]$/.test(a)) - Number(/[bi]$/.test(b)));
  await ipBatch(links.map((l) => `link del ${l}`), 'ip -batch (link del)', true);
  await runTool('ip', ['route', 'del', 'unreachable', plan.guardRoute], { allowFail: true });
}

/**
 * The root namespace keeps one neighbour entry per host; the kernel's defaults (gc_thresh3 = 1024)
 * would start dropping entries for a few hundred hosts. Only ever raises the limits.
 */
export async function ensureNeighbourCapacity(hosts: number): Promise<void> {
  const want = [hosts * 2, hosts * 4, hosts * 8];
  await Promise.all(
    want.map(async (value, i) => {
      const file = `/proc/sys/net/ipv4/neigh/default/gc_thresh${i + 1}`;
      const current = Number((await readFile(file, 'utf8').catch(() => '0')).trim());
      if (current > 0 && current < value) await writeFile(file, String(value)).catch(() => undefined);
    }),
  );
}
