// DOCA-OFED as the lab's repositories serve it: two DOCA releases (2.8.0, 2.9.1), each with the
// profile meta-packages (doca-ofed, doca-all, doca-roce) depending on that release's
// mlnx-ofed-kernel-utils, which installs an `ofed_info` printing the OFED version DOCA reports
// (`-s` → OFED-internal-<ofed>:, `-n` → <ofed>) and an /etc/init.d/openibd that records restarts like
// the MLNX_OFED mirror's, and the four InfiniBand kernel modules under /lib/modules/<running kernel>.
// These live only in the per-release repositories inside the doca-host packages (doca-host.ts), as
// NVIDIA's do: a host gets them by installing the doca-host package of a release, never from the
// lab's base repositories.
import { release as kernelRelease } from 'node:os';
import type { LabPackage } from './catalog.js';

/** DOCA release → the OFED version it carries (NVIDIA's release notes pair them this way). */
export const LAB_DOCA_RELEASES: Record<string, string> = { '2.8.0': '24.07-0.6.1', '2.9.1': '24.10-1.1.4' };

const KMODS = ['mlx5_core', 'mlx5_ib', 'ib_ipoib', 'ib_uverbs'];

const OPENIBD = [
  '#!/bin/sh',
  '# Lab openibd: records the action instead of reloading RDMA drivers.',
  'mkdir -p /var/log/fleetlab',
  'echo "$(date +%s) openibd $*" >> /var/log/fleetlab/openibd.log',
  'echo "Unloading HCA driver: [  OK  ]"',
  'echo "Loading HCA driver and Access Layer: [  OK  ]"',
  '',
].join('\n');

const ofedInfo = (ofed: string) => [
  '#!/bin/sh',
  'case "$1" in',
  `  -s) echo "OFED-internal-${ofed}:" ;;`,
  `  -n) echo "${ofed}" ;;`,
  `  *) echo "OFED-internal-${ofed}:"; echo; echo "Installed Packages:"; echo "mlnx-ofed-kernel-utils" ;;`,
  'esac',
  '',
].join('\n');

function release(doca: string, ofed: string, rev: string, dep: (name: string, version: string) => string): LabPackage[] {
  const utilsVersion = ofed.replace('-', '.');
  const utils: LabPackage = {
    name: 'mlnx-ofed-kernel-utils', version: utilsVersion, revision: rev, summary: 'Userspace tools to restart and tune mlx5 (DOCA-OFED)',
    files: [
      { path: '/usr/bin/ofed_info', content: ofedInfo(ofed), mode: 0o755 },
      { path: '/etc/init.d/openibd', content: OPENIBD, mode: 0o755 },
      // Stand-ins for the modules DKMS builds for the running kernel (lab hosts run the machine's).
      ...KMODS.map((m) => ({ path: `/lib/modules/${kernelRelease()}/updates/dkms/${m}.ko`, content: `lab stand-in for ${m} (OFED ${ofed})\n` })),
    ],
  };
  const meta = (name: string, summary: string): LabPackage => ({ name, version: doca, revision: rev, summary, depends: [dep('mlnx-ofed-kernel-utils', `${utilsVersion}-${rev}`)] });
  return [
    utils,
    meta('doca-ofed', 'DOCA-OFED profile: the OFED drivers and tools'),
    meta('doca-roce', 'DOCA RoCE profile'),
    meta('doca-all', 'DOCA profile with every host package'),
  ];
}

/** One release's packages for Ubuntu-like hosts. */
export const docaDebPackages = (doca: string): LabPackage[] => release(doca, LAB_DOCA_RELEASES[doca]!, '1', (n, v) => `${n} (= ${v})`);

/** One release's packages for RHEL-like hosts. */
export const docaRpmPackages = (doca: string): LabPackage[] => release(doca, LAB_DOCA_RELEASES[doca]!, '1.el8', (n, v) => `${n} = ${v}`);
