#!/usr/bin/env bash
# Installs the Debian packages the lab and the tests need (idempotent; root required).
# openssh-server: real sshd per lab host; sudo: become; iproute2: network namespaces and the lab bridge;
# python3-winrm: the independent WinRM client the Windows lab is checked against; openssl: the lab CA.
set -euo pipefail
need=()
command -v sshd >/dev/null 2>&1 || [ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null 2>&1 || need+=(openssh-client)
command -v sudo >/dev/null 2>&1 || need+=(sudo)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v unshare >/dev/null 2>&1 || need+=(util-linux)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
/usr/bin/python3 -c 'import winrm' >/dev/null 2>&1 || need+=(python3-winrm)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "fleetplay: missing Debian packages: ${need[*]} — install them as root: apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "fleetplay: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" >/dev/null
