// What the lab needs from the machine, checked up front with one clear message. Missing Debian
// packages are installed when we can (root with apt-get); otherwise the error says what to install.
import { access, constants, readFile } from 'node:fs/promises';
import { runTool } from './run-tool.js';

export class LabPrereqError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabPrereqError';
  }
}

/** Executable → the Debian package that provides it. */
const TOOLS: [string, string][] = [
  ['/usr/sbin/sshd', 'openssh-server'],
  ['/usr/bin/sudo', 'sudo'],
  ['/usr/sbin/ip', 'iproute2'],
  ['/usr/bin/unshare', 'util-linux'],
  ['/usr/bin/nsenter', 'util-linux'],
  ['/usr/bin/mount', 'mount'],
  ['/usr/sbin/chroot', 'coreutils'],
  ['/usr/bin/openssl', 'openssl'],
];

async function present(file: string): Promise<boolean> {
  // Debian 12 has merged /usr; look in both places for older layouts.
  for (const f of [file, file.replace(/^\/usr/, '')]) {
    if (await access(f, constants.X_OK).then(() => true, () => false)) return true;
  }
  return false;
}

async function missingPackages(): Promise<string[]> {
  const missing: string[] = [];
  for (const [file, pkg] of TOOLS) if (!(await present(file))) missing.push(pkg);
  return [...new Set(missing)];
}

let checked: Promise<void> | undefined;

/** Throws LabPrereqError naming what is missing; installs missing packages when possible. */
export function requireLabPrereqs(): Promise<void> {
  checked ??= check().catch((e) => {
    checked = undefined;
    throw e;
  });
  return checked;
}

async function check(): Promise<void> {
  if (process.platform !== 'linux') throw new LabPrereqError('the fleetplay lab needs Linux (network and mount namespaces)');
  if (process.getuid?.() !== 0) {
    throw new LabPrereqError('the fleetplay lab needs root (it creates network namespaces, bridges and mounts): run it with sudo or as root');
  }
  const fs = await readFile('/proc/filesystems', 'utf8').catch(() => '');
  if (!/\toverlay$/m.test(fs)) {
    await runTool('modprobe', ['overlay'], { allowFail: true }).catch(() => undefined);
    const again = await readFile('/proc/filesystems', 'utf8').catch(() => '');
    if (!/\toverlay$/m.test(again)) throw new LabPrereqError('the fleetplay lab needs the overlay filesystem (kernel module "overlay")');
  }
  let missing = await missingPackages();
  if (missing.length === 0) return;
  const hint = `apt-get install -y ${missing.join(' ')}`;
  if (!(await present('/usr/bin/apt-get'))) {
    throw new LabPrereqError(`the fleetplay lab needs these Debian packages: ${missing.join(', ')} (install them: ${hint})`);
  }
  const env = 'DEBIAN_FRONTEND=noninteractive';
  const update = await runTool('env', [env, 'apt-get', '-o', 'DPkg::Lock::Timeout=600', 'update', '-qq'], { allowFail: true });
  const install = await runTool('env', [env, 'apt-get', '-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '-qq', ...missing], { allowFail: true });
  missing = await missingPackages();
  if (missing.length > 0) {
    const why = (install.stderr || update.stderr).trim().split('\n').slice(-3).join('\n');
    throw new LabPrereqError(`the fleetplay lab needs these Debian packages and installing them failed: ${missing.join(', ')} (try: apt-get update && ${hint})${why ? `\n${why}` : ''}`);
  }
}
