// Pure MLNX_OFED knowledge: tarball naming, distro tags from os-release, installer flags per distro
// family, and what each mlnxofedinstall exit code means. Facts from the vendor docs and Azure's HPC
// image scripts (see DOMAIN.md); anything unconfirmed is overridable by the module's arguments.

export const DEFAULT_MOFED_BASE_URL = 'https://content.mellanox.com/ofed';

/** Distro tags MLNX_OFED publishes tarballs for (a subset; `distro:` accepts any). */
export const KNOWN_DISTROS = ['rhel7.6', 'rhel7.9', 'rhel8.6', 'rhel8.7', 'rhel8.8', 'rhel9.2', 'ubuntu18.04', 'ubuntu20.04', 'ubuntu22.04', 'ubuntu24.04', 'sles15sp4'];

export type DistroFamily = 'debian' | 'rhel' | 'sles';

export interface MofedHostFacts {
  /** `ofed_info -n` (e.g. 5.8-3.0.7.0), undefined when no ofed_info is on PATH. */
  installed?: string;
  /** `ofed_info -s` first line, e.g. `MLNX_OFED_LINUX-5.8-3.0.7.0:` or DOCA's `OFED-internal-24.04-0.6.6:`. */
  banner?: string;
  kernel: string;
  arch: string;
  osId: string;
  osVersionId: string;
  osIdLike: string;
  /** /usr/src/kernels/<kernel> exists (RHEL kernel-devel for the running kernel). */
  kernelSources: boolean;
  downloader?: 'curl' | 'wget' | 'python3';
}

/** One shell command that prints every fact the module needs, one `key=value` per line. */
export const MOFED_FACTS_COMMAND = [
  'k=$(uname -r)',
  'printf "kernel=%s\\narch=%s\\n" "$k" "$(uname -m)"',
  'if command -v ofed_info >/dev/null 2>&1; then printf "installed=%s\\nbanner=%s\\n" "$(ofed_info -n 2>/dev/null | head -n1)" "$(ofed_info -s 2>/dev/null | head -n1)"; fi',
  '( . /etc/os-release 2>/dev/null; printf "os_id=%s\\nos_version_id=%s\\nos_id_like=%s\\n" "$ID" "$VERSION_ID" "$ID_LIKE" )',
  'if [ -d "/usr/src/kernels/$k" ]; then echo kernel_sources=yes; else echo kernel_sources=no; fi',
  'for d in curl wget python3; do if command -v $d >/dev/null 2>&1; then echo downloader=$d; break; fi; done',
].join('; ');

export function parseMofedFacts(stdout: string): MofedHostFacts {
  const kv = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) kv.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  const installed = kv.get('installed') || undefined;
  return {
    installed,
    banner: kv.get('banner') || undefined,
    kernel: kv.get('kernel') ?? '',
    arch: kv.get('arch') || 'x86_64',
    osId: (kv.get('os_id') ?? '').toLowerCase(),
    osVersionId: kv.get('os_version_id') ?? '',
    osIdLike: (kv.get('os_id_like') ?? '').toLowerCase(),
    kernelSources: kv.get('kernel_sources') === 'yes',
    downloader: (kv.get('downloader') as MofedHostFacts['downloader']) || undefined,
  };
}

const RHEL_LIKE = ['rhel', 'centos', 'almalinux', 'rocky', 'ol'];

export function distroFamily(facts: Pick<MofedHostFacts, 'osId' | 'osIdLike'>): DistroFamily | undefined {
  const ids = [facts.osId, ...facts.osIdLike.split(/\s+/)];
  if (ids.some((i) => RHEL_LIKE.includes(i) || i === 'fedora')) return 'rhel';
  if (ids.some((i) => i === 'sles' || i === 'suse' || i === 'opensuse')) return 'sles';
  if (ids.some((i) => i === 'ubuntu' || i === 'debian')) return 'debian';
  return undefined;
}

/** ubuntu22.04, rhel8.6 (for every RHEL rebuild), sles15sp4 (from VERSION_ID=15.4; unconfirmed mapping). */
export function distroTag(facts: Pick<MofedHostFacts, 'osId' | 'osVersionId' | 'osIdLike'>): string | undefined {
  const v = facts.osVersionId;
  if (!facts.osId || !v) return undefined;
  if (facts.osId === 'ubuntu' || facts.osId === 'debian') return `${facts.osId}${v}`;
  if (RHEL_LIKE.includes(facts.osId)) return `rhel${v}`;
  if (facts.osId === 'sles' || facts.osId === 'sled') {
    const [major, minor] = v.split('.');
    return minor && minor !== '0' ? `sles${major}sp${minor}` : `sles${major}`;
  }
  return undefined;
}

