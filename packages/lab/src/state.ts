// DIR/lab.json: everything `down`, `status` and the tests need to find a lab's parts again. Written
// before anything is created (status "starting") so that a failed or interrupted `up` can be undone.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabDistro } from './host-files.js';

export interface LabHost {
  /** Inventory name (also the host's hostname). */
  name: string;
  kind: 'linux' | 'windows';
  /** Linux: the distro the host looks like. */
  distro?: LabDistro;
  /** 'bastion' is the jump host between the main and the isolated segment. */
  role: 'host' | 'bastion';
  segment: 'main' | 'isolated';
  /** Address the controller (or, on the isolated segment, the bastion) connects to. */
  address: string;
  /** All addresses, eth0 first (the bastion has one per segment). */
  addresses: string[];
  port: number;
  netns: string;
  /** Root-side veth names. */
  veths: string[];
  /** Inventory groups the host is in. */
  groups: string[];
  /** Public host key line (`ssh-ed25519 AAAA…`), as written to known_hosts. */
  hostKey?: string;
  /** The host's state directory on the lab tmpfs (upper layer, /run, /tmp, /root). */
  stateDir: string;
}

export interface LabUsers {
  /** Login user with passwordless sudo. */
  login: string;
  /** A user whose sudo asks for `password`. */
  passwordSudo: string;
  /** Both users' password (also valid for SSH password authentication). A lab-only secret. */
  password: string;
}

export interface LabMofedMirror {
  /** Base URL in mofed_install's sense: it holds MLNX_OFED-<version>/ folders. */
  baseUrl: string;
  /** The version the lab's inventory pins (mofed_version). */
  version: string;
  /** version → distro → sha256 hex, as SHA256SUMS publishes them. */
  checksums: Record<string, Record<string, string>>;
}

export interface LabPackageRepos {
  /** Serves apt/ (suites jammy, focal and *-untrusted), rpm/el8 and rpm/el8-untrusted, keys/. */
  baseUrl: string;
  /** Fingerprint of the archive key the hosts trust. */
  fingerprint: string;
  /** sha256 of the doca-host packages under doca/DOCA_v<release>/host/ (release → deb/rpm). */
  docaHostSha256?: Record<string, { deb: string; rpm: string }>;
}

export interface LabInfo {
  version: 1;
  status: 'starting' | 'up';
  dir: string;
  slot: number;
  createdAt: string;
  /** The lab's tmpfs with host layers and runtime state. */
  labFs: string;
  subnet: string;
  isolatedSubnet?: string;
  /** The controller's address on the lab bridge (where lab services such as a mirror listen). */
  gateway: string;
  bridges: string[];
  guardRoute: string;
  users: LabUsers;
  /** The YAML inventory (same as files.inventoryYaml). */
  inventoryPath: string;
  files: {
    inventoryYaml: string;
    inventoryIni: string;
    knownHosts: string;
    clientKey: string;
    sshConfig: string;
    /** CA certificate the Windows hosts' HTTPS listeners are signed with (when there are any). */
    winrmCa?: string;
  };
  supervisor?: { pid: number; socket: string };
  /** The MOFED mirror the lab serves on its gateway (when it has Linux hosts). */
  mofed?: LabMofedMirror;
  repos?: LabPackageRepos;
  /** Whether `up` created DIR itself (then `down` removes it when empty). */
  createdDir: boolean;
  hosts: LabHost[];
}

export function labJsonPath(dir: string): string {
  return join(dir, 'lab.json');
}

export async function readLabInfo(dir: string): Promise<LabInfo | undefined> {
  let text: string;
  try {
    text = await readFile(labJsonPath(dir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const info = JSON.parse(text) as LabInfo;
    if (info.version !== 1 || typeof info.slot !== 'number') throw new Error('unknown format');
    return info;
  } catch (e) {
    throw new Error(`${labJsonPath(dir)}:1:1: not a fleetplay lab state file (${(e as Error).message})`);
  }
}

export async function writeLabInfo(info: LabInfo): Promise<void> {
  const file = labJsonPath(info.dir);
  const tmp = `${file}.${process.pid}.tmp`;
  // Holds the lab password: owner-only.
  await writeFile(tmp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}
