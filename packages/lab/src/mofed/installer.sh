#!/bin/sh
# Lab stand-in for MLNX_OFED's mlnxofedinstall. It accepts the real installer's flags, checks the ones
# fleetplay relies on (--distro, --kernel-sources, root), exits with the real codes, and on success
# installs an `ofed_info` that reports the version, an /etc/init.d/openibd that records restarts and
# the /usr/sbin/ofed_uninstall.sh that removes them, and stand-ins for the four InfiniBand kernel
# modules: built for the running kernel (or --kernel) with --add-kernel-support, else the prebuilt
# ones for the distro's stock kernel the tarball was made for (@KERNEL@), as the real tarball ships.
# A test can force any documented exit code by writing it to /etc/fleetlab/mofed-exit on the host.
PKG_VERSION='@VERSION@'
PKG_DISTRO='@DISTRO@'
PKG_KERNEL='@KERNEL@'
distro='' ksrc='' skip_distro='' kernel='' aks='' flags="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --distro) [ $# -ge 2 ] || { echo "Error: --distro needs a value" >&2; exit 22; }; distro=$2; shift 2 ;;
    --kernel) [ $# -ge 2 ] || { echo "Error: --kernel needs a value" >&2; exit 22; }; kernel=$2; shift 2 ;;
    --add-kernel-support) aks=1; shift ;;
    --kernel-sources) [ $# -ge 2 ] || { echo "Error: --kernel-sources needs a value" >&2; exit 22; }; ksrc=$2; shift 2 ;;
    --skip-distro-check) skip_distro=1; shift ;;
    --skip-unsupported-devices-check|--without-fw-update|--skip-repo|--force|-q|--user-space-only|--kernel-only|--with-nfsrdma|--without-dkms) shift ;;
    *) echo "Unsupported option: $1" >&2; exit 22 ;;
  esac
done
if [ "$(id -u)" != 0 ]; then echo "Error: You must be root to install MLNX_OFED_LINUX" >&2; exit 1; fi
if [ -s /etc/fleetlab/mofed-exit ]; then
  code=$(cat /etc/fleetlab/mofed-exit)
  echo "Simulated mlnxofedinstall failure (exit $code)" >&2
  exit "$code"
fi
if [ -n "$distro" ] && [ "$distro" != "$PKG_DISTRO" ]; then
  echo "Error: The current MLNX_OFED_LINUX is intended for $PKG_DISTRO, not $distro" >&2; exit 22
fi
. /etc/os-release
case "$ID" in
  rhel|centos|almalinux|rocky|ol) host="rhel$VERSION_ID" ;;
  sles) host="sles$(echo "$VERSION_ID" | sed 's/\./sp/')" ;;
  *) host="$ID$VERSION_ID" ;;
esac
if [ -z "$skip_distro" ] && [ "$host" != "$PKG_DISTRO" ]; then
  echo "Error: The current MLNX_OFED_LINUX is intended for $PKG_DISTRO (this system is $host)" >&2; exit 1
fi
if [ -n "$ksrc" ] && [ ! -d "$ksrc" ]; then
  echo "Error: kernel sources directory $ksrc does not exist; install kernel-devel" >&2; exit 172
fi
echo "Logs dir: /tmp/MLNX_OFED_LINUX.$$.logs"
echo "Installing MLNX_OFED_LINUX $PKG_VERSION for $PKG_DISTRO"
mkdir -p /usr/bin /etc/init.d /var/log/fleetlab
cat > /usr/bin/ofed_info <<INFO
#!/bin/sh
case "\$1" in
  -s) echo "MLNX_OFED_LINUX-$PKG_VERSION:" ;;
  -n) echo "$PKG_VERSION" ;;
  *) echo "MLNX_OFED_LINUX-$PKG_VERSION ($PKG_DISTRO):"; echo; echo "Installed Packages:"; echo "mlnx-ofed-kernel-utils" ;;
esac
INFO
chmod 755 /usr/bin/ofed_info
cat > /etc/init.d/openibd <<'OPENIBD'
#!/bin/sh
# Lab openibd: records the action instead of reloading RDMA drivers.
mkdir -p /var/log/fleetlab
echo "$(date +%s) openibd $*" >> /var/log/fleetlab/openibd.log
echo "Unloading HCA driver: [  OK  ]"
echo "Loading HCA driver and Access Layer: [  OK  ]"
OPENIBD
chmod 755 /etc/init.d/openibd
if [ -n "$aks" ]; then kver=${kernel:-$(uname -r)}; else kver=$PKG_KERNEL; fi
mkdir -p "/lib/modules/$kver/extra/mlnx-ofa_kernel"
for m in mlx5_core mlx5_ib ib_ipoib ib_uverbs; do
  echo "lab stand-in for $m (MLNX_OFED $PKG_VERSION, kernel $kver)" > "/lib/modules/$kver/extra/mlnx-ofa_kernel/$m.ko"
done
# MLNX_OFED's own uninstaller, as the real package ships it (/usr/sbin/ofed_uninstall.sh).
mkdir -p /usr/sbin
cat > /usr/sbin/ofed_uninstall.sh <<'UNINSTALL'
#!/bin/sh
if [ "$(id -u)" != 0 ]; then echo "Error: You must be root to uninstall MLNX_OFED_LINUX" >&2; exit 1; fi
echo "Removing MLNX_OFED_LINUX"
rm -f /usr/bin/ofed_info /etc/init.d/openibd
rm -rf /lib/modules/*/extra/mlnx-ofa_kernel
mkdir -p /var/log/fleetlab
echo "$(date +%s) ofed_uninstall.sh $*" >> /var/log/fleetlab/mofed-install.log
rm -f /usr/sbin/ofed_uninstall.sh
UNINSTALL
chmod 755 /usr/sbin/ofed_uninstall.sh
echo "$(date +%s) $PKG_VERSION $PKG_DISTRO $flags" >> /var/log/fleetlab/mofed-install.log
echo "Installation passed successfully"
exit 0