export function packageName(version: string, distro: string, arch: string): string {
  return `MLNX_OFED_LINUX-${version}-${distro}-${arch}`;
}

export function tarballUrl(baseUrl: string, version: string, distro: string, arch: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/MLNX_OFED-${version}/${packageName(version, distro, arch)}.tgz`;
}

export interface FlagOptions {
  family: DistroFamily;
  kernel: string;
  distro: string;
  /** The user gave `distro:` explicitly: always pass --distro then. */
  distroOverridden: boolean;
  addKernelSupport: boolean;
  firmwareUpdate: boolean;
  force: boolean;
  extraArgs: string[];
}

/** The installer's flags as Azure's HPC image scripts use them, per distro family. */
export function installerFlags(o: FlagOptions): string[] {
  const flags: string[] = [];
  if (o.family === 'rhel' && o.addKernelSupport) flags.push('--kernel', o.kernel, '--kernel-sources', `/usr/src/kernels/${o.kernel}`);
  if (o.addKernelSupport) flags.push('--add-kernel-support');
  if (o.family === 'rhel') flags.push('--skip-repo');
  flags.push('--skip-unsupported-devices-check');
  if (!o.firmwareUpdate) flags.push('--without-fw-update');
  if (o.family === 'rhel' || o.distroOverridden) flags.push('--distro', o.distro);
  if (o.force) flags.push('--force');
  flags.push(...o.extraArgs);
  return flags;
}

/** Our own step failures, chosen outside the installer's documented codes. */
export const STEP_EXIT = { download: 201, checksum: 202, extract: 203, noInstaller: 204, tmp: 205 } as const;

/** The install script's stderr line carrying the tarball's actual sha256 when it does not match. */
export const ACTUAL_SHA256_MARK = 'fleetplay-actual-sha256: ';

/** The actual sha256 hex the install script reported, if it did. */
export function actualSha256(stderr: string): string | undefined {
  const m = new RegExp(`^${ACTUAL_SHA256_MARK}([0-9a-f]{64})$`, 'm').exec(stderr);
  return m?.[1];
}

export interface ExitMeaning {
  ok: boolean;
  message: string;
}

export function explainExit(rc: number, ctx: { url?: string; tarball: string; checksum?: string; actual?: string }): ExitMeaning {
  switch (rc) {
    case 0:
      return { ok: true, message: 'installed' };
    case 2:
      return { ok: true, message: 'installed; no firmware was found for the adapter, so firmware was not updated (exit 2)' };
    case 1:
      return { ok: false, message: 'mlnxofedinstall failed (exit 1); see its log under /tmp/MLNX_OFED_LINUX.*.logs on the host' };
    case 22:
      return { ok: false, message: 'mlnxofedinstall rejected a parameter (exit 22): check extra_args and distro' };
    case 28:
      return { ok: false, message: 'not enough disk space for the installation (exit 28): free space in tmp_dir and /' };
    case 171:
      return { ok: false, message: 'MLNX_OFED is not applicable to this system (exit 171): no supported Mellanox/NVIDIA adapter found' };
    case 172:
      return { ok: false, message: 'prerequisites not met (exit 172): the installer lists the missing packages in its output' };
    case 173:
      return { ok: false, message: 'failed to start the mst driver (exit 173)' };
    case 174:
      return { ok: false, message: 'non-OFED RDMA packages are installed (exit 174): remove them, or set force: true' };
    case STEP_EXIT.download:
      return { ok: false, message: `download failed: ${ctx.url ?? ctx.tarball} (check base_url/version/distro, or give src:)` };
    case STEP_EXIT.checksum:
      return { ok: false, message: `checksum mismatch for ${ctx.tarball}: expected ${ctx.checksum}, got ${ctx.actual ? `sha256:${ctx.actual}` : 'another sum'}; nothing was extracted or installed` };
    case STEP_EXIT.extract:
      return { ok: false, message: `could not extract ${ctx.tarball} (corrupt tarball or no space)` };
    case STEP_EXIT.noInstaller:
      return { ok: false, message: `${ctx.tarball} has no mlnxofedinstall in its top directory` };
    case STEP_EXIT.tmp:
      return { ok: false, message: 'could not create a temporary directory under tmp_dir' };
    default:
      return { ok: false, message: `mlnxofedinstall exited with unexpected code ${rc}` };
  }
}
