// Each lab host's kernel, as far as the modules that tune one can see it: the non-network sysctls are
// per-host files bind-mounted over /proc/sys/<key> in the host's mount namespace, so the real procps
// `sysctl` and `cat /proc/sys/...` read and write the host's model and never the machine's kernel.
// The machine's kernel has no loadable modules (no /proc/modules to mount over), so the loaded
// modules live in MODULES_FILE, in /proc/modules' format, which the lab's modprobe and lsmod use. The rest
// of /proc/sys is read-only on the host (like a container's), except /proc/sys/net, which the host's
// own network namespace already keeps private. Every boot starts from the same defaults with a new
// boot id, then applies /etc/modules-load.d and /etc/sysctl.d as systemd would.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Sysctls a fresh Azure HPC VM reports (values as /proc/sys prints them). */
export const SYSCTL_DEFAULTS: Readonly<Record<string, string>> = {
  'vm.swappiness': '60',
  'vm.zone_reclaim_mode': '0',
  'vm.max_map_count': '65530',
  'vm.overcommit_memory': '0',
  'vm.dirty_ratio': '20',
  'vm.dirty_background_ratio': '10',
  'vm.min_free_kbytes': '67584',
  'vm.nr_hugepages': '0',
  'kernel.numa_balancing': '1',
  'kernel.pid_max': '4194304',
  'kernel.randomize_va_space': '2',
  'kernel.sched_autogroup_enabled': '1',
  'fs.file-max': '9223372036854775807',
};

/** Modules the host could load: name → the modules it needs first. */
export const AVAILABLE_MODULES: Readonly<Record<string, readonly string[]>> = {
  hv_vmbus: [],
  hv_netvsc: ['hv_vmbus'],
  hv_storvsc: ['hv_vmbus'],
  hv_utils: ['hv_vmbus'],
  mlxfw: [],
  mlx5_core: ['mlxfw'],
  ib_core: [],
  ib_uverbs: ['ib_core'],
  ib_umad: ['ib_core'],
  ib_cm: ['ib_core'],
  iw_cm: ['ib_core'],
  rdma_cm: ['ib_cm', 'iw_cm', 'ib_core'],
  rdma_ucm: ['rdma_cm', 'ib_uverbs', 'ib_core'],
  ib_ipoib: ['ib_cm', 'ib_core'],
  mlx5_ib: ['mlx5_core', 'ib_uverbs', 'ib_core'],
  nvme_core: [],
  nvme_fabrics: ['nvme_core'],
  nvme_rdma: ['nvme_fabrics', 'rdma_cm', 'ib_core'],
  llc: [],
  stp: ['llc'],
  bridge: ['stp', 'llc'],
  br_netfilter: ['bridge'],
  dummy: [],
  overlay: [],
};

/** Loaded at every boot: what an HPC VM with an SR-IOV InfiniBand function shows before tuning. */
export const BOOT_MODULES = ['hv_vmbus', 'hv_netvsc', 'hv_storvsc', 'hv_utils', 'mlxfw', 'mlx5_core', 'ib_core', 'ib_uverbs', 'mlx5_ib'];

/** The host's loaded modules (in /proc/modules' format); on the host's private /run. */
export const MODULES_FILE = '/run/fleetlab/kernel/modules';

/** The list the modprobe shim reads on the host: `name size dep,dep,` per line. */
export const AVAILABLE_MODULES_FILE = '/usr/lib/fleetlab/kernel-modules';

function size(name: string): number {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) % 400;
  return 16384 + h * 1024;
}

export function availableModulesList(): string {
  return Object.entries(AVAILABLE_MODULES).map(([n, deps]) => `${n} ${size(n)} ${deps.join(',')}${deps.length ? ',' : '-'}\n`).join('');
}

/** /proc/modules text for a set of loaded modules ("used by" = the loaded modules that need each). */
export function procModules(loaded: readonly string[]): string {
  return [...loaded].reverse().map((n) => {
    const users = loaded.filter((u) => AVAILABLE_MODULES[u]?.includes(n));
    return `${n} ${size(n)} ${users.length} ${users.length ? `${users.join(',')},` : '-'} Live 0x0000000000000000\n`;
  }).join('');
}

/** Writes a host's boot-time kernel state under its state directory (copied afresh at each boot). */
export async function prepareKernel(stateDir: string): Promise<void> {
  const boot = join(stateDir, 'kernel', 'boot');
  await mkdir(join(boot, 'sys'), { recursive: true });
  for (const [key, value] of Object.entries(SYSCTL_DEFAULTS)) await writeFile(join(boot, 'sys', key), `${value}\n`);
  await writeFile(join(boot, 'modules'), procModules(BOOT_MODULES));
}

/**
 * sh run as the host's PID 1 after its fstab is mounted ($2 = the host's state directory): a fresh
 * copy of the boot state, a new boot id, the bind mounts, then the persistent configuration.
 */
export const KERNEL_BOOT_SCRIPT = [
  'k="$2/kernel/live" m="$2/merged"',
  'rm -rf "$k" && cp -a "$2/kernel/boot" "$k"',
  'cat /proc/sys/kernel/random/uuid > "$k/boot_id"',
  'mount --bind "$m/proc/sys" "$m/proc/sys" && mount -o remount,bind,ro "$m/proc/sys"',
  'mount --bind "$m/proc/sys/net" "$m/proc/sys/net" && mount -o remount,bind,rw "$m/proc/sys/net"',
  'for f in "$k"/sys/*; do t="$m/proc/sys/$(basename "$f" | tr . /)"; [ ! -e "$t" ] || mount --bind "$f" "$t"; done',
  `mkdir -p "$m${MODULES_FILE.replace(/\/[^/]*$/, '')}" && cp "$k/modules" "$m${MODULES_FILE}"`,
  'mount --bind "$k/boot_id" "$m/proc/sys/kernel/random/boot_id"',
  // What systemd-modules-load and systemd-sysctl do at boot; a bad entry is logged, not fatal.
  `chroot "$m" /usr/bin/env PATH=/usr/sbin:/usr/bin:/sbin:/bin /bin/sh -c 'for f in /etc/modules-load.d/*.conf; do [ -f "$f" ] && sed -e "s/#.*//" "$f"; done | while read -r mod; do [ -z "$mod" ] || modprobe "$mod"; done; for f in /etc/sysctl.d/*.conf /etc/sysctl.conf; do [ -f "$f" ] && sysctl -q -p "$f"; done; true' >> "$2/start.log" 2>&1 || true`,
].join('\n');
