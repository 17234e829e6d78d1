// Pure DOCA-OFED knowledge for mofed_install `flavor: doca`: what is installed (the profile
// meta-package as the package manager knows it, and which OFED stack `ofed_info -s` names), and the
// plan — install or upgrade the profile with the host's package manager in one command, or refuse a
// migration from MLNX_OFED unless `replace_mlnx: true`. Steps follow NVIDIA's DOCA host installation
// guide and Azure's HPC image scripts (see DOMAIN.md): the doca-host repository is configured, the
// cache refreshed, `apt-get install doca-ofed` / `dnf install doca-ofed`, and openibd restarted by the
// play's handler. MLNX_OFED is removed with its own /usr/sbin/ofed_uninstall.sh --force.
import { shQuote } from '../../engine/connection/quote.js';
import type { Plan } from '../../engine/contract/module.js';
import type { MofedHostFacts } from './mofed.js';
import { planRepoPackage, type RepoPackageArgs, type RepoPackageStep } from './doca-host.js';

export const DOCA_PROFILES = ['doca-ofed', 'doca-all', 'doca-roce'] as const;
export type DocaProfile = (typeof DOCA_PROFILES)[number];

export const MLNX_UNINSTALLER = '/usr/sbin/ofed_uninstall.sh';

export interface DocaFacts {
  pm?: 'apt' | 'dnf' | 'yum';
  /** Installed DOCA profile packages → their package version (2.9.1-1, 2.9.1-1.el8). */
  profiles: Partial<Record<DocaProfile, string>>;
  /** /usr/sbin/ofed_uninstall.sh is there (MLNX_OFED ships it). */
  uninstaller: boolean;
  /** The installed doca-host repository package's version. */
  hostPackage?: string;
}

// dpkg-query exits 1 when some name is unknown and still prints the others; rpm prints "package … is
// not installed" on stdout, hence the line prefix both outputs are filtered by. dnf/yum are looked
// for first: a RHEL-family host may carry apt-get (alien tooling), an Ubuntu host carries no dnf.
const NAMES = `${DOCA_PROFILES.join(' ')} doca-host`;
export const DOCA_FACTS_COMMAND = [
  'if command -v dnf >/dev/null 2>&1 || command -v yum >/dev/null 2>&1; then',
  'if command -v dnf >/dev/null 2>&1; then echo pm=dnf; else echo pm=yum; fi;',
  `rpm -q --qf 'profile=%{NAME}\\tii \\t%{VERSION}-%{RELEASE}\\n' ${NAMES} 2>/dev/null | grep '^profile=';`,
  'elif command -v apt-get >/dev/null 2>&1; then echo pm=apt;',
  `dpkg-query -W -f='profile=\${Package}\\t\${db:Status-Abbrev}\\t\${Version}\\n' ${NAMES} 2>/dev/null | grep '^profile=';`,
  'fi;',
  `if [ -x ${MLNX_UNINSTALLER} ]; then echo uninstaller=yes; fi`,
].join(' ');

export function parseDocaFacts(stdout: string): DocaFacts {
  const facts: DocaFacts = { profiles: {}, uninstaller: false };
  for (const line of stdout.split('\n')) {
    if (line.startsWith('pm=')) facts.pm = line.slice(3).trim() as DocaFacts['pm'];
    if (line.trim() === 'uninstaller=yes') facts.uninstaller = true;
    if (!line.startsWith('profile=')) continue;
    const [name, status, version] = line.slice('profile='.length).split('\t');
    // Only fully installed packages count ("ii"); a removed one with config left is "rc".
    if (!name || !version || !/^[ih]i/.test(status ?? '')) continue;
    if ((DOCA_PROFILES as readonly string[]).includes(name)) facts.profiles[name as DocaProfile] = version.trim();
    else if (name === 'doca-host') facts.hostPackage = version.trim();
  }
  return facts;
}

/** The DOCA release a package version carries: 2.9.1-1 → 2.9.1. */
export const docaRelease = (pkgVersion: string) => pkgVersion.replace(/^[0-9]+:/, '').split('-')[0]!;

export const mlnxInstalled = (f: Pick<MofedHostFacts, 'banner' | 'installed'>) => f.banner?.startsWith('MLNX_OFED_LINUX-') ?? false;

/** The DOCA-OFED stack present on the host, as "doca-ofed 2.9.1-1", or undefined. */
export function installedDoca(f: Pick<MofedHostFacts, 'banner'>, doca: DocaFacts): { profile: DocaProfile; version: string } | undefined {
  for (const p of DOCA_PROFILES) if (doca.profiles[p]) return { profile: p, version: doca.profiles[p]! };
  return undefined;
}

