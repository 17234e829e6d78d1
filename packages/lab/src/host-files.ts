// What makes a lab host look like a given Azure HPC image: its release files and the Azure Linux
// agent's stock /etc/waagent.conf for the distro family (RDMA left commented out, as shipped).
// The hosts really run this machine's Debian userland; only these files differ.

export const LAB_DISTROS = ['ubuntu22.04', 'ubuntu20.04', 'rhel8.6', 'rhel8.7', 'almalinux8.8', 'sles15sp4'] as const;
export type LabDistro = (typeof LAB_DISTROS)[number];
export type DistroFamily = 'ubuntu' | 'rhel' | 'sles';

export function isLabDistro(d: string): d is LabDistro {
  return (LAB_DISTROS as readonly string[]).includes(d);
}

export function distroFamily(d: LabDistro): DistroFamily {
  if (d.startsWith('ubuntu')) return 'ubuntu';
  if (d.startsWith('sles')) return 'sles';
  return 'rhel';
}

/** Inventory group name for an exact distro (Ansible group names cannot contain dots). */
export function distroGroup(d: LabDistro): string {
  return d.replace(/\./g, '_');
}

export interface DistroLayer {
  /** Path relative to / → content. */
  files: Record<string, string>;
  /** Paths of the real machine to hide on this distro's hosts. */
  hidden: string[];
}

/** KEY="value" lines; the real files leave a few keys unquoted, and parsers must cope with both. */
const kv = (pairs: [string, string][], unquoted: readonly string[] = []) =>
  pairs.map(([k, v]) => `${k}=${unquoted.includes(k) ? v : `"${v}"`}`).join('\n') + '\n';

function ubuntuRelease(version: '22.04' | '20.04'): DistroLayer {
  const [point, code, Code] = version === '22.04' ? ['22.04.4', 'jammy', 'Jammy Jellyfish'] : ['20.04.6', 'focal', 'Focal Fossa'];
  const osRelease = kv([
    ['PRETTY_NAME', `Ubuntu ${point} LTS`],
    ['NAME', 'Ubuntu'],
    ['VERSION_ID', version],
    ['VERSION', `${point} LTS (${Code})`],
    ['VERSION_CODENAME', code],
    ['ID', 'ubuntu'],
    ['ID_LIKE', 'debian'],
    ['HOME_URL', 'https://www.ubuntu.com/'],
    ['SUPPORT_URL', 'https://help.ubuntu.com/'],
    ['BUG_REPORT_URL', 'https://bugs.launchpad.net/ubuntu/'],
    ['PRIVACY_POLICY_URL', 'https://www.ubuntu.com/legal/terms-and-policies/privacy-policy'],
    ['UBUNTU_CODENAME', code],
  ], ['VERSION_CODENAME', 'ID', 'ID_LIKE', 'UBUNTU_CODENAME']);
  const lsb = kv([
    ['DISTRIB_ID', 'Ubuntu'],
    ['DISTRIB_RELEASE', version],
    ['DISTRIB_CODENAME', code],
    ['DISTRIB_DESCRIPTION', `Ubuntu ${point} LTS`],
  ], ['DISTRIB_ID', 'DISTRIB_RELEASE', 'DISTRIB_CODENAME']);
  return {
    files: {
      'etc/os-release': osRelease,
      'usr/lib/os-release': osRelease,
      'etc/lsb-release': lsb,
      'etc/debian_version': version === '22.04' ? 'bookworm/sid\n' : 'bullseye/sid\n',
    },
    hidden: [],
  };
}

