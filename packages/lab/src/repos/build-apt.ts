// Builds the lab's apt repository: .deb files made with dpkg-deb, a pool, per-suite Packages
// indexes and Release files from apt-ftparchive, signed InRelease/Release.gpg. Suites: one per
// Ubuntu codename the lab imitates (same packages), plus `<codename>-untrusted`, signed by the rogue
// key, for tests that need GPG checking to fail.
import { chmod, cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool } from '../run-tool.js';
import { binScript, type LabPackage } from './catalog.js';
import { signRelease, type SigningKey } from './gpg.js';

export const APT_SUITES = ['jammy', 'focal'] as const;
export const APT_COMPONENT = 'main';

const debVersion = (p: LabPackage) => `${p.version}-${p.revision}`;
export const debFileName = (p: LabPackage) => `${p.name}_${debVersion(p)}_all.deb`;

function control(p: LabPackage): string {
  const lines = [
    `Package: ${p.name}`,
    `Version: ${debVersion(p)}`,
    'Architecture: all',
    'Maintainer: fleetlab <lab@fleetlab.invalid>',
    'Section: misc',
    'Priority: optional',
  ];
  if (p.depends?.length) lines.push(`Depends: ${p.depends.join(', ')}`);
  if (p.recommends?.length) lines.push(`Recommends: ${p.recommends.join(', ')}`);
  lines.push(`Description: ${p.summary}`, ' A small package built by the fleetplay lab.');
  return `${lines.join('\n')}\n`;
}

export async function buildDeb(p: LabPackage, staging: string, pool: string): Promise<void> {
  const root = join(staging, `${p.name}_${debVersion(p)}`);
  await mkdir(join(root, 'DEBIAN'), { recursive: true });
  await writeFile(join(root, 'DEBIAN/control'), control(p));
  const doc = join(root, 'usr/share/fleetlab-packages', p.name);
  await mkdir(doc, { recursive: true });
  await writeFile(join(doc, 'VERSION'), `${debVersion(p)}\n`);
  if (p.bin) {
    await mkdir(join(root, 'usr/bin'), { recursive: true });
    await writeFile(join(root, 'usr/bin', p.bin), binScript(p), { mode: 0o755 });
  }
  for (const f of p.files ?? []) {
    await mkdir(join(root, f.path, '..'), { recursive: true });
    await writeFile(join(root, f.path), f.content, { mode: f.mode ?? 0o644 });
  }
  for (const t of p.trees ?? []) await cp(t.from, join(root, t.to), { recursive: true });
  if (p.failingPostinst) {
    await writeFile(join(root, 'DEBIAN/postinst'), '#!/bin/sh\necho "fleetlab-broken: configuration failed on purpose" >&2\nexit 1\n');
    await chmod(join(root, 'DEBIAN/postinst'), 0o755);
  }
  // Fixed mtimes keep the cached repository reproducible.
  await runTool('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', root, join(pool, debFileName(p))], { env: { ...process.env, SOURCE_DATE_EPOCH: '1704067200' } });
}

async function writeSuite(repo: string, suite: string, key: SigningKey): Promise<void> {
  const rel = `dists/${suite}/${APT_COMPONENT}/binary-amd64`;
  await mkdir(join(repo, rel), { recursive: true });
  const packages = await runTool('apt-ftparchive', ['packages', 'pool'], { cwd: repo });
  await writeFile(join(repo, rel, 'Packages'), packages.stdout);
  await runTool('gzip', ['-9nk', join(repo, rel, 'Packages')]);
  const release = await runTool('apt-ftparchive', [
    '-o', `APT::FTPArchive::Release::Origin=fleetlab`,
    '-o', `APT::FTPArchive::Release::Label=fleetlab`,
    '-o', `APT::FTPArchive::Release::Suite=${suite}`,
    '-o', `APT::FTPArchive::Release::Codename=${suite}`,
    '-o', 'APT::FTPArchive::Release::Architectures=amd64 all',
    '-o', `APT::FTPArchive::Release::Components=${APT_COMPONENT}`,
    'release', `dists/${suite}`,
  ], { cwd: repo });
  await writeFile(join(repo, `dists/${suite}/Release`), release.stdout);
  await signRelease(key, join(repo, `dists/${suite}/Release`));
}

export async function buildAptRepo(repo: string, packages: readonly LabPackage[], trusted: SigningKey, rogue: SigningKey): Promise<void> {
  const pool = join(repo, 'pool', APT_COMPONENT);
  const staging = join(repo, '.staging');
  await mkdir(pool, { recursive: true });
  for (const p of packages) await buildDeb(p, staging, pool);
  await runTool('rm', ['-rf', staging]);
  for (const suite of APT_SUITES) await writeSuite(repo, suite, trusted);
  for (const suite of APT_SUITES) await writeSuite(repo, `${suite}-untrusted`, rogue);
}
