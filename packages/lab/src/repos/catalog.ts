// The packages the lab's repositories hold: small real packages (a file under /usr/share and, for
// some, a command on PATH that prints its version) with the names and dependency shapes the HPC
// playbooks rely on. Two versions of the RDMA stack and of fleetlab-hello make upgrade, downgrade and
// `state: latest` observable; the kernel headers/devel package matches the running kernel.
import { release } from 'node:os';

export interface LabPackage {
  name: string;
  version: string;
  /** Debian revision / rpm release. */
  revision: string;
  summary: string;
  depends?: string[];
  recommends?: string[];
  /** A command installed as /usr/bin/<bin> that prints "<name> <version>". */
  bin?: string;
  /** Further files the package installs (absolute paths). */
  files?: Array<{ path: string; content: string; mode?: number }>;
  /** Directories on the build machine copied in whole (from) to an absolute path (to). */
  trees?: Array<{ from: string; to: string }>;
  /** A maintainer script that fails (leaves dpkg half-configured; rpm reports the scriptlet error). */
  failingPostinst?: boolean;
}

const kernel = release();

/** Names on Ubuntu-like hosts (Debian packaging). */
export function debCatalog(): LabPackage[] {
  const stack = (v: string, r: string): LabPackage[] => [
    { name: 'rdma-core', version: v, revision: r, summary: 'RDMA core userspace infrastructure', depends: ['libibverbs1'], recommends: ['ibverbs-utils'] },
    { name: 'libibverbs1', version: v, revision: r, summary: 'Library for direct userspace use of RDMA (InfiniBand/iWARP)' },
    { name: 'ibverbs-utils', version: v, revision: r, summary: 'Examples for the libibverbs library', depends: ['libibverbs1'], bin: 'ibv_devinfo' },
    { name: 'librdmacm1', version: v, revision: r, summary: 'Library for managing RDMA connections', depends: ['libibverbs1'] },
    { name: 'libibumad3', version: v, revision: r, summary: 'InfiniBand Userspace Management Datagram (uMAD) library' },
    { name: 'infiniband-diags', version: v, revision: r, summary: 'InfiniBand diagnostic programs', depends: ['libibumad3'], bin: 'ibstat' },
  ];
  return [
    ...stack('39.0', '1'),
    ...stack('44.0', '2'),
    { name: 'perftest', version: '4.4+0.37', revision: '1', summary: 'Infiniband verbs performance tests', depends: ['libibverbs1', 'librdmacm1'], bin: 'ib_write_bw' },
    { name: 'perftest', version: '4.5+0.20', revision: '1', summary: 'Infiniband verbs performance tests', depends: ['libibverbs1', 'librdmacm1'], bin: 'ib_write_bw' },
    { name: `linux-headers-${kernel}`, version: kernel.replace(/[^A-Za-z0-9.+~]/g, '.'), revision: '1', summary: `Linux kernel headers for version ${kernel}` },
    { name: 'fleetlab-hello', version: '1.0', revision: '1', summary: 'A tiny package for package-manager tests', bin: 'fleetlab-hello' },
    { name: 'fleetlab-hello', version: '2.0', revision: '1', summary: 'A tiny package for package-manager tests', bin: 'fleetlab-hello' },
    { name: 'fleetlab-extra', version: '1.0', revision: '1', summary: 'Recommended by nothing; depends on fleetlab-hello', depends: ['fleetlab-hello'] },
    { name: 'fleetlab-broken', version: '1.0', revision: '1', summary: 'Its postinst fails (a half-configured package)', failingPostinst: true },
  ];
}

/** Names on RHEL-like hosts (rpm packaging). */
export function rpmCatalog(): LabPackage[] {
  const stack = (v: string, r: string): LabPackage[] => [
    { name: 'rdma-core', version: v, revision: r, summary: 'RDMA core userspace libraries and daemons' },
    { name: 'libibverbs', version: v, revision: r, summary: 'A library and drivers for direct userspace use of RDMA hardware', depends: ['rdma-core'] },
    { name: 'libibverbs-utils', version: v, revision: r, summary: 'Examples for the libibverbs library', depends: ['libibverbs'], bin: 'ibv_devinfo' },
    { name: 'librdmacm', version: v, revision: r, summary: 'Userspace RDMA Connection Manager', depends: ['rdma-core'] },
    { name: 'libibumad', version: v, revision: r, summary: 'OpenFabrics Alliance InfiniBand umad library', depends: ['rdma-core'] },
    { name: 'infiniband-diags', version: v, revision: r, summary: 'InfiniBand Diagnostic Tools', depends: ['libibumad'], bin: 'ibstat' },
  ];
  const [kv, ...kr] = kernel.split('-');
  return [
    ...stack('37.2', '1.el8'),
    ...stack('44.0', '2.el8'),
    { name: 'perftest', version: '4.5', revision: '0.el8', summary: 'IB Performance Tests', depends: ['libibverbs', 'librdmacm'], bin: 'ib_write_bw' },
    { name: 'perftest', version: '4.5', revision: '2.el8', summary: 'IB Performance Tests', depends: ['libibverbs', 'librdmacm'], bin: 'ib_write_bw' },
    { name: 'kernel-devel', version: kv!.replace(/[^A-Za-z0-9.+~]/g, '.'), revision: (kr.join('.') || '1').replace(/[^A-Za-z0-9.+~]/g, '.'), summary: 'Development package for building kernel modules to match the kernel' },
    { name: 'fleetlab-hello', version: '1.0', revision: '1.el8', summary: 'A tiny package for package-manager tests', bin: 'fleetlab-hello' },
    { name: 'fleetlab-hello', version: '2.0', revision: '1.el8', summary: 'A tiny package for package-manager tests', bin: 'fleetlab-hello' },
    { name: 'fleetlab-extra', version: '1.0', revision: '1.el8', summary: 'Depends on fleetlab-hello', depends: ['fleetlab-hello'] },
    { name: 'fleetlab-broken', version: '1.0', revision: '1.el8', summary: 'Its %post scriptlet fails', failingPostinst: true },
  ];
}

/** The script a package's command runs. */
export function binScript(p: LabPackage): string {
  return `#!/bin/sh\necho "${p.name} ${p.version}-${p.revision}"\n`;
}
