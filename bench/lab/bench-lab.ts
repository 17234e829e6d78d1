// The benchmark's view of a lab: starts it, writes the inventory every tool uses (the lab's hosts in
// group `fleet`, logging in as root because the workload edits /etc/waagent.conf without become),
// and reaches into each host's own mount namespace — not over SSH, so no tool's connections or
// sshd's limits are disturbed — to read its state and put it back to fresh between runs.
import { spawn } from 'node:child_process';
import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { labDown, type LabHost, type LabInfo, labUp } from '@fleetplay/lab';
import { applyNetem } from '../wan/netem.js';
import { describeWan, type WanShape } from '../wan/profile.js';
import { startDelayRelay } from '../wan/relay.js';

export interface BenchHost {
  name: string;
  address: string;
  netns: string;
  /** The host's state directory on the lab tmpfs (its sshd log is in the overlay's upper layer). */
  stateDir: string;
}

export interface BenchLab {
  info: LabInfo;
  hosts: BenchHost[];
  /** INI inventory for every tool: group `fleet`, root login, the lab's key, known_hosts and ssh config. */
  inventory: string;
  sshConfig: string;
  /** Where the SSH streams to the hosts pass (the lab's bridge; the bastion's inner link), for the round-trip capture. */
  captureIface: string;
  /** ssh options every raw-SSH tool adds (the WAN profile's ProxyJump). */
  jumpArgs: string[];
  /** 'lan', or the WAN profile's shape in words. */
  profile: string;
  down(): Promise<void>;
  /** Runs after the lab is down (e.g. removing the hosts' cgroup). */
  onDown(fn: () => Promise<void>): void;
}

export function benchInventory(info: LabInfo, group: string, hosts: readonly BenchHost[], jumpArgs: readonly string[] = []): string {
  return [
    `# fleetplay benchmark inventory for the lab in ${info.dir}`,
    `[${group}]`,
    ...hosts.map((h) => `${h.name} ansible_host=${h.address}`),
    '',
    `[${group}:vars]`,
    'ansible_user=root',
    `ansible_ssh_private_key_file=${info.files.clientKey}`,
    `ansible_ssh_common_args='${['-F', info.files.sshConfig, ...jumpArgs].join(' ')}'`,
    'ansible_python_interpreter=/usr/bin/python3',
    '',
  ].join('\n');
}

/** The WAN profile's path: the delay on the bastion's link, and the ProxyJump every tool uses. */
async function wanPath(info: LabInfo, wan: WanShape, before: (() => Promise<void>)[]): Promise<{ jump: string; captureIface: string }> {
  const bastion = info.hosts.find((h) => h.role === 'bastion');
  if (!bastion?.hostKey) throw new Error('bench: the WAN lab has no bastion');
  // Behind the bastion, each host's SSH stream is its own TCP connection from the bastion.
  const captureIface = bastion.veths[1]!;
  if (wan.method === 'netem') {
    await applyNetem(bastion.veths[0]!, bastion.netns, wan);
    return { jump: `root@${bastion.address}`, captureIface };
  }
  const relay = await startDelayRelay(info.gateway, bastion.address, bastion.port, wan);
  before.push(() => relay.stop());
  // Every tool checks the jump host's key against the lab's known_hosts: the bastion's, at the relay.
  await appendFile(info.files.knownHosts, `[${relay.host}]:${relay.port} ${bastion.hostKey.split(' ').slice(0, 2).join(' ')}\n`);
  return { jump: `root@${relay.host}:${relay.port}`, captureIface };
}

