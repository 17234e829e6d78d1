// The files a user (or a test, or ansible-playbook) points at a lab: inventory.yml / inventory.ini,
// known_hosts, and an OpenSSH client config (so `ssh -F DIR/ssh_config linux-01` and Ansible reach
// every host, the isolated ones through the bastion, with the lab's key and known_hosts).
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { intToIp, ipToInt, type SlotPlan } from './addressing.js';
import { labRepoVars } from './repos/host-config.js';
import type { LabHost, LabInfo } from './state.js';

/** Variables by group name (the Windows hosts' connection, the Hyper-V hosts' VMs). */
export type GroupVars = Record<string, Record<string, unknown>>;

/** Connection variables shared by every Linux host (Windows hosts override them in their group). */
function linuxVars(info: LabInfo): Record<string, unknown> {
  return {
    ansible_user: info.users.login,
    ansible_ssh_private_key_file: info.files.clientKey,
    ansible_ssh_common_args: `-F ${info.files.sshConfig}`,
    ansible_python_interpreter: '/usr/bin/python3',
    // What playbooks/infiniband.yml reads: the lab's mirror, the pinned version, and the checksum of
    // every tarball the mirror serves (version → distro → sha256), so `-e mofed_version=…` finds its own.
    // The lab's package repositories (what deb822_repository / yum_repository tasks point at).
    ...(info.repos ? labRepoVars(info.repos.baseUrl, info.repos.docaHostSha256) : {}),
    // A lab host has no InfiniBand until a test adds an HCA (fleetlab-ib): the shipped playbooks'
    // ib_health then expects no active port (-e ib_ports_expected=all once HCAs are there).
    ib_ports_expected: 0,
    ...(info.mofed ? { mofed_base_url: info.mofed.baseUrl, mofed_version: info.mofed.version, mofed_sha256: info.mofed.checksums } : {}),
  };
}

function hostVars(info: LabInfo, h: LabHost): Record<string, string | number> {
  const vars: Record<string, string | number> = { ansible_host: h.address };
  if (h.kind === 'windows') return vars;
  const bastion = info.hosts.find((b) => b.role === 'bastion');
  if (h.segment === 'isolated' && bastion) {
    vars.ansible_ssh_common_args = `-F ${info.files.sshConfig} -o ProxyJump=${info.users.login}@${bastion.address}`;
  }
  return vars;
}

function groupsOf(info: LabInfo): Map<string, LabHost[]> {
  const groups = new Map<string, LabHost[]>();
  for (const h of info.hosts) {
    for (const g of h.groups) {
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g)!.push(h);
    }
  }
  return groups;
}

function header(info: LabInfo): string {
  return `# fleetplay lab in ${info.dir} (slot ${info.slot}, ${info.subnet}); written by 'fleetplay lab up', removed by 'lab down'\n`;
}

export function inventoryYaml(info: LabInfo, groupVars: GroupVars = {}): string {
  const seen = new Set<string>();
  const children: Record<string, unknown> = {};
  for (const [group, hosts] of groupsOf(info)) {
    const entries: Record<string, unknown> = {};
    for (const h of hosts) {
      // Host variables once, under the first group that lists the host.
      entries[h.name] = seen.has(h.name) ? null : hostVars(info, h);
      seen.add(h.name);
    }
    const vars = groupVars[group] ?? {};
    children[group] = Object.keys(vars).length > 0 ? { vars, hosts: entries } : { hosts: entries };
  }
  return header(info) + stringify({ all: { vars: linuxVars(info), children } }, { lineWidth: 0, nullStr: '' });
}

const iniValue = (v: string | number) => (typeof v === 'number' || /^[^\s'"#;]+$/.test(v) ? String(v) : `'${v}'`);

export function inventoryIni(info: LabInfo, groupVars: GroupVars = {}): string {
  const out: string[] = [header(info).trimEnd(), '', '[all:vars]'];
  // A :vars value is always a string in INI inventories (Ansible's rule), so mappings and lists such
  // as mofed_sha256 and gpu_vms exist only in inventory.yml.
  for (const [k, v] of Object.entries(linuxVars(info))) if (typeof v !== 'object') out.push(`${k}=${iniValue(v as string)}`);
  const seen = new Set<string>();
  for (const [group, hosts] of groupsOf(info)) {
    out.push('', `[${group}]`);
    for (const h of hosts) {
      const vars = seen.has(h.name) ? '' : Object.entries(hostVars(info, h)).map(([k, v]) => ` ${k}=${iniValue(v)}`).join('');
      seen.add(h.name);
      out.push(`${h.name}${vars}`);
    }
    const scalars = Object.entries(groupVars[group] ?? {}).filter(([, v]) => typeof v !== 'object');
    if (scalars.length > 0) {
      out.push('', `[${group}:vars]`);
      for (const [k, v] of scalars) out.push(`${k}=${iniValue(String(v))}`);
    }
  }
  return `${out.join('\n')}\n`;
}

export function knownHosts(info: LabInfo): string {
  const lines = info.hosts
    .filter((h) => h.hostKey)
    .map((h) => `${[h.name, ...h.addresses].join(',')} ${h.hostKey!.split(' ').slice(0, 2).join(' ')}`);
  return `${lines.join('\n')}\n`;
}

/** `Host` patterns covering every address of the slot (its /21 spans eight third octets). */
function slotAddressPatterns(plan: SlotPlan): string[] {
  const base = ipToInt(plan.guardRoute.split('/')[0]!);
  return Array.from({ length: 8 }, (_, i) => `${intToIp(base + i * 256).replace(/\.0$/, '')}.*`);
}

export function sshConfig(info: LabInfo, plan: SlotPlan): string {
  const bastion = info.hosts.find((h) => h.role === 'bastion');
  const out = [`# fleetplay lab in ${info.dir}: use with ssh -F ${info.files.sshConfig} <host>`, ''];
  // OpenSSH takes the first value it finds for each option: specific hosts before the catch-all.
  for (const h of info.hosts.filter((x) => x.kind === 'linux')) {
    out.push(`Host ${h.name}`, `    HostName ${h.address}`);
    if (h.segment === 'isolated' && bastion) out.push(`    ProxyJump ${bastion.name}`);
    out.push('');
  }
  const names = info.hosts.filter((x) => x.kind === 'linux').map((h) => h.name);
  out.push(`Host ${[...slotAddressPatterns(plan), ...names].join(' ')}`);
  out.push(
    `    User ${info.users.login}`,
    `    IdentityFile ${info.files.clientKey}`,
    '    IdentitiesOnly yes',
    `    UserKnownHostsFile ${info.files.knownHosts}`,
    '    StrictHostKeyChecking yes',
    '',
  );
  return out.join('\n');
}

export async function writeClientFiles(info: LabInfo, plan: SlotPlan, groupVars: GroupVars = {}): Promise<void> {
  await writeFile(info.files.knownHosts, knownHosts(info), { mode: 0o644 });
  await writeFile(info.files.sshConfig, sshConfig(info, plan), { mode: 0o644 });
  // The Windows group carries the lab password: owner-only.
  await writeFile(info.files.inventoryYaml, inventoryYaml(info, groupVars), { mode: 0o600 });
  await writeFile(info.files.inventoryIni, inventoryIni(info, groupVars), { mode: 0o600 });
}
