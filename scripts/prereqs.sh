#!/usr/bin/env bash
# Installs the Debian packages the lab and the tests need (idempotent; root required).
# openssh-server: real sshd per lab host; sudo: become; iproute2: network namespaces and the lab bridge;
# python3-winrm: the independent WinRM client the Windows lab is checked against; openssl: the lab CA;
# ansible-core: the differential suite runs ansible-playbook beside fleetplay; rpm, dnf, createrepo-c,
# dpkg-dev, gnupg, apt-utils: the lab's package repositories (signed apt and rpm metadata) and the
# package managers the package modules drive; cron: the crontab command the cron module drives on lab hosts.
set -euo pipefail
need=()
command -v sshd >/dev/null 2>&1 || [ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null 2>&1 || need+=(openssh-client)
command -v sudo >/dev/null 2>&1 || need+=(sudo)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v unshare >/dev/null 2>&1 || need+=(util-linux)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
/usr/bin/python3 -c 'import winrm' >/dev/null 2>&1 || need+=(python3-winrm)
command -v ansible-playbook >/dev/null 2>&1 || need+=(ansible-core)
command -v rpm >/dev/null 2>&1 || need+=(rpm)
command -v dnf >/dev/null 2>&1 || need+=(dnf)
command -v createrepo_c >/dev/null 2>&1 || need+=(createrepo-c)
command -v dpkg-scanpackages >/dev/null 2>&1 || need+=(dpkg-dev)
command -v gpg >/dev/null 2>&1 || need+=(gnupg)
command -v apt-ftparchive >/dev/null 2>&1 || need+=(apt-utils)
command -v crontab >/dev/null 2>&1 || need+=(cron)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "fleetplay: missing Debian packages: ${need[*]} — install them as root: apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "fleetplay: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" >/dev/null