function rhelRelease(distro: 'rhel8.6' | 'rhel8.7' | 'almalinux8.8'): DistroLayer {
  const v = distro.replace(/^[a-z]+/, '');
  const alma = distro.startsWith('alma');
  const release = alma ? `AlmaLinux release ${v} (Sapphire Caracal)\n` : `Red Hat Enterprise Linux release ${v} (Ootpa)\n`;
  const osRelease = alma
    ? kv([
        ['NAME', 'AlmaLinux'],
        ['VERSION', `${v} (Sapphire Caracal)`],
        ['ID', 'almalinux'],
        ['ID_LIKE', 'rhel centos fedora'],
        ['VERSION_ID', v],
        ['PLATFORM_ID', 'platform:el8'],
        ['PRETTY_NAME', `AlmaLinux ${v} (Sapphire Caracal)`],
        ['ANSI_COLOR', '0;34'],
        ['LOGO', 'fedora-logo-icon'],
        ['CPE_NAME', 'cpe:/o:almalinux:almalinux:8::baseos'],
        ['HOME_URL', 'https://almalinux.org/'],
        ['DOCUMENTATION_URL', 'https://wiki.almalinux.org/'],
        ['BUG_REPORT_URL', 'https://bugs.almalinux.org/'],
        ['ALMALINUX_MANTISBT_PROJECT', 'AlmaLinux-8'],
        ['ALMALINUX_MANTISBT_PROJECT_VERSION', v],
        ['REDHAT_SUPPORT_PRODUCT', 'AlmaLinux'],
        ['REDHAT_SUPPORT_PRODUCT_VERSION', v],
      ])
    : kv([
        ['NAME', 'Red Hat Enterprise Linux'],
        ['VERSION', `${v} (Ootpa)`],
        ['ID', 'rhel'],
        ['ID_LIKE', 'fedora'],
        ['VERSION_ID', v],
        ['PLATFORM_ID', 'platform:el8'],
        ['PRETTY_NAME', `Red Hat Enterprise Linux ${v} (Ootpa)`],
        ['ANSI_COLOR', '0;31'],
        ['CPE_NAME', 'cpe:/o:redhat:enterprise_linux:8::baseos'],
        ['HOME_URL', 'https://www.redhat.com/'],
        ['DOCUMENTATION_URL', 'https://access.redhat.com/documentation/en-us/red_hat_enterprise_linux/8'],
        ['BUG_REPORT_URL', 'https://bugzilla.redhat.com/'],
        ['REDHAT_BUGZILLA_PRODUCT', 'Red Hat Enterprise Linux 8'],
        ['REDHAT_BUGZILLA_PRODUCT_VERSION', v],
        ['REDHAT_SUPPORT_PRODUCT', 'Red Hat Enterprise Linux'],
        ['REDHAT_SUPPORT_PRODUCT_VERSION', v],
      ], ['REDHAT_BUGZILLA_PRODUCT_VERSION']);
  return {
    files: { 'etc/os-release': osRelease, 'usr/lib/os-release': osRelease, 'etc/redhat-release': release, 'etc/system-release': release },
    hidden: ['etc/debian_version'],
  };
}

function slesRelease(): DistroLayer {
  const osRelease = kv([
    ['NAME', 'SLES'],
    ['VERSION', '15-SP4'],
    ['VERSION_ID', '15.4'],
    ['PRETTY_NAME', 'SUSE Linux Enterprise Server 15 SP4'],
    ['ID', 'sles'],
    ['ID_LIKE', 'suse'],
    ['ANSI_COLOR', '0;32'],
    ['CPE_NAME', 'cpe:/o:suse:sles:15:sp4'],
    ['DOCUMENTATION_URL', 'https://documentation.suse.com/'],
  ]);
  return { files: { 'etc/os-release': osRelease, 'usr/lib/os-release': osRelease }, hidden: ['etc/debian_version'] };
}

export function distroLayer(d: LabDistro): DistroLayer {
  let layer: DistroLayer;
  if (d === 'ubuntu22.04' || d === 'ubuntu20.04') layer = ubuntuRelease(d === 'ubuntu22.04' ? '22.04' : '20.04');
  else if (d === 'sles15sp4') layer = slesRelease();
  else layer = rhelRelease(d);
  layer.files['etc/waagent.conf'] = waagentConf(distroFamily(d));
  return layer;
}

