// One Linux lab host on disk and as a process tree.
//
// Its root is an overlay of the whole machine (`/`) under the lab's layers, with a per-host upper
// directory: every path is private and writable (/etc, /usr, /opt, /var/lib, …) and tools that replace
// files by rename (sed -i) just work. /run, /tmp and /root are fresh per-host directories (the
// machine's root dotfiles are slow and its /run and /tmp are not the host's business).
//
// Process tree: `nsenter --net` (the host's network namespace) → `unshare --mount --uts --pid --time
// --fork --kill-child` → sh (PID 1 of the host) mounts the fstab and becomes `chroot … sshd -D`.
// sshd as PID 1 reaps everything on the host, and killing the unshare parent takes the whole host
// down (PID-namespace teardown), so nothing is left for the machine's init to reap.
import { chmod, chown, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostNetnsBatch } from './network.js';
import { KERNEL_BOOT_SCRIPT, prepareKernel } from './kernel-model.js';
import { REBOOT_MARKER } from './reboot-shim.js';
import { IB_BOOT_SCRIPT, sysClassDirs, sysClassFstab } from './ib-model.js';
import { commonLayerDir, defaultDotfiles, distroLayerDir } from './layers.js';
import type { LabDistro } from './host-files.js';
import { HOST_KEY_PATH, SSHD_PID_FILE } from './sshd.js';
import type { LabHost, LabInfo } from './state.js';

export interface HostLayout {
  name: string;
  distro: LabDistro;
  netns: string;
  /** Addresses of eth0, eth1, … */
  addresses: string[];
  prefixLength: number;
  /** The host's state directory on the lab tmpfs. */
  dir: string;
  layersDir: string;
  hostKey: { private: string; public: string };
  clientPublicKey: string;
}

/** Where a lab keeps its parts on its tmpfs. */
export function labFsLayout(labFs: string) {
  return {
    layers: join(labFs, 'layers'),
    keys: join(labFs, 'keys'),
    hosts: join(labFs, 'hosts'),
    socket: join(labFs, 'supervisor.sock'),
    supervisorLog: join(labFs, 'supervisor.log'),
  };
}

/** Everything prepareHost needs, from the lab's state (used by `up` and by host resets). */
export function hostLayout(info: LabInfo, h: LabHost, hostKey: HostLayout['hostKey'], clientPublicKey: string): HostLayout {
  return {
    name: h.name,
    distro: h.distro!,
    netns: h.netns,
    addresses: h.addresses,
    prefixLength: Number(info.subnet.split('/')[1]),
    dir: h.stateDir,
    layersDir: labFsLayout(info.labFs).layers,
    hostKey,
    clientPublicKey,
  };
}

