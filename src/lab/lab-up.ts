// `fleetplay lab up`: plan the hosts, build the shared layers, wire the network, start one sshd per
// host under the lab's supervisor, and write the client files. A failure part-way tears down what
// was built (lab.json is written first, so `down` always knows what to remove).
import { randomBytes } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pLimit from 'p-limit';
import { bastionAddress, hostAddress, MAX_HOSTS_PER_SEGMENT, slotPlan, vethName, type SlotPlan } from './addressing.js';
import { distroFamily, distroGroup, isLabDistro, LAB_DISTROS, type LabDistro } from './host-files.js';
import { writeClientFiles } from './inventory-writer.js';
import { generateEd25519 } from './keys.js';
import { buildLayers, hashPassword, planUsers } from './layers.js';
import { labDown, reclaimSlot } from './lab-down.js';
import { hostLayout, labFsLayout, prepareHost } from './linux-host.js';
import { addHostLinks, createBridges, ensureNeighbourCapacity } from './network.js';
import { requireLabPrereqs } from './prereqs.js';
import { runTool } from './run-tool.js';
import { allocateSlot, labFsPath } from './slots.js';
import { prepareWindowsHosts, startWindowsHosts, windowsGroupVars, WINRM_HTTPS_PORT } from './windows-hosts.js';
import { readLabInfo, writeLabInfo, type LabHost, type LabInfo } from './state.js';
import { startHosts } from './start-hosts.js';
import { startSupervisor } from './supervisor-client.js';

export interface LabUpOptions {
  dir: string;
  /** Linux hosts on the main segment. */
  linux: number;
  windows?: number;
  /** Distros the Linux hosts cycle through (default ubuntu22.04). */
  distros?: string[];
  /** Adds a bastion and an isolated segment reachable only through it. */
  bastion?: boolean;
  /** Linux hosts on the isolated segment (default 2; only with `bastion`). */
  isolated?: number;
  /** sshd MaxSessions on every host (default 32; OpenSSH's own default is 10). */
  maxSessions?: number;
  /** Progress lines for a CLI. */
  onProgress?: (message: string) => void;
}

export const LAB_LOGIN_USER = 'fleet';
export const LAB_PASSWORD_SUDO_USER = 'fleetpw';

function validate(opts: LabUpOptions): LabDistro[] {
  const count = (n: number | undefined, what: string) => {
    if (n !== undefined && (!Number.isInteger(n) || n < 0)) throw new Error(`lab: --${what} must be a whole number >= 0 (got ${n})`);
  };
  count(opts.linux, 'linux');
  count(opts.windows, 'windows');
  count(opts.isolated, 'isolated');
  const distros = opts.distros?.length ? opts.distros : ['ubuntu22.04'];
  for (const d of distros) {
    if (!isLabDistro(d)) throw new Error(`lab: unknown distro '${d}' (known: ${LAB_DISTROS.join(', ')})`);
  }
  const main = opts.linux + (opts.windows ?? 0) + (opts.bastion ? 1 : 0);
  if (main > MAX_HOSTS_PER_SEGMENT) throw new Error(`lab: at most ${MAX_HOSTS_PER_SEGMENT} hosts per lab (asked for ${main})`);
  if (main === 0) throw new Error('lab: nothing to start (use --linux N and/or --windows M)');
  return distros as LabDistro[];
}

const pad = (i: number, total: number) => String(i + 1).padStart(Math.max(2, String(total).length), '0');

function planHosts(opts: LabUpOptions, plan: SlotPlan, distros: LabDistro[], stateRoot: string): LabHost[] {
  const hosts: LabHost[] = [];
  let nic = 0;
  const add = (h: Omit<LabHost, 'netns' | 'veths' | 'stateDir' | 'port'>, bridges: string[]) => {
    const index = nic++;
    hosts.push({
      ...h,
      port: 22,
      netns: `${plan.netnsPrefix}${h.name}`,
      veths: bridges.map((_, i) => vethName(plan, index, i)),
      stateDir: join(stateRoot, h.name),
    });
  };
  const linuxGroups = (d: LabDistro) => ['linux', 'fleet', distroFamily(d), distroGroup(d)];
  let mainIndex = 0;
  if (opts.bastion) {
    const distro = distros[0]!;
    const addresses = [bastionAddress(plan), plan.isolatedGateway];
    add({ name: 'bastion', kind: 'linux', distro, role: 'bastion', segment: 'main', address: addresses[0]!, addresses, groups: ['bastion'] }, [plan.mainBridge, plan.isolatedBridge]);
  }
  for (let i = 0; i < opts.linux; i++) {
    const distro = distros[i % distros.length]!;
    const address = hostAddress(plan, 'main', mainIndex++);
    add({ name: `linux-${pad(i, opts.linux)}`, kind: 'linux', distro, role: 'host', segment: 'main', address, addresses: [address], groups: linuxGroups(distro) }, [plan.mainBridge]);
  }
  for (let i = 0; i < (opts.windows ?? 0); i++) {
    const address = hostAddress(plan, 'main', mainIndex++);
    add({ name: `win-${pad(i, opts.windows!)}`, kind: 'windows', role: 'host', segment: 'main', address, addresses: [address], groups: ['windows'] }, [plan.mainBridge]);
    hosts[hosts.length - 1]!.port = WINRM_HTTPS_PORT;
  }
  const isolated = opts.bastion ? (opts.isolated ?? 2) : 0;
  for (let i = 0; i < isolated; i++) {
    const distro = distros[i % distros.length]!;
    const address = hostAddress(plan, 'isolated', i);
    add({ name: `iso-${pad(i, isolated)}`, kind: 'linux', distro, role: 'host', segment: 'isolated', address, addresses: [address], groups: [...linuxGroups(distro), 'isolated'] }, [plan.isolatedBridge]);
  }
  return hosts;
}

