// The read-only layers every lab host's root overlay stacks on top of the machine's own `/`:
//   <distro layer> : <common layer> : /
// The common layer adds the lab users, sudo rules, the sshd config and the systemctl shim; a distro
// layer adds what makes a host look like that distro (release files, waagent.conf, seeded units) and
// hides what would give the Debian underneath away. Built once per lab, shared by all its hosts.
import { chmod, chown, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { release } from 'node:os';
import { dirname, join } from 'node:path';
import { agentUnit, distroFamily, distroLayer, type LabDistro } from './host-files.js';
import type { RepoLayer } from './repos/host-config.js';
import { runTool } from './run-tool.js';
import { sshdConfig, type SshdOptions } from './sshd.js';
import { availableModulesList, AVAILABLE_MODULES_FILE } from './kernel-model.js';
import { LSMOD_SHIM, MODPROBE_LOG, MODPROBE_SHIM } from './kernel-shims.js';
import { REBOOT_DELAY_FILE, REBOOT_LOG, REBOOT_SHIM } from './reboot-shim.js';
import { ibLayerFiles } from './ib-model.js';
import { seededUnits, SYSTEMCTL_LOG, SYSTEMCTL_SHIM, UNIT_STATE_DIR } from './systemctl-shim.js';

export interface LabUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  /** sudo without a password (else sudo asks for the lab password). */
  nopasswd: boolean;
}

export interface LayerInput {
  layersDir: string;
  distros: readonly LabDistro[];
  users: readonly LabUser[];
  /** crypt(3) hash of the lab password (users may log in with it and sudo asks for it). */
  passwordHash: string;
  clientPublicKey: string;
  sshd: SshdOptions;
  /** Per-distro repository configuration (files and hidden machine paths) from repos/host-config. */
  repoLayer?: (distro: LabDistro) => Promise<RepoLayer>;
}

async function put(root: string, rel: string, content: string | Buffer, mode = 0o644, owner?: [number, number]): Promise<void> {
  const file = join(root, rel);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, content, { mode });
  await chmod(file, mode);
  if (owner) await chown(file, owner[0], owner[1]);
}

async function dir(root: string, rel: string, mode = 0o755, owner?: [number, number]): Promise<void> {
  const d = join(root, rel);
  await mkdir(d, { recursive: true, mode });
  if (owner) await chown(d, owner[0], owner[1]);
}

/** Picks ids above every id the machine already uses (so the lab users clash with nobody). */
export async function planUsers(names: readonly { name: string; nopasswd: boolean }[]): Promise<LabUser[]> {
  const used = (file: string) =>
    readFile(file, 'utf8').then((t) => t.split('\n').map((l) => Number(l.split(':')[2])).filter((n) => n >= 1000 && n < 60000));
  const ids = [...(await used('/etc/passwd')), ...(await used('/etc/group'))];
  let next = Math.max(1999, ...ids) + 1;
  return names.map((u) => ({ ...u, uid: next, gid: next++, home: `/home/${u.name}` }));
}

const dotfiles = new Map<boolean, Promise<Record<string, string>>>();

/** Debian's default dotfiles (base-files/skel): fast, and they return early for non-interactive shells. */
export function defaultDotfiles(forRoot: boolean): Promise<Record<string, string>> {
  let hit = dotfiles.get(forRoot);
  if (!hit) {
    const read = (f: string) => readFile(f, 'utf8').catch(() => '');
    hit = forRoot
      ? Promise.all([read('/usr/share/base-files/dot.bashrc'), read('/usr/share/base-files/dot.profile')]).then(([bashrc, profile]) => ({ '.bashrc': bashrc, '.profile': profile }))
      : Promise.all([read('/etc/skel/.bashrc'), read('/etc/skel/.profile'), read('/etc/skel/.bash_logout')]).then(([bashrc, profile, logout]) => ({ '.bashrc': bashrc, '.profile': profile, '.bash_logout': logout }));
    dotfiles.set(forRoot, hit);
  }
  return hit;
}

