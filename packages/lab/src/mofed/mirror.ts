// Builds the lab's MOFED mirror: tarballs with the real naming and layout
// (MLNX_OFED-<v>/MLNX_OFED_LINUX-<v>-<distro>-<arch>.tgz holding a folder of the same name with
// `mlnxofedinstall`), plus a SHA256SUMS per version folder, as a download area would publish.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageName } from '../product.js';

const run = promisify(execFile);

export const LAB_MOFED_VERSIONS = ['5.8-1.0.1.1', '5.8-3.0.7.0', '23.10-1.1.9.0'];

export interface MirrorInfo {
  root: string;
  /** `<version>` → `<distro>` → sha256 hex of the tarball. */
  checksums: Record<string, Record<string, string>>;
}

/** The distro's stock kernel a tarball's prebuilt modules are for (without --add-kernel-support). */
export function stockKernel(distro: string): string {
  if (distro.startsWith('rhel8')) return '4.18.0-372.9.1.el8.x86_64';
  if (distro.startsWith('rhel9')) return '5.14.0-284.11.1.el9_2.x86_64';
  if (distro.startsWith('rhel7')) return '3.10.0-1160.el7.x86_64';
  return distro === 'ubuntu20.04' ? '5.4.0-26-generic' : '5.15.0-25-generic';
}

const installerSource = new URL('./installer.sh', import.meta.url);

export async function buildMofedMirror(root: string, distros: readonly string[], versions: readonly string[] = LAB_MOFED_VERSIONS, arch = 'x86_64'): Promise<MirrorInfo> {
  const template = await readFile(installerSource, 'utf8');
  const checksums: MirrorInfo['checksums'] = {};
  const staging = await mkdtemp(join(tmpdir(), 'fleetlab-mofed-'));
  try {
    for (const version of versions) {
      const folder = join(root, `MLNX_OFED-${version}`);
      await mkdir(folder, { recursive: true });
      const sums: string[] = [];
      checksums[version] = {};
      for (const distro of [...new Set(distros)]) {
        const name = packageName(version, distro, arch);
        const pkgDir = join(staging, name);
        await mkdir(join(pkgDir, 'DEBS'), { recursive: true });
        await writeFile(join(pkgDir, 'mlnxofedinstall'), template.replaceAll('@VERSION@', version).replaceAll('@DISTRO@', distro).replaceAll('@KERNEL@', stockKernel(distro)), { mode: 0o755 });
        await writeFile(join(pkgDir, '.mlnx'), `${version}\n`);
        await writeFile(join(pkgDir, 'distro'), `${distro}\n`);
        const tgz = join(folder, `${name}.tgz`);
        // Fixed mtimes and owners so a rebuilt mirror has the same checksums.
        await run('tar', ['--sort=name', '--mtime=2024-01-01', '--owner=0', '--group=0', '--use-compress-program=gzip -n', '-C', staging, '-cf', tgz, name]);
        const hex = createHash('sha256').update(await readFile(tgz)).digest('hex');
        checksums[version]![distro] = hex;
        sums.push(`${hex}  ${name}.tgz`);
      }
      await writeFile(join(folder, 'SHA256SUMS'), `${sums.join('\n')}\n`);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  await writeFile(join(root, 'checksums.json'), `${JSON.stringify(checksums, null, 2)}\n`);
  return { root, checksums };
}