/** The agent's stock configuration as the family's package ships it. */
export function waagentConf(family: DistroFamily): string {
  const ubuntu = family === 'ubuntu';
  const s: string[] = [
    '#\n# Microsoft Azure Linux Agent Configuration\n#',
    '# Enable extension handling. Do not disable this unless you do not need password reset,\n# backup, monitoring, or any extension handling whatsoever.\nExtensions.Enabled=y',
    '# Which provisioning agent to use. Supported values are "auto" (default), "waagent",\n# "cloud-init", or "disabled".\nProvisioning.Agent=auto',
    '# Password authentication for root account will be unavailable.\nProvisioning.DeleteRootPassword=y',
    `# Generate fresh host key pair.\nProvisioning.RegenerateSshHostKeyPair=${ubuntu ? 'n' : 'y'}`,
    `# Supported values are "rsa", "dsa", "ecdsa", "ed25519", and "auto".\n# The "auto" option is supported on OpenSSH 5.9 (2011) and later.\nProvisioning.SshHostKeyPairType=${ubuntu ? 'auto' : 'rsa'}`,
    `# Monitor host name changes and publish changes via DHCP requests.\nProvisioning.MonitorHostName=${ubuntu ? 'n' : 'y'}`,
    '# Decode CustomData from Base64.\nProvisioning.DecodeCustomData=n',
    '# Execute CustomData after provisioning.\nProvisioning.ExecuteCustomData=n',
    '# Algorithm used by crypt when generating password hash.\n#Provisioning.PasswordCryptId=6',
    '# Length of random salt used when generating password hash.\n#Provisioning.PasswordCryptSaltLength=10',
    '# Allow reset password of sys user\nProvisioning.AllowResetSysUser=n',
    `# Format if unformatted. If 'n', resource disk will not be mounted.\nResourceDisk.Format=${ubuntu ? 'n' : 'y'}`,
    "# File system on the resource disk\n# Typically ext3 or ext4. FreeBSD images should use 'ufs2' here.\nResourceDisk.Filesystem=ext4",
    `# Mount point for the resource disk\nResourceDisk.MountPoint=${ubuntu ? '/mnt' : '/mnt/resource'}`,
    '# Create and use swapfile on resource disk.\nResourceDisk.EnableSwap=n',
    '# Size of the swapfile.\nResourceDisk.SwapSizeMB=0',
    '# Comma-separated list of mount options. See mount(8) for valid options.\nResourceDisk.MountOptions=None',
    '# Enable verbose logging (y|n)\nLogs.Verbose=n',
    '# Enable Console logging, default is y\n# Logs.Console=y',
    '# Is FIPS enabled\nOS.EnableFIPS=n',
    '# Root device timeout in seconds.\nOS.RootDeviceScsiTimeout=300',
    '# If "None", the system default version is used.\nOS.OpensslPath=None',
    '# Set the SSH ClientAliveInterval\n# OS.SshClientAliveInterval=180',
    '# Set the path to SSH keys and configuration files\nOS.SshDir=/etc/ssh',
    '# If set, agent will use proxy server to access internet\n#HttpProxy.Host=None\n#HttpProxy.Port=None',
    '# Detect Scvmm environment, default is n\n# DetectScvmmEnv=n',
    '#\n# Lib.Dir=/var/lib/waagent',
    '#\n# DVD.MountPoint=/mnt/cdrom/secure',
    '#\n# Pid.File=/var/run/waagent.pid',
    '#\n# Extension.LogDir=/var/log/azure',
    '#\n# OS.HomeDir=/home',
    '# Enable RDMA management and set up, should only be used in HPC images\n# OS.EnableRDMA=y',
  ];
  if (ubuntu) {
    s.push('# Enable RDMA kernel update, this value is effective on Ubuntu\n# OS.UpdateRdmaDriver=y');
    s.push('# Enable checking RDMA driver version and update\n# OS.CheckRdmaDriver=y');
  }
  s.push(
    '# Enable or disable goal state processing auto-update, default is enabled\n# AutoUpdate.Enabled=y',
    '# Determine the update family, this should not be changed\n# AutoUpdate.GAFamily=Prod',
    '# Determine if the overprovisioning feature is enabled. If yes, hold extension\n# handling until inVMArtifactsProfile.OnHold is false.\n# Default is enabled\n# EnableOverProvisioning=y',
    '# Allow fallback to HTTP if HTTPS is unavailable\n# Note: Allowing HTTP (vs. HTTPS) may cause security risks\n# OS.AllowHTTP=n',
    '# Add firewall rules to protect access to Azure host node services\nOS.EnableFirewall=y',
  );
  return `${s.join('\n\n')}\n`;
}

/** The agent's systemd unit name on this family (what a restart handler must use). */
export function agentUnit(family: DistroFamily): string {
  return family === 'ubuntu' ? 'walinuxagent' : 'waagent';
}
