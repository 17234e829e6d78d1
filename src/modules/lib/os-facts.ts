// Fact gathering as pyinfra does it: ONE command per host prints every source (os-release, uname,
// ...) in marked sections, and pure parsers turn that into Ansible's fact names. The names and the
// distribution mapping follow Ansible (ubuntu → Ubuntu/Debian, rhel → RedHat/RedHat, sles → SLES/Suse).

/** Sections are separated by `@@name` lines; sources a host lacks are simply empty. */
export const POSIX_GATHER_COMMAND = [
  "echo '@@os-release'; cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null",
  "echo '@@redhat-release'; cat /etc/redhat-release 2>/dev/null",
  "echo '@@debian_version'; cat /etc/debian_version 2>/dev/null",
  "echo '@@uname'; uname -snrvm",
  // hostname -f may ask DNS: bound it, and fall back to the node name.
  "echo '@@fqdn'; { command -v timeout >/dev/null 2>&1 && timeout 2 hostname -f; } 2>/dev/null",
  "echo '@@init'; if [ -d /run/systemd/system ]; then echo systemd; else cat /proc/1/comm 2>/dev/null; fi",
  "echo '@@user'; id",
  "echo '@@env'; printf 'HOME=%s\\nPATH=%s\\nSHELL=%s\\nLANG=%s\\n' \"$HOME\" \"$PATH\" \"${SHELL:-}\" \"${LANG:-}\"",
  "echo '@@nproc'; nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null",
  "echo '@@meminfo'; grep -E '^(MemTotal|MemFree|SwapTotal):' /proc/meminfo 2>/dev/null",
  "echo '@@machine-id'; cat /etc/machine-id 2>/dev/null",
  "echo '@@uptime'; cut -d' ' -f1 /proc/uptime 2>/dev/null",
  "echo '@@pkg'; for m in dnf yum apt-get zypper apk pacman; do if command -v $m >/dev/null 2>&1; then echo $m; break; fi; done",
  "echo '@@end'",
].join('\n');

export function splitSections(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  let name: string | undefined;
  let buf: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^@@([\w-]+)$/.exec(line);
    if (m) {
      if (name) out.set(name, buf.join('\n').trim());
      name = m[1];
      buf = [];
    } else if (name) buf.push(line);
  }
  if (name && name !== 'end') out.set(name, buf.join('\n').trim());
  return out;
}

/** os-release is shell-like KEY=value with optional quotes. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[2]!.trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) {
      v = v.slice(1, -1).replace(/\\(["$`\\])/g, '$1');
    }
    out[m[1]!] = v;
  }
  return out;
}

/** os-release ID → Ansible's distribution name and os_family. */
const DISTROS: Record<string, [string, string]> = {
  ubuntu: ['Ubuntu', 'Debian'],
  debian: ['Debian', 'Debian'],
  linuxmint: ['Linux Mint', 'Debian'],
  raspbian: ['Debian', 'Debian'],
  rhel: ['RedHat', 'RedHat'],
  centos: ['CentOS', 'RedHat'],
  almalinux: ['AlmaLinux', 'RedHat'],
  rocky: ['Rocky', 'RedHat'],
  ol: ['OracleLinux', 'RedHat'],
  fedora: ['Fedora', 'RedHat'],
  amzn: ['Amazon', 'RedHat'],
  // Azure Linux / CBL-Mariner are RPM-based; Ansible has no family for them: RedHat is the useful one.
  mariner: ['Mariner', 'RedHat'],
  azurelinux: ['Azure Linux', 'RedHat'],
  sles: ['SLES', 'Suse'],
  sles_sap: ['SLES_SAP', 'Suse'],
  sled: ['SLED', 'Suse'],
  'opensuse-leap': ['openSUSE Leap', 'Suse'],
  'opensuse-tumbleweed': ['openSUSE Tumbleweed', 'Suse'],
  arch: ['Archlinux', 'Archlinux'],
  alpine: ['Alpine', 'Alpine'],
  gentoo: ['Gentoo', 'Gentoo'],
};