export interface DocaStep {
  flavor: 'doca';
  pm: NonNullable<DocaFacts['pm']>;
  profile: DocaProfile;
  version: string;
  previous?: string;
  /** MLNX_OFED's version when it is removed first. */
  removeMlnx?: string;
  /** The doca-host repository package to install first (src/url/base_url). */
  repo?: RepoPackageStep;
}

/** The package spec pinning the profile to the DOCA release (apt globs the revision; dnf matches name-version). */
export function profileSpec(pm: DocaStep['pm'], profile: DocaProfile, version: string): string {
  return pm === 'apt' ? `${profile}=${version}*` : `${profile}-${version}`;
}

/** The one host command of a DOCA install: refresh the cache, install (or upgrade) the profile. */
export function docaInstallCommand(s: DocaStep): string {
  const spec = shQuote(profileSpec(s.pm, s.profile, s.version));
  const lines = ['export LC_ALL=C'];
  if (s.removeMlnx) lines.push(`${MLNX_UNINSTALLER} --force || { echo "ofed_uninstall.sh failed (exit $?)" >&2; exit 210; }`);
  if (s.pm === 'apt') {
    lines.push(
      'export DEBIAN_FRONTEND=noninteractive',
      'apt-get -q -o DPkg::Lock::Timeout=60 update || exit $?',
      `apt-get -y -q -o DPkg::Lock::Timeout=60 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold install ${spec}`,
    );
  } else {
    lines.push(`${s.pm} -y -q --refresh install ${spec}`);
  }
  return lines.join('\n');
}

export interface DocaArgs extends RepoPackageArgs {
  version: string;
  profile?: DocaProfile;
  replace_mlnx?: boolean;
  force?: boolean;
}

/** Arguments that belong to the MLNX_OFED tarball installer and mean nothing to the DOCA flavor. */
export const MLNX_ONLY_ARGS = ['distro', 'add_kernel_support', 'extra_args', 'firmware_update'] as const;

export function planDoca(args: DocaArgs & Record<string, unknown>, facts: MofedHostFacts, doca: DocaFacts): Plan<DocaStep> {
  const profile = args.profile ?? 'doca-ofed';
  const have = installedDoca(facts, doca);
  const result = { flavor: 'doca', version: args.version, profile, installed_version: have ? docaRelease(have.version) : null, ofed_info: facts.banner ?? null };
  const mlnxArgs = MLNX_ONLY_ARGS.filter((k) => args[k] !== undefined);
  if (mlnxArgs.length) return { changes: [], result, failed: `${mlnxArgs.join(', ')} belong to flavor: mlnx (the MLNX_OFED tarball installer); flavor: doca installs with the package manager from the doca-host repository` };
  if (!/^[0-9]+\.[0-9]+\.[0-9]+$/.test(args.version)) {
    return { changes: [], result, failed: `version ${args.version} is not a DOCA release (such as 2.9.1)${/-/.test(args.version) ? '; it looks like an MLNX_OFED version: use flavor: mlnx' : ''}` };
  }
  if (!doca.pm) return { changes: [], result, failed: 'neither apt-get nor dnf/yum is on the host: DOCA-OFED installs through the package manager' };
  const mlnx = mlnxInstalled(facts) ? (facts.installed ?? facts.banner!.slice('MLNX_OFED_LINUX-'.length).replace(/:$/, '')) : undefined;
  const current = have?.profile === profile ? docaRelease(have.version) : undefined;
  if (!mlnx && current === args.version && !args.force) {
    return { changes: [], result, reason: `DOCA-OFED ${args.version} is already installed (${profile} ${have!.version}${facts.banner ? `; ofed_info -s: ${facts.banner}` : ''})` };
  }
  const repo = planRepoPackage(args, facts, doca.pm, doca.hostPackage);
  if (repo.failed) return { changes: [], result, failed: repo.failed };
  const via = repo.step ? `${repo.step.url ?? `upload ${repo.step.src}`} → ${doca.pm === 'apt' ? 'dpkg -i' : 'rpm -U'}, then ` : '';
  const install = `install DOCA-OFED ${args.version} (${via}${doca.pm} install ${profileSpec(doca.pm, profile, args.version)})`;
  let reason: string;
  let before: string;
  if (mlnx) {
    reason = `remove MLNX_OFED ${mlnx} (ofed_uninstall.sh), ${install}`;
    before = `MLNX_OFED ${mlnx}`;
    if (!args.replace_mlnx) return { changes: [], result, failed: `${reason}: refused, this would remove the installed MLNX_OFED driver; set replace_mlnx: true to migrate` };
    if (!doca.uninstaller) return { changes: [], result, failed: `MLNX_OFED ${mlnx} is installed but ${MLNX_UNINSTALLER} is missing: remove it by hand first` };
  } else if (have) {
    const from = docaRelease(have.version);
    reason = from === args.version ? `reinstall DOCA-OFED ${args.version} as ${profile} (${have.profile} ${have.version} installed)` : `upgrade DOCA-OFED ${from} → ${args.version} (${via}${doca.pm} install ${profileSpec(doca.pm, profile, args.version)})`;
    before = `DOCA-OFED ${from} (${have.profile})`;
  } else {
    reason = install;
    before = '(none)';
  }
  const step: DocaStep = { flavor: 'doca', pm: doca.pm, profile, version: args.version, ...(have ? { previous: docaRelease(have.version) } : {}), ...(mlnx ? { removeMlnx: mlnx } : {}), ...(repo.step ? { repo: repo.step } : {}) };
  return {
    changes: [step],
    result,
    reason,
    diff: [{ kind: 'fields', label: 'OFED', fields: [{ key: 'stack', before, after: `DOCA-OFED ${args.version} (${profile})` }] }],
  };
}