export async function labUp(opts: LabUpOptions): Promise<LabInfo> {
  const distros = validate(opts);
  await requireLabPrereqs();
  const dir = resolve(opts.dir);
  const progress = opts.onProgress ?? (() => undefined);
  if (await readLabInfo(dir)) throw new Error(`lab: ${dir} already has a lab; run 'fleetplay lab down --dir ${dir}' first`);
  const createdDir = !(await stat(dir).then(() => true, () => false));
  await mkdir(dir, { recursive: true });

  const slot = await allocateSlot(dir, reclaimSlot);
  const plan = slotPlan(slot);
  const labFs = labFsPath(slot);
  const paths = labFsLayout(labFs);
  const hosts = planHosts(opts, plan, distros, paths.hosts);
  const linux = hosts.filter((h) => h.kind === 'linux');
  const windows = hosts.filter((h) => h.kind === 'windows');
  const info: LabInfo = {
    version: 1,
    status: 'starting',
    dir,
    slot,
    createdAt: new Date().toISOString(),
    labFs,
    subnet: plan.mainSubnet,
    isolatedSubnet: opts.bastion ? plan.isolatedSubnet : undefined,
    gateway: plan.gateway,
    bridges: opts.bastion ? [plan.mainBridge, plan.isolatedBridge] : [plan.mainBridge],
    guardRoute: plan.guardRoute,
    users: { login: LAB_LOGIN_USER, passwordSudo: LAB_PASSWORD_SUDO_USER, password: randomBytes(12).toString('base64url') },
    inventoryPath: join(dir, 'inventory.yml'),
    files: {
      inventoryYaml: join(dir, 'inventory.yml'),
      inventoryIni: join(dir, 'inventory.ini'),
      knownHosts: join(dir, 'known_hosts'),
      clientKey: join(dir, 'id_ed25519'),
      sshConfig: join(dir, 'ssh_config'),
    },
    createdDir,
    hosts,
  };
  await writeLabInfo(info);
  try {
    const started = Date.now();
    await mkdir(labFs, { recursive: true, mode: 0o700 });
    await runTool('mount', ['-t', 'tmpfs', '-o', 'mode=700', `fleetlab${slot}`, labFs]);

    const client = generateEd25519(`fleetlab-${slot}`);
    await writeFile(info.files.clientKey, client.private, { mode: 0o600 });
    await writeFile(`${info.files.clientKey}.pub`, `${client.public}\n`, { mode: 0o644 });
    const users = await planUsers([
      { name: LAB_LOGIN_USER, nopasswd: true },
      { name: LAB_PASSWORD_SUDO_USER, nopasswd: false },
    ]);
    await buildLayers({
      layersDir: paths.layers,
      distros: linux.map((h) => h.distro!),
      users,
      passwordHash: await hashPassword(info.users.password),
      clientPublicKey: client.public,
      sshd: { maxSessions: opts.maxSessions ?? 32 },
    });
    progress(`lab: slot ${slot}, ${plan.mainSubnet}; network for ${hosts.length} hosts`);

    await createBridges(plan, Boolean(opts.bastion));
    await ensureNeighbourCapacity(hosts.length);
    await addHostLinks(hosts.map((h) => ({ netns: h.netns, nics: h.veths.map((veth, i) => ({ veth, bridge: i === 0 && h.segment === 'main' ? plan.mainBridge : plan.isolatedBridge })) })));

    const limit = pLimit(8);
    await mkdir(paths.keys, { mode: 0o700 });
    await Promise.all(
      linux.map((h) =>
        limit(async () => {
          const key = generateEd25519(`root@${h.name}`);
          h.hostKey = key.public;
          await writeFile(join(paths.keys, h.name), key.private, { mode: 0o600 });
          await prepareHost(hostLayout(info, h, key, client.public));
        }),
      ),
    );

    const sup = await startSupervisor(paths.socket, paths.supervisorLog);
    info.supervisor = { pid: sup.pid, socket: paths.socket };
    await writeLabInfo(info);
    await prepareWindowsHosts(info, windows);
    try {
      await startHosts(sup.client, linux, progress);
      await startWindowsHosts(sup.client, windows);
    } finally {
      sup.client.close();
    }

    await writeClientFiles(info, plan, windows.length > 0 ? windowsGroupVars(info) : {});
    info.status = 'up';
    await writeLabInfo(info);
    progress(`lab: ${hosts.length} hosts up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return info;
  } catch (e) {
    await labDown(dir).catch(() => undefined);
    throw e;
  }
}
