// The lab's doca-host repository packages, shaped like NVIDIA's: one .deb and one .rpm per DOCA
// release, each carrying a local repository of that release's packages (signed with the lab's
// archive key, whose public half it ships) and the source that points the package manager at it.
// Installing one is what makes doca-ofed installable; replacing it with another release's package
// switches the repository. They are served under NVIDIA's download names and layout,
//   <base>/doca/DOCA_v<doca>/host/doca-host_<doca>-<build>-<ofed>-ubuntu2204_amd64.deb
//   <base>/doca/DOCA_v<doca>/host/doca-host-<doca>-<build>_<ofed>_rhel86.x86_64.rpm
// so mofed_install's base_url/url + checksum download them for real; the same package is published
// under each lab distro's name (the content does not depend on it).
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DOCA_HOST_BUILDS, docaHostFileName } from '../product.js';
import { runTool } from '../run-tool.js';
import { buildDeb, debFileName } from './build-apt.js';
import { buildRpms } from './build-rpm.js';
import type { LabPackage } from './catalog.js';
import { LAB_DOCA_RELEASES, docaDebPackages, docaRpmPackages } from './doca-catalog.js';
import { signRelease, signRepomd, signRpms, type SigningKey } from './gpg.js';

/** Folder of the DOCA download area under what the lab's repository server serves. */
export const DOCA_AREA = 'doca';
/** The doca-host names the lab publishes (Ubuntu-like and RHEL-like lab distros). */
const DEB_DISTROS = ['ubuntu2204', 'ubuntu2004'];
const RPM_DISTROS = ['rhel86', 'rhel87', 'rhel88'];

/** DOCA release → sha256 (hex) of its doca-host .deb and .rpm. */
export type DocaHostSums = Record<string, { deb: string; rpm: string }>;

const build = (doca: string) => {
  const b = DOCA_HOST_BUILDS[doca];
  if (!b) throw new Error(`lab: DOCA ${doca} has no doca-host build number in the product's table`);
  return b;
};
/** Where the package puts its local repository on the host (NVIDIA's use /usr/share/doca-host-*). */
export const docaRepoDir = (doca: string) => `/usr/share/doca-host-${doca}-${build(doca).build}-${build(doca).ofed}/repo`;

// Versions as NVIDIA's file names carry them: 2.9.1-018000-24.10 (deb), 2.9.1-018000_24.10 (rpm).
const hostPackage = (doca: string, version: string, revision: string, repo: string, source: { path: string; content: string }): LabPackage => ({
  name: 'doca-host', version, revision, summary: `DOCA ${doca} host repository (local)`,
  trees: [{ from: repo, to: docaRepoDir(doca) }], files: [source],
});

async function debHost(doca: string, work: string, key: SigningKey, keyring: string): Promise<string> {
  const repo = join(work, 'deb-repo');
  await mkdir(repo, { recursive: true });
  for (const p of docaDebPackages(doca)) await buildDeb(p, join(work, 'deb-staging'), repo);
  await writeFile(join(repo, 'Packages'), (await runTool('apt-ftparchive', ['packages', '.'], { cwd: repo })).stdout);
  const release = await runTool('apt-ftparchive', ['-o', 'APT::FTPArchive::Release::Origin=fleetlab-doca', '-o', `APT::FTPArchive::Release::Label=DOCA ${doca}`, 'release', '.'], { cwd: repo });
  await writeFile(join(repo, 'Release'), release.stdout);
  await signRelease(key, join(repo, 'Release'));
  await copyFile(keyring, join(repo, 'GPG-KEY-fleetlab-doca.gpg'));
  const dir = docaRepoDir(doca);
  const list = `deb [signed-by=${dir}/GPG-KEY-fleetlab-doca.gpg] file:${dir} ./\n`;
  const p = hostPackage(doca, `${doca}-${build(doca).build}`, build(doca).ofed, repo, { path: '/etc/apt/sources.list.d/doca.list', content: list });
  const out = join(work, 'deb-out');
  await mkdir(out, { recursive: true });
  await buildDeb(p, join(work, 'deb-staging'), out);
  return join(out, debFileName(p));
}

async function rpmHost(doca: string, work: string, key: SigningKey, armoredKey: string): Promise<string> {
  const repo = join(work, 'rpm-repo');
  await mkdir(repo, { recursive: true });
  const inner = await buildRpms(docaRpmPackages(doca), join(work, 'rpmbuild-inner'), join(work, 'rpm-inner'));
  await signRpms(key, inner);
  for (const f of inner) await copyFile(f, join(repo, f.split('/').pop()!));
  await runTool('createrepo_c', ['--quiet', '--no-database', repo]);
  await signRepomd(key, join(repo, 'repodata/repomd.xml'));
  await copyFile(armoredKey, join(repo, 'GPG-KEY-fleetlab-doca.pub'));
  const dir = docaRepoDir(doca);
  const conf = [`[doca]`, `name=DOCA ${doca} local repository`, `baseurl=file://${dir}`, 'enabled=1', 'gpgcheck=1', 'repo_gpgcheck=1', `gpgkey=file://${dir}/GPG-KEY-fleetlab-doca.pub`, ''].join('\n');
  const p = hostPackage(doca, doca, `${build(doca).build}_${build(doca).ofed}`, repo, { path: '/etc/yum.repos.d/doca.repo', content: conf });
  const [file] = await buildRpms([p], join(work, 'rpmbuild-host'), join(work, 'rpm-host'));
  return file!;
}

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

/** Builds every lab release's doca-host packages into <www>/doca (inside the repository build's temp tree); returns their checksums. */
export async function buildDocaArea(www: string, work: string, key: SigningKey, keyring: string, armoredKey: string): Promise<DocaHostSums> {
  const sums: DocaHostSums = {};
  for (const doca of Object.keys(LAB_DOCA_RELEASES)) {
    const dir = join(www, DOCA_AREA, `DOCA_v${doca}`, 'host');
    await mkdir(dir, { recursive: true });
    const scratch = join(work, doca);
    const deb = await debHost(doca, scratch, key, keyring);
    const rpm = await rpmHost(doca, scratch, key, armoredKey);
    const lines: string[] = [];
    sums[doca] = { deb: await sha256(deb), rpm: await sha256(rpm) };
    for (const [file, names, hex] of [[deb, DEB_DISTROS.map((d) => docaHostFileName(doca, d, 'apt')!), sums[doca].deb], [rpm, RPM_DISTROS.map((d) => docaHostFileName(doca, d, 'dnf')!), sums[doca].rpm]] as const) {
      for (const name of names) {
        await copyFile(file, join(dir, name));
        lines.push(`${hex}  ${name}`);
      }
    }
    await writeFile(join(dir, 'SHA256SUMS'), `${lines.join('\n')}\n`);
  }
  await runTool('rm', ['-rf', work]);
  return sums;
}