export function hostPaths(dir: string) {
  return {
    upper: join(dir, 'upper'),
    work: join(dir, 'work'),
    merged: join(dir, 'merged'),
    run: join(dir, 'run'),
    tmp: join(dir, 'tmp'),
    root: join(dir, 'root-home'),
    fstab: join(dir, 'fstab'),
    net: join(dir, 'net.batch'),
    log: join(dir, 'start.log'),
    pidFile: join(dir, 'run', SSHD_PID_FILE.replace(/^\/run\//, '')),
    /** Left by the host's reboot (reboot-shim.ts) for the supervisor: start me again. */
    rebootMarker: join(dir, 'run', REBOOT_MARKER.replace(/^\/run\//, '')),
  };
}

const HOST_SCRIPT = [
  'set -e',
  'echo "$1" > /proc/sys/kernel/hostname',
  'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6 2>/dev/null || true',
  'echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6 2>/dev/null || true',
  'ip -batch "$2/net.batch"',
  // /run starts empty at every boot (a reboot keeps the overlay, not the run state), but for sshd's own.
  'find "$2/run" -mindepth 1 -maxdepth 1 ! -name sshd -exec rm -rf {} +',
  'mount -a -T "$2/fstab"',
  KERNEL_BOOT_SCRIPT,
  IB_BOOT_SCRIPT,
  'exec chroot "$2/merged" /usr/sbin/sshd -D -E /var/log/sshd.log',
].join('\n');

/** argv that starts the host (run by the lab supervisor so the process is reaped when it ends). */
export function hostStartArgv(h: Pick<LabHost, 'name' | 'netns' | 'stateDir'>): string[] {
  // A private (not slave) mount namespace: mounts made on the machine later — other labs, their
  // namespaces — must not propagate into hundreds of host namespaces.
  // A time namespace whose boot clock starts at this (re)start gives every boot a fresh uptime; the
  // offset is taken when the supervisor (re)spawns the host, so a small sh computes it each time.
  const start = [
    'exec nsenter "--net=/run/netns/$1"',
    "unshare --mount --propagation private --uts --pid --time",
    '--boottime "-$(cut -d. -f1 /proc/uptime)" --monotonic "-$(cut -d. -f1 /proc/uptime)" --fork --kill-child',
    'sh -c "$4" fleetlab-host "$2" "$3"',
  ].join(' ');
  return ['sh', '-c', start, 'fleetlab-start', h.netns, h.name, h.stateDir, HOST_SCRIPT];
}

function fstab(h: HostLayout): string {
  const p = hostPaths(h.dir);
  const lower = [distroLayerDir(h.layersDir, h.distro), commonLayerDir(h.layersDir), '/'].join(':');
  return [
    `overlay ${p.merged} overlay lowerdir=${lower},upperdir=${p.upper},workdir=${p.work} 0 0`,
    `proc ${p.merged}/proc proc nosuid,nodev,noexec 0 0`,
    `sysfs ${p.merged}/sys sysfs nosuid,nodev,noexec 0 0`,
    sysClassFstab(h.dir, p.merged),
    `/dev ${p.merged}/dev none rbind 0 0`,
    `tmpfs ${p.merged}/dev/shm tmpfs nosuid,nodev,mode=1777 0 0`,
    `${p.run} ${p.merged}/run none bind 0 0`,
    `${p.tmp} ${p.merged}/tmp none bind 0 0`,
    `${p.root} ${p.merged}/root none bind 0 0`,
    '',
  ].join('\n');
}

async function put(file: string, content: string, mode = 0o644): Promise<void> {
  await writeFile(file, content, { mode });
  await chmod(file, mode);
}

/** Writes the host's private state: host key, hostname, hosts file, fresh /run, /tmp and /root. */
export async function prepareHost(h: HostLayout): Promise<void> {
  const p = hostPaths(h.dir);
  await rm(h.dir, { recursive: true, force: true });
  const sysClass = sysClassDirs(h.dir);
  for (const d of [p.upper, p.work, p.merged, p.run, p.tmp, p.root, sysClass.upper, sysClass.work]) await mkdir(d, { recursive: true, mode: 0o755 });
  await chmod(p.tmp, 0o1777);
  await chmod(p.root, 0o700);
  // sshd's privilege-separation directory.
  await mkdir(join(p.run, 'sshd'), { mode: 0o755 });
  await mkdir(join(p.upper, 'etc/ssh'), { recursive: true, mode: 0o755 });
  await put(join(p.upper, HOST_KEY_PATH.slice(1)), h.hostKey.private, 0o600);
  await put(join(p.upper, `${HOST_KEY_PATH.slice(1)}.pub`), `${h.hostKey.public}\n`);
  await put(join(p.upper, 'etc/hostname'), `${h.name}\n`);
  // sudo resolves the host's own name; without this line every sudo warns on stderr.
  await put(join(p.upper, 'etc/hosts'), `127.0.0.1\tlocalhost\n127.0.1.1\t${h.name}\n${h.addresses[0]}\t${h.name}\n`);
  for (const [name, text] of Object.entries(await defaultDotfiles(true))) await put(join(p.root, name), text);
  await mkdir(join(p.root, '.ssh'), { mode: 0o700 });
  await put(join(p.root, '.ssh/authorized_keys'), `${h.clientPublicKey}\n`, 0o600);
  await chown(p.root, 0, 0);
  await put(p.fstab, fstab(h));
  await put(p.net, hostNetnsBatch(h.addresses, h.prefixLength));
  await prepareKernel(h.dir);
}