async function buildCommonLayer(root: string, input: LayerInput): Promise<void> {
  const real = (f: string) => readFile(f, 'utf8').then((t) => (t.endsWith('\n') || t === '' ? t : `${t}\n`));
  const { users } = input;
  await put(root, 'etc/passwd', (await real('/etc/passwd')) + users.map((u) => `${u.name}:x:${u.uid}:${u.gid}:fleetlab user:${u.home}:/bin/bash\n`).join(''));
  await put(root, 'etc/group', (await real('/etc/group')) + users.map((u) => `${u.name}:x:${u.gid}:\n`).join(''));
  const days = Math.floor(Date.now() / 86_400_000);
  const shadow = users.map((u) => `${u.name}:${input.passwordHash}:${days}:0:99999:7:::\n`).join('');
  const shadowGid = (await real('/etc/group')).split('\n').find((l) => l.startsWith('shadow:'))?.split(':')[2];
  const shadowOwner: [number, number] = [0, Number(shadowGid ?? 0)];
  await put(root, 'etc/shadow', (await real('/etc/shadow')) + shadow, 0o640, shadowOwner);
  await put(root, 'etc/gshadow', (await real('/etc/gshadow').catch(() => '')) + users.map((u) => `${u.name}:!::\n`).join(''), 0o640, shadowOwner);
  const rules = users.map((u) => `${u.name} ALL=(ALL:ALL) ${u.nopasswd ? 'NOPASSWD: ' : ''}ALL`);
  await dir(root, 'etc/sudoers.d', 0o750);
  await put(root, 'etc/sudoers.d/fleetlab', `# fleetlab users\nDefaults lecture=never\n${rules.join('\n')}\n`, 0o440);
  await put(root, 'etc/ssh/sshd_config', sshdConfig(input.sshd));
  const skel = await defaultDotfiles(false);
  for (const u of users) {
    const own: [number, number] = [u.uid, u.gid];
    await dir(root, u.home.slice(1), 0o755, own);
    for (const [name, text] of Object.entries(skel)) await put(root, `${u.home.slice(1)}/${name}`, text, 0o644, own);
    await dir(root, `${u.home.slice(1)}/.ssh`, 0o700, own);
    await put(root, `${u.home.slice(1)}/.ssh/authorized_keys`, `${input.clientPublicKey}\n`, 0o600, own);
  }
  // On PATH ahead of nothing: the host has no systemd, so the shim simply is systemctl.
  await put(root, 'usr/bin/systemctl', SYSTEMCTL_SHIM, 0o755);
  await put(root, SYSTEMCTL_LOG.slice(1), '', 0o666);
  // The host's kernel is a model (kernel-model.ts): kmod's tools act on it, not on the machine.
  await put(root, 'usr/sbin/modprobe', MODPROBE_SHIM, 0o755);
  await put(root, 'usr/sbin/lsmod', LSMOD_SHIM, 0o755);
  await put(root, AVAILABLE_MODULES_FILE.slice(1), availableModulesList());
  await put(root, MODPROBE_LOG.slice(1), '', 0o666);
  // Real reboots of the host (reboot-shim.ts): down, then up again after the delay with a new boot id.
  await put(root, 'usr/sbin/reboot', REBOOT_SHIM, 0o755);
  await put(root, 'usr/sbin/shutdown', REBOOT_SHIM, 0o755);
  await put(root, REBOOT_DELAY_FILE.slice(1), '1\n');
  await put(root, REBOOT_LOG.slice(1), '', 0o644);
  // InfiniBand and the agent's RDMA start (ib-model.ts): fleetlab-ib, waagent, the agent's start hook.
  for (const [rel, [text, mode]] of Object.entries(ibLayerFiles())) await put(root, rel, text, mode);
  await hide(root, await machineExtras());
  const fleet = users[0]!;
  // The benchmark workload's scratch directory, writable by root and the login user.
  await dir(root, 'var/lib/fleethost', 0o755, [fleet.uid, fleet.gid]);
}

async function buildDistroLayer(root: string, distro: LabDistro, repoLayer?: LayerInput['repoLayer']): Promise<void> {
  const layer = distroLayer(distro);
  const repos = repoLayer ? await repoLayer(distro) : { files: {}, hidden: [] };
  for (const [rel, text] of Object.entries({ ...layer.files, ...repos.files })) await put(root, rel, text);
  // HPC images on the RHEL family ship kernel-devel for the running kernel: MLNX_OFED's
  // --add-kernel-support builds against it (mofed_install checks it is there).
  if (distroFamily(distro) === 'rhel') await put(root, `usr/src/kernels/${release()}/Makefile`, `# kernel-devel for ${release()} (lab stand-in)\n`);
  for (const unit of seededUnits(agentUnit(distroFamily(distro)))) {
    for (const suffix of ['unit', 'active', 'enabled']) await put(root, `${UNIT_STATE_DIR.slice(1)}/${unit}.${suffix}`, '');
  }
  await hide(root, [...layer.hidden, ...repos.hidden]);
}

/** Overlay whiteouts (0/0 character devices) hide the machine's files on the hosts; one process. */
async function hide(root: string, rels: readonly string[]): Promise<void> {
  if (rels.length === 0) return;
  for (const rel of rels) await mkdir(dirname(join(root, rel)), { recursive: true });
  await runTool('sh', ['-c', 'for f; do mknod "$f" c 0 0 || exit 1; done', 'whiteout', ...rels.map((r) => join(root, r))]);
}

/** What the machine keeps in /opt and /usr/local/{bin,sbin} is not part of a fresh VM image. */
async function machineExtras(): Promise<string[]> {
  const out: string[] = [];
  for (const dir of ['opt', 'usr/local/bin', 'usr/local/sbin']) {
    for (const name of await readdir(`/${dir}`).catch(() => [] as string[])) out.push(`${dir}/${name}`);
  }
  return out;
}

export function commonLayerDir(layersDir: string): string {
  return join(layersDir, 'common');
}

export function distroLayerDir(layersDir: string, distro: LabDistro): string {
  return join(layersDir, distro);
}

export async function buildLayers(input: LayerInput): Promise<void> {
  await buildCommonLayer(commonLayerDir(input.layersDir), input);
  await Promise.all([...new Set(input.distros)].map((d) => buildDistroLayer(distroLayerDir(input.layersDir, d), d, input.repoLayer)));
}

/** SHA-512 crypt hash via openssl (the password travels on stdin, never on a command line). */
export async function hashPassword(password: string): Promise<string> {
  const r = await runTool('openssl', ['passwd', '-6', '-stdin'], { input: `${password}\n`, label: 'openssl passwd -6' });
  return r.stdout.trim();
}
