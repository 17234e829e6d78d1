// The doca-host repository package: NVIDIA publishes one per DOCA release and distro, which adds a
// local repository of that release to the host (then `apt-get update` / `dnf clean all` and the
// profile install). Its names, as NVIDIA's download area and Azure's image scripts use them:
//   <base>/DOCA_v<doca>/host/doca-host_<doca>-<build>-<ofed yy.mm>-ubuntu<maj><min>_amd64.deb
//   <base>/DOCA_v<doca>/host/doca-host-<doca>-<build>_<ofed yy.mm>_rhel<maj><min>.x86_64.rpm
// (no dot in the distro part: ubuntu2204, rhel87 — unlike MLNX_OFED's ubuntu22.04 / rhel8.7). The
// build number is not derivable from the release, hence the table; a release not in it needs `url:`
// or `src:`. Sources: docs/ofed-naming.md.
import { distroTag, type MofedHostFacts } from './mofed.js';

export const DEFAULT_DOCA_BASE_URL = 'https://www.mellanox.com/downloads/DOCA';

/** DOCA release → the build and the OFED (yy.mm) its doca-host packages are named with. */
export const DOCA_HOST_BUILDS: Readonly<Record<string, { build: string; ofed: string }>> = {
  '2.7.0': { build: '204000', ofed: '24.04' },
  '2.8.0': { build: '204000', ofed: '24.07' },
  '2.9.0': { build: '129000', ofed: '24.10' },
  '2.9.1': { build: '018000', ofed: '24.10' },
  '2.9.3': { build: '021000', ofed: '24.10' },
  '2.10.0': { build: '093000', ofed: '25.01' },
  '3.0.0': { build: '058000', ofed: '25.04' },
};

/** doca-host's distro part for a host: ubuntu2204, rhel87 (RHEL-family hosts use the RHEL name). */
export function docaDistro(facts: Pick<MofedHostFacts, 'osId' | 'osVersionId' | 'osIdLike'>): string | undefined {
  const tag = distroTag(facts);
  if (!tag || !/^(ubuntu|rhel)/.test(tag)) return undefined;
  return tag.replace('.', '');
}

export function docaHostFileName(doca: string, distro: string, pm: 'apt' | 'dnf' | 'yum'): string | undefined {
  const b = DOCA_HOST_BUILDS[doca];
  if (!b) return undefined;
  return pm === 'apt' ? `doca-host_${doca}-${b.build}-${b.ofed}-${distro}_amd64.deb` : `doca-host-${doca}-${b.build}_${b.ofed}_${distro}.x86_64.rpm`;
}

export function docaHostUrl(base: string, doca: string, file: string): string {
  return `${base.replace(/\/+$/, '')}/DOCA_v${doca}/host/${file}`;
}

export interface RepoPackageArgs {
  version: string;
  src?: string;
  url?: string;
  base_url?: string;
  checksum?: string;
  allow_unverified?: boolean;
  tmp_dir?: string;
}

/** Installing the doca-host package: where it comes from and how it is checked. */
export interface RepoPackageStep {
  file: string;
  url?: string;
  src?: string;
  checksum?: string;
  tmpBase: string;
  downloader: MofedHostFacts['downloader'];
}

/** The doca-host step a DOCA install needs, a failure, or nothing (no package given, or installed). */
export function planRepoPackage(args: RepoPackageArgs, facts: MofedHostFacts, pm: 'apt' | 'dnf' | 'yum', installed: string | undefined): { step?: RepoPackageStep; failed?: string } {
  if (!args.src && !args.url && !args.base_url) return {};
  const given = ['src', 'url', 'base_url'].filter((k) => args[k as keyof RepoPackageArgs] !== undefined);
  if (given.length > 1) return { failed: `give the doca-host package by one of src, url or base_url, not ${given.join(' and ')}` };
  if (installed && installed.replace(/^[0-9]+:/, '').split('-')[0] === args.version) return {};
  if (!args.checksum && !args.allow_unverified) {
    return { failed: 'checksum is required for the doca-host repository package (sha256:<hex>, as published beside it); set allow_unverified: true to install it unchecked' };
  }
  let file: string;
  let url: string | undefined;
  if (args.src) file = args.src.split('/').pop()!;
  else if (args.url) {
    url = args.url;
    file = decodeURIComponent(new URL(args.url).pathname.split('/').pop() || 'doca-host');
  } else {
    const distro = docaDistro(facts);
    if (!distro) return { failed: `no doca-host package is published for ${facts.osId || '?'} ${facts.osVersionId || ''} (Ubuntu and RHEL-family only): give url: or src:` };
    const name = docaHostFileName(args.version, distro, pm);
    if (!name) return { failed: `the doca-host file name of DOCA ${args.version} is not known (its build number is part of it; known: ${Object.keys(DOCA_HOST_BUILDS).join(', ')}): give url: or src:` };
    file = name;
    url = docaHostUrl(args.base_url!, args.version, name);
  }
  if (!/\.(deb|rpm)$/.test(file)) return { failed: `the doca-host package must be a .deb or .rpm file, not ${file}` };
  if ((pm === 'apt') !== file.endsWith('.deb')) return { failed: `${file} is not a package for this host's ${pm}` };
  if (url && !facts.downloader) return { failed: 'no curl, wget or python3 on the host to download the doca-host package with: install one, or give src:' };
  return {
    step: { file, ...(url ? { url } : {}), ...(args.src ? { src: args.src } : {}), ...(args.checksum ? { checksum: args.checksum } : {}), tmpBase: (args.tmp_dir ?? '/tmp').replace(/\/+$/, ''), downloader: facts.downloader },
  };
}

/** Exit codes of the repo-package script, each explained by the module. */
export const REPO_EXIT = { download: 221, checksum: 222, install: 223 } as const;

/** sh run in a fresh temp dir holding (or downloading) pkg: verify, then dpkg -i / rpm -U it. */
export function repoPackageScript(tmp: string, s: RepoPackageStep, pm: 'apt' | 'dnf' | 'yum', q: (v: string) => string, actualMark: string): string {
  const hex = s.checksum?.slice('sha256:'.length).toLowerCase();
  const u = s.url ? q(s.url) : '';
  const fetch = !s.url
    ? `test -s pkg || exit ${REPO_EXIT.download}`
    : s.downloader === 'curl'
      ? `curl -fsSL --retry 3 --retry-delay 2 -o pkg ${u} || exit ${REPO_EXIT.download}`
      : s.downloader === 'wget'
        ? `wget -q --tries=3 -O pkg ${u} || exit ${REPO_EXIT.download}`
        : `python3 -c 'import sys,urllib.request; urllib.request.urlretrieve(sys.argv[1], "pkg")' ${u} || exit ${REPO_EXIT.download}`;
  return [
    'set -u',
    `cd ${q(tmp)} || exit ${REPO_EXIT.download}`,
    `trap ${q(`cd /; rm -rf -- ${q(tmp)}`)} EXIT`,
    fetch,
    hex ? `fp_sum=$(sha256sum < pkg); fp_sum=\${fp_sum%% *}; [ "$fp_sum" = ${hex} ] || { echo "${actualMark}$fp_sum" >&2; exit ${REPO_EXIT.checksum}; }` : ':',
    // dpkg and rpm want the right extension to recognise the file.
    `mv pkg ${q(s.file)}`,
    pm === 'apt' ? `dpkg -i ${q(`./${s.file}`)} || exit ${REPO_EXIT.install}` : `rpm -U --replacepkgs ${q(`./${s.file}`)} && ${pm} clean all >/dev/null || exit ${REPO_EXIT.install}`,
  ].join('\n');
}