/** The reverse migration: flavor mlnx on a host that runs DOCA-OFED. Undefined when DOCA is absent. */
export function docaRemovalFor(mlnxVersion: string, facts: MofedHostFacts, doca: DocaFacts, replace: boolean): { failed?: string; remove?: { pm: NonNullable<DocaFacts['pm']>; packages: DocaProfile[]; version: string } } | undefined {
  const have = installedDoca(facts, doca);
  if (!have && !facts.banner?.startsWith('OFED-internal')) return undefined;
  const version = have ? docaRelease(have.version) : facts.banner!.replace(/:$/, '');
  const what = `remove DOCA-OFED ${version} (${doca.pm ?? 'package manager'} remove ${have?.profile ?? 'doca-ofed'}), install MLNX_OFED ${mlnxVersion}`;
  if (!have || !doca.pm) return { failed: `${what}: DOCA-OFED is installed (${facts.banner}) but no DOCA profile package is known to the package manager; remove it by hand first` };
  if (!replace) return { failed: `${what}: refused, this would remove the installed DOCA-OFED driver; set replace_mlnx: true to switch back` };
  return { remove: { pm: doca.pm, packages: DOCA_PROFILES.filter((p) => doca.profiles[p]), version } };
}

/** Removes the DOCA profile packages and what only they pulled in. */
export function docaRemoveCommand(r: { pm: NonNullable<DocaFacts['pm']>; packages: DocaProfile[] }): string {
  const names = r.packages.map(shQuote).join(' ');
  return r.pm === 'apt'
    ? `DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=60 purge --autoremove ${names}`
    : `${r.pm} -y -q remove ${names}`;
}

/** The kernel modules an InfiniBand host needs, checked for the running kernel after an install. */
export const IB_KMODS = ['mlx5_core', 'mlx5_ib', 'ib_ipoib', 'ib_uverbs'] as const;

// modinfo -k answers from modules.dep; a module file under /lib/modules/<kernel> counts as well (a
// host without kmod tools, or before depmod ran). A missing one is looked for under every kernel,
// to tell "built for another kernel" from "not built at all".
export const KMODS_COMMAND = [
  'k=$(uname -r); echo "kmod_kernel=$k"',
  `for m in ${IB_KMODS.join(' ')}; do`,
  'if command -v modinfo >/dev/null 2>&1 && modinfo -k "$k" -F filename "$m" >/dev/null 2>&1; then echo "kmod=$m ok";',
  'elif [ -n "$(find "/lib/modules/$k" -name "$m.ko*" 2>/dev/null | head -n1)" ]; then echo "kmod=$m ok";',
  'else echo "kmod=$m missing $(find /lib/modules -name "$m.ko*" 2>/dev/null | head -n1)"; fi; done',
].join('\n');

/** The failure message when modules are missing for the running kernel, or undefined when all exist. */
export function kmodProblem(stdout: string): string | undefined {
  const kernel = /^kmod_kernel=(.*)$/m.exec(stdout)?.[1]?.trim() ?? '?';
  const missing: string[] = [];
  const others = new Set<string>();
  for (const m of stdout.matchAll(/^kmod=(\S+) missing ?(\S*)$/gm)) {
    missing.push(m[1]!);
    const other = /^\/lib\/modules\/([^/]+)\//.exec(m[2] ?? '')?.[1];
    if (other) others.add(other);
  }
  if (!missing.length) return undefined;
  const built = others.size ? `they are built for ${[...others].join(', ')}, not for the running kernel ${kernel}` : `none is built for the running kernel ${kernel} (nor any other)`;
  return `kernel modules ${missing.join(', ')} are missing for the running kernel ${kernel}: ${built}; rebuild them for ${kernel} (DKMS: install the kernel headers and run dkms autoinstall; MLNX_OFED: add_kernel_support: true) or boot the kernel they were built for`;
}
