// `fleetplay lab up`: plan the hosts, build the shared layers, wire the network, start one sshd per
// host under the lab's supervisor, and write the client files. A failure part-way tears down what
// was built (lab.json is written first, so `down` always knows what to remove).
import { randomBytes } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pLimit from 'p-limit';
import { MAX_HOSTS_PER_SEGMENT, slotPlan } from './addressing.js';
import { isLabDistro, LAB_DISTROS, type LabDistro } from './host-files.js';
import { hostBridges, planHosts } from './host-plan.js';
import { writeClientFiles } from './inventory-writer.js';
import { generateEd25519 } from './keys.js';
import { buildLayers, hashPassword, planUsers } from './layers.js';
import { labDown, reclaimSlot } from './lab-down.js';
import { hostLayout, labFsLayout, prepareHost } from './linux-host.js';
import { addHostLinks, createBridges, ensureNeighbourCapacity } from './network.js';
import { ensurePidCapacity } from './capacity.js';
import { startLabMirror } from './mofed/lab-mirror.js';
import { ensureRepos } from './repos/build.js';
import { repoLayer } from './repos/host-config.js';
import { repoBaseUrl, startLabRepos } from './repos/lab-repos.js';
import { requireLabPrereqs } from './prereqs.js';
import { runTool } from './run-tool.js';
import { allocateSlot, labFsPath } from './slots.js';
import { hypervGroupVars, prepareWindowsHosts, startWindowsHosts, windowsGroupVars } from './windows-hosts.js';
import { readLabInfo, writeLabInfo, type LabHost, type LabInfo } from './state.js';
import { startHosts } from './start-hosts.js';
import { startSupervisor } from './supervisor-client.js';
import type { LabUpRequest } from './product.js';

/** What `fleetplay lab up` asks for, and what only code asks for. */
export interface LabUpOptions extends LabUpRequest {
  /** sshd MaxSessions on every host (default 32; OpenSSH's own default is 10). */
  maxSessions?: number;
  /** sshd LogLevel on every host (default INFO; the benchmark counts sessions at VERBOSE). */
  sshdLogLevel?: 'INFO' | 'VERBOSE';
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
  const isolated = opts.bastion ? (opts.isolated ?? 2) : 0;
  if (isolated > MAX_HOSTS_PER_SEGMENT) throw new Error(`lab: at most ${MAX_HOSTS_PER_SEGMENT} hosts behind the bastion (asked for ${isolated})`);
  if (main === 0) throw new Error('lab: nothing to start (use --linux N and/or --windows M)');
  return distros as LabDistro[];
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
  const hosts = planHosts({ linux: opts.linux, windows: opts.windows ?? 0, isolated: opts.bastion ? (opts.isolated ?? 2) : 0, bastion: Boolean(opts.bastion) }, plan, distros, paths.hosts);
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
    // Cached on the machine after the first build (a few seconds); every later lab reuses it.
    const repos = linux.length ? await ensureRepos() : undefined;
    await buildLayers({
      layersDir: paths.layers,
      distros: linux.map((h) => h.distro!),
      users,
      passwordHash: await hashPassword(info.users.password),
      clientPublicKey: client.public,
      sshd: { maxSessions: opts.maxSessions ?? 32, ...(opts.sshdLogLevel ? { logLevel: opts.sshdLogLevel } : {}) },
      repoLayer: repos ? (d) => repoLayer(d, repos, repoBaseUrl(plan.gateway)) : undefined,
    });
    progress(`lab: slot ${slot}, ${plan.mainSubnet}; network for ${hosts.length} hosts`);

    await createBridges(plan, Boolean(opts.bastion));
    await ensureNeighbourCapacity(hosts.length);
    await ensurePidCapacity(hosts.length);
    await addHostLinks(hosts.map((h) => ({ netns: h.netns, nics: hostBridges(h, plan).map((bridge, i) => ({ veth: h.veths[i]!, bridge })) })));

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
      if (linux.length) {
        [info.mofed, info.repos] = await Promise.all([
          startLabMirror(sup.client, info, [...new Set(linux.map((h) => h.distro!))]),
          startLabRepos(sup.client, info, repos!),
        ]);
      }
    } finally {
      sup.client.close();
    }

    await writeClientFiles(info, plan, windows.length > 0 ? { windows: windowsGroupVars(info), hyperv: hypervGroupVars() } : {});
    info.status = 'up';
    await writeLabInfo(info);
    progress(`lab: ${hosts.length} hosts up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return info;
  } catch (e) {
    await labDown(dir).catch(() => undefined);
    throw e;
  }
}