export function distributionFacts(sections: Map<string, string>): Record<string, string> {
  const osr = parseOsRelease(sections.get('os-release') ?? '');
  const id = (osr.ID ?? '').toLowerCase();
  let [distribution, family] = DISTROS[id] ?? [osr.NAME ?? 'NA', osr.NAME ?? 'NA'];
  // SLES for SAP reports ID=sles; its CPE names the product.
  if (id === 'sles' && /sles_sap/i.test(osr.CPE_NAME ?? '')) distribution = 'SLES_SAP';
  let version = osr.VERSION_ID ?? 'NA';
  // CentOS 7 and friends give only the major in os-release; the release file has the minor.
  const rh = /release (\d+(?:\.\d+)+)/.exec(sections.get('redhat-release') ?? '');
  // Ansible keeps major.minor there (7.9, not 7.9.2009).
  if (family === 'RedHat' && rh && !version.includes('.') && rh[1]!.startsWith(`${version}.`)) {
    version = rh[1]!.split('.').slice(0, 2).join('.');
  }
  const debianVersion = sections.get('debian_version') ?? '';
  if (id === 'debian' && /^\d+\.\d+/.test(debianVersion)) version = debianVersion;
  let release = osr.VERSION_CODENAME ?? osr.UBUNTU_CODENAME ?? '';
  if (family === 'RedHat' && !release) release = /\(([^)]+)\)/.exec(osr.VERSION ?? '')?.[1] ?? /\(([^)]+)\)/.exec(sections.get('redhat-release') ?? '')?.[1] ?? '';
  // SUSE's "release" is the service pack number (15.4 → "4"; no minor → "0").
  if (family === 'Suse') release = /^\d+\.(\d+)/.exec(version)?.[1] ?? '0';
  return {
    distribution,
    os_family: family,
    distribution_version: version,
    distribution_major_version: version.split('.')[0] ?? 'NA',
    distribution_release: release || 'NA',
  };
}

const INIT_TO_SERVICE_MGR: Record<string, string> = { systemd: 'systemd', init: 'sysvinit', 'openrc-init': 'openrc', runit: 'runit', s6: 's6' };
const PKG_MGR: Record<string, string> = { 'apt-get': 'apt' };

export function parsePosixFacts(stdout: string): Record<string, unknown> {
  const s = splitSections(stdout);
  const uname = (s.get('uname') ?? '').split(/\s+/);
  // uname -snrvm: system, nodename, release, version (has spaces), machine.
  const [system = 'Linux', nodename = '', kernel = ''] = uname;
  const machine = uname.length >= 5 ? uname[uname.length - 1]! : '';
  const kernelVersion = uname.slice(3, -1).join(' ');
  const fqdn = s.get('fqdn') || nodename;
  // `id` prints uid=1000(azureuser) gid=1000(azureuser) groups=...
  const idm = /uid=(\d+)(?:\(([^)]*)\))?\s+gid=(\d+)/.exec(s.get('user') ?? '');
  const [uid = '', userName = '', gid = ''] = idm ? [idm[1], idm[2] ?? idm[1], idm[3]] : [];
  const env: Record<string, string> = {};
  for (const line of (s.get('env') ?? '').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && line.slice(eq + 1) !== '') env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  const mem = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(s.get('meminfo') ?? '');
    return m ? Math.floor(Number(m[1]) / 1024) : undefined;
  };
  const init = (s.get('init') ?? '').trim();
  const vcpus = Number(s.get('nproc'));
  const facts: Record<string, unknown> = {
    system,
    kernel,
    kernel_version: kernelVersion,
    architecture: machine,
    machine,
    nodename,
    hostname: nodename.split('.')[0],
    fqdn,
    domain: fqdn.includes('.') ? fqdn.slice(fqdn.indexOf('.') + 1) : '',
    ...distributionFacts(s),
    service_mgr: INIT_TO_SERVICE_MGR[init] ?? (init || 'service'),
    user_id: userName,
    user_uid: Number(uid),
    user_gid: Number(gid),
    env,
  };
  if (Number.isFinite(vcpus) && vcpus > 0) facts.processor_vcpus = facts.processor_nproc = vcpus;
  for (const [fact, key] of [['memtotal_mb', 'MemTotal'], ['memfree_mb', 'MemFree'], ['swaptotal_mb', 'SwapTotal']] as const) {
    const v = mem(key);
    if (v !== undefined) facts[fact] = v;
  }
  const machineId = s.get('machine-id');
  if (machineId) facts.machine_id = machineId;
  // Seconds since boot, as Ansible's uptime_seconds: after a reboot it starts again.
  const uptime = Number.parseFloat(s.get('uptime') ?? '');
  if (Number.isFinite(uptime)) facts.uptime_seconds = Math.floor(uptime);
  const pkg = s.get('pkg');
  if (pkg) facts.pkg_mgr = PKG_MGR[pkg] ?? pkg;
  return facts;
}