export async function startBenchLab(dir: string, count: number, group: string, workDir: string, log: (m: string) => void, wan?: WanShape): Promise<BenchLab> {
  // VERBOSE: sshd logs every session it serves (remote commands per host, remote/sshd-log.ts).
  const info = wan
    ? await labUp({ dir, linux: 0, bastion: true, isolated: count, onProgress: log, sshdLogLevel: 'VERBOSE' })
    : await labUp({ dir, linux: count, onProgress: log, sshdLogLevel: 'VERBOSE' });
  let down: Promise<void> | undefined;
  // `before`: the WAN path's parts (its relay); `after`: what callers hang on the lab's end.
  const before: (() => Promise<void>)[] = [];
  const after: (() => Promise<void>)[] = [];
  const takeDown = async () => {
    for (const fn of before) await fn().catch(() => undefined);
    await labDown(dir);
    for (const fn of after) await fn().catch(() => undefined);
  };
  const hosts = info.hosts.filter((h: LabHost) => h.kind === 'linux' && h.role === 'host').map((h) => ({ name: h.name, address: h.address, netns: h.netns, stateDir: h.stateDir }));
  let path = { jump: '', captureIface: info.bridges[0]! };
  try {
    if (wan) path = await wanPath(info, wan, before);
  } catch (e) {
    await takeDown();
    throw e;
  }
  const jumpArgs = path.jump ? ['-o', `ProxyJump=${path.jump}`] : [];
  const inventory = join(workDir, `inventory-${wan ? 'wan-' : ''}${count}.ini`);
  await writeFile(inventory, benchInventory(info, group, hosts, jumpArgs));
  return {
    info,
    hosts,
    inventory,
    sshConfig: info.files.sshConfig,
    captureIface: path.captureIface,
    jumpArgs,
    profile: wan ? describeWan(wan) : 'lan',
    down: () => (down ??= takeDown()),
    onDown: (fn) => void after.push(fn),
  };
}

/** Network-namespace inode → PID of the sshd that is PID 1 of a lab host (chrooted into its root). */
async function scanHostInits(): Promise<Map<number, number>> {
  const byNetns = new Map<number, number>();
  for (const e of await readdir('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const status = await readFile(`/proc/${e}/status`, 'utf8').catch(() => '');
    if (!/^Name:\s+sshd$/m.test(status) || !/^NSpid:\s+\d+\s+1$/m.test(status)) continue;
    const ns = await stat(`/proc/${e}/ns/net`).catch(() => undefined);
    if (ns) byNetns.set(ns.ino, Number(e));
  }
  return byNetns;
}

const initPids = new Map<string, number>();

async function isHostInit(pid: number): Promise<boolean> {
  return /^Name:\s+sshd$/m.test(await readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''));
}

async function hostPid(h: BenchHost): Promise<number> {
  const known = initPids.get(h.netns);
  if (known && (await isHostInit(known))) return known;
  const target = await stat(`/run/netns/${h.netns}`).catch(() => undefined);
  if (!target) throw new Error(`bench: host ${h.name}: network namespace ${h.netns} is gone`);
  const pid = (await scanHostInits()).get(target.ino);
  if (!pid) throw new Error(`bench: host ${h.name}: its sshd is not running`);
  initPids.set(h.netns, pid);
  return pid;
}

/** Finds every host's init once (one /proc scan instead of one per host); returns their PIDs. */
export async function locateHosts(hosts: readonly BenchHost[]): Promise<number[]> {
  const inits = await scanHostInits();
  for (const h of hosts) {
    const target = await stat(`/run/netns/${h.netns}`).catch(() => undefined);
    const pid = target && inits.get(target.ino);
    if (!pid) throw new Error(`bench: host ${h.name}: its sshd is not running`);
    initPids.set(h.netns, pid);
  }
  return hosts.map((h) => initPids.get(h.netns)!);
}

/** Runs a sh script as root inside the host (its mount namespace and root directory). */
export async function inHost(h: BenchHost, script: string, timeoutMs = 30_000): Promise<string> {
  const pid = await hostPid(h);
  return new Promise((resolve, reject) => {
    const child = spawn('nsenter', ['--target', String(pid), '--mount', '--root', '--wd', 'sh', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`bench: host ${h.name}: state script failed (exit ${code}): ${Buffer.concat(err).toString('utf8').trim().slice(0, 400)}`));
    });
  });
}

/** Runs `fn` for every host, a few at a time (the machine has 2 cores). */
export async function eachHost<T>(hosts: readonly BenchHost[], fn: (h: BenchHost) => Promise<T>, concurrency = 8): Promise<Map<string, T>> {
  const limit = pLimit(concurrency);
  const out = new Map<string, T>();
  await Promise.all(hosts.map((h) => limit(async () => out.set(h.name, await fn(h)))));
  return out;
}
