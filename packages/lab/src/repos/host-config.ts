// What a lab host needs to use the lab's repositories, as files of its distro layer: apt sources
// (deb822) and the archive keyring on Ubuntu-like hosts; a .repo file, the rpm key, an rpm database
// under /var/lib/rpm and a dnf.conf on RHEL-like hosts. It also hides what would point a host at the
// machine's own Debian archive (sources, downloaded indexes, binary caches, desktop hooks).
import { readdir, readFile } from 'node:fs/promises';
import { distroFamily, type LabDistro } from '../host-files.js';
import { APT_COMPONENT } from './build-apt.js';
import { RPM_REPOS } from './build-rpm.js';
import type { RepoTree } from './build.js';

export const APT_KEYRING = '/usr/share/keyrings/fleetlab-archive-keyring.gpg';
export const RPM_KEY = '/etc/pki/rpm-gpg/RPM-GPG-KEY-fleetlab';
export const APT_SOURCES = '/etc/apt/sources.list.d/fleetlab.sources';
export const DNF_REPO_FILE = '/etc/yum.repos.d/fleetlab.repo';

export interface RepoLayer {
  files: Record<string, string | Buffer>;
  hidden: string[];
}

export function aptSuite(distro: LabDistro): string {
  return distro === 'ubuntu20.04' ? 'focal' : 'jammy';
}

export function aptSources(baseUrl: string, suite: string): string {
  return ['Types: deb', `URIs: ${baseUrl}/apt`, `Suites: ${suite}`, `Components: ${APT_COMPONENT}`, `Signed-By: ${APT_KEYRING}`, ''].join('\n');
}

export function dnfRepo(baseUrl: string): string {
  return [
    '[fleetlab-baseos]',
    'name=fleetlab BaseOS',
    `baseurl=${baseUrl}/rpm/${RPM_REPOS.trusted}/`,
    'enabled=1',
    // Both the packages (rpm) and repomd.xml (repomd.xml.asc) are signature-checked.
    'gpgcheck=1',
    'repo_gpgcheck=1',
    `gpgkey=file://${RPM_KEY}`,
    '',
  ].join('\n');
}

const entries = (dir: string) => readdir(dir, { withFileTypes: true }).catch(() => []);

async function machineAptState(): Promise<string[]> {
  const out: string[] = [];
  for (const e of await entries('/etc/apt/sources.list.d')) out.push(`etc/apt/sources.list.d/${e.name}`);
  if ((await entries('/etc/apt')).some((e) => e.name === 'sources.list')) out.push('etc/apt/sources.list');
  for (const e of await entries('/var/lib/apt/lists')) if (e.isFile() && e.name !== 'lock') out.push(`var/lib/apt/lists/${e.name}`);
  for (const e of await entries('/var/cache/apt')) if (e.isFile()) out.push(`var/cache/apt/${e.name}`);
  // Hooks that call desktop services (PackageKit, AppStream) a server image does not run.
  for (const e of await entries('/etc/apt/apt.conf.d')) if (/packagekit|appstream/i.test(e.name)) out.push(`etc/apt/apt.conf.d/${e.name}`);
  // An Ubuntu image has no dnf: tools that pick the package manager by what is on PATH must find apt.
  const bin = new Set((await entries('/usr/bin')).map((e) => e.name));
  for (const name of ['dnf', 'dnf-3', 'yum']) if (bin.has(name)) out.push(`usr/bin/${name}`);
  return out;
}

export async function repoLayer(distro: LabDistro, repos: RepoTree, baseUrl: string): Promise<RepoLayer> {
  const family = distroFamily(distro);
  if (family === 'ubuntu') {
    return {
      files: { [APT_SOURCES.slice(1)]: aptSources(baseUrl, aptSuite(distro)), [APT_KEYRING.slice(1)]: await readFile(repos.keyring) },
      hidden: await machineAptState(),
    };
  }
  if (family !== 'rhel') return { files: {}, hidden: [] };
  return {
    files: {
      [DNF_REPO_FILE.slice(1)]: dnfRepo(baseUrl),
      [RPM_KEY.slice(1)]: await readFile(repos.armoredKey),
      // Debian's rpm keeps its database in ~/.rpmdb; a RHEL host's is /var/lib/rpm.
      'etc/rpm/macros': '%_dbpath /var/lib/rpm\n',
      'etc/dnf/dnf.conf': '[main]\ngpgcheck=1\ninstallonly_limit=3\nclean_requirements_on_remove=True\nbest=True\nskip_if_unavailable=False\n',
      'etc/dnf/vars/releasever': '8\n',
    },
    // The host's rpm database starts empty whatever the machine's /var/lib/rpm holds (a database
    // shared through the lower layer, with its -shm/-wal files, would not be the host's own).
    hidden: (await entries('/var/lib/rpm')).map((e) => `var/lib/rpm/${e.name}`),
  };
}

/** Inventory variables for the lab's repositories (and its DOCA download area, doca_host_sha256[release].deb/.rpm). */
export function labRepoVars(baseUrl: string, docaHostSha256?: Record<string, { deb: string; rpm: string }>): Record<string, unknown> {
  return {
    ...(docaHostSha256 ? { doca_base_url: `${baseUrl}/doca`, doca_host_sha256: docaHostSha256 } : {}),
    lab_repo_base_url: baseUrl,
    lab_apt_repo_url: `${baseUrl}/apt`,
    lab_apt_keyring: APT_KEYRING,
    lab_rpm_repo_url: `${baseUrl}/rpm/${RPM_REPOS.trusted}/`,
    lab_rpm_untrusted_repo_url: `${baseUrl}/rpm/${RPM_REPOS.untrusted}/`,
    lab_rpm_gpg_key: `file://${RPM_KEY}`,
    lab_repo_key_url: `${baseUrl}/keys/RPM-GPG-KEY-fleetlab`,
  };
}
