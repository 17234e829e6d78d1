// InfiniBand as an Azure HPC VM shows it, per lab host. The host's /sys/class is an overlay on its
// own sysfs (lower) with a per-host upper directory, so /sys/class/infiniband/<dev>/ports/<n>/{state,
// phys_state,rate,link_layer} are ordinary files of that host that the product reads at their real
// paths, while /sys/class/net and the rest stay the kernel's. A fresh host has no InfiniBand (what
// the tests of hosts without it expect); `fleetlab-ib` on the host adds an HCA, sets a port's state
// and rate, and adds or removes ib0 (an ifb device: the machine's kernel has no IPoIB).
//
// The Azure Linux agent is modelled as far as RDMA goes: `waagent --version` reports a version a test
// can set, and when its unit starts (systemctl start/restart, or at boot when enabled) it reads
// /etc/waagent.conf with the lab's own transcription of the agent's rule and, when RDMA is on, gives
// ib0 its IPoIB address, as the agent does with the address the fabric assigns.
import { join } from 'node:path';
import { UNIT_START_HOOKS } from './systemctl-shim.js';

export const IB_CONTROL = '/usr/sbin/fleetlab-ib';
export const AGENT_BIN = '/usr/sbin/waagent';
/** The agent's version as `waagent --version` reports it (daemon and goal state agent alike). */
export const AGENT_VERSION_FILE = '/etc/fleetlab/waagent-version';
export const AGENT_DEFAULT_VERSION = '2.9.1.1';
export const AGENT_LOG = '/var/log/waagent.log';
const AGENT_START = '/usr/lib/fleetlab/waagent-start';

/** The per-host upper and work directories of the /sys/class overlay. */
export function sysClassDirs(stateDir: string) {
  return { upper: join(stateDir, 'sys-class', 'upper'), work: join(stateDir, 'sys-class', 'work') };
}

/** The fstab line that lays the host's /sys/class overlay over the sysfs mounted just before it. */
export function sysClassFstab(stateDir: string, merged: string): string {
  const d = sysClassDirs(stateDir);
  return `overlay ${merged}/sys/class overlay lowerdir=${merged}/sys/class,upperdir=${d.upper},workdir=${d.work} 0 0`;
}

/**
 * sh run as the host's PID 1 at boot ($2 = state dir, mounts done): ib0 exists exactly when the model
 * has an HCA, without the address of the previous boot; then the agent starts if its unit is enabled.
 */
export const IB_BOOT_SCRIPT = [
  'm="$2/merged"',
  'ip link del ib0 2>/dev/null || true',
  'if ls "$m/sys/class/infiniband/"*/ports >/dev/null 2>&1 && [ ! -e "$m/etc/fleetlab/ib/no-ipoib" ]; then { ip link add ib0 type ifb && ip link set ib0 mtu 2044 up; } || true; fi',
  'for u in walinuxagent waagent; do',
  '  if [ -e "$m/var/lib/fleetlab/units/$u.enabled" ] || [ -L "$m/etc/systemd/system/multi-user.target.wants/$u.service" ]; then',
  `    chroot "$m" /usr/bin/env PATH=/usr/sbin:/usr/bin:/sbin:/bin ${AGENT_START} >> "$2/start.log" 2>&1 || true`,
  '  fi',
  'done',
].join('\n');

const CONTROL = `#!/bin/sh
# fleetlab: the host's InfiniBand model (/sys/class is this host's overlay; see the lab README).
#   fleetlab-ib add DEV [PORTS] [RATE]       an HCA whose ports are ACTIVE/LinkUp at RATE Gb/s (200), and ib0
#   fleetlab-ib port DEV N STATE PHYS [RATE]   e.g. port mlx5_0 1 DOWN Polling
#   fleetlab-ib ipoib present|absent|flush    ib0 there (no address until the agent gives one), gone, or unaddressed
#   fleetlab-ib clear                          no InfiniBand at all
set -e
ib=/sys/class/infiniband
state_code() { case "$1" in DOWN) echo 1 ;; INIT) echo 2 ;; ARMED) echo 3 ;; ACTIVE) echo 4 ;; ACTIVE_DEFER) echo 5 ;; *) echo "fleetlab-ib: unknown port state $1" >&2; exit 2 ;; esac; }
phys_code() { case "$1" in Sleep) echo 1 ;; Polling) echo 2 ;; Disabled) echo 3 ;; PortConfigurationTraining) echo 4 ;; LinkUp) echo 5 ;; LinkErrorRecovery) echo 6 ;; *) echo "fleetlab-ib: unknown physical state $1" >&2; exit 2 ;; esac; }
rate_text() {
  case "$1" in 400) g='4X NDR' ;; 200) g='4X HDR' ;; 100) g='4X EDR' ;; 56) g='4X FDR' ;; 40) g='4X QDR' ;; 20) g='4X DDR' ;; 10) g='4X SDR' ;; *) g='4X' ;; esac
  echo "$1 Gb/sec ($g)"
}
set_port() { # dev port state phys rate
  p="$ib/$1/ports/$2"; mkdir -p "$p"
  echo "$(state_code "$3"): $3" > "$p/state"
  echo "$(phys_code "$4"): $4" > "$p/phys_state"
  [ -z "$5" ] || rate_text "$5" > "$p/rate"
  [ -e "$p/link_layer" ] || echo InfiniBand > "$p/link_layer"
}
ipoib_present() { ip link show ib0 >/dev/null 2>&1 || { ip link add ib0 type ifb && ip link set ib0 mtu 2044 up; }; rm -f /etc/fleetlab/ib/no-ipoib; }
case "$1" in
  add)
    [ -n "$2" ] || { echo 'fleetlab-ib add DEV [PORTS] [RATE]' >&2; exit 2; }
    n=1; while [ "$n" -le "\${3:-1}" ]; do set_port "$2" "$n" ACTIVE LinkUp "\${4:-200}"; n=$((n + 1)); done
    ipoib_present ;;
  port)
    [ -d "$ib/$2/ports/$3" ] || { echo "fleetlab-ib: no port $ib/$2/ports/$3" >&2; exit 2; }
    set_port "$2" "$3" "$4" "$5" "$6" ;;
  ipoib)
    case "$2" in
      present) ipoib_present ;;
      absent) ip link del ib0 2>/dev/null || true; mkdir -p /etc/fleetlab/ib; : > /etc/fleetlab/ib/no-ipoib ;;
      flush) ip -4 addr flush dev ib0 ;;
      *) echo 'fleetlab-ib ipoib present|absent|flush' >&2; exit 2 ;;
    esac ;;
  clear) rm -rf "$ib"; ip link del ib0 2>/dev/null || true ;;
  *) sed -n '3,6s/^# *//p' "$0" >&2; exit 2 ;;
esac
`;

const AGENT = `#!/bin/sh
# fleetlab: the Azure Linux agent's command line, as far as the lab models it.
v=$(cat ${AGENT_VERSION_FILE} 2>/dev/null || echo ${AGENT_DEFAULT_VERSION})
. /etc/os-release
case "$1" in
  --version|-version)
    echo "WALinuxAgent-$v running on $ID $VERSION_ID"
    echo "Python: $(python3 -c 'import platform; print(platform.python_version())')"
    echo "Goal state agent: $v" ;;
  *) echo "fleetlab: waagent $1 is not modelled; the agent starts with its unit (systemctl start)" >&2; exit 1 ;;
esac
`;

// The lab's own reading of waagent.conf, written from the agent's rule as DOMAIN.md states it
// (WALinuxAgent's ConfigurationProvider.load, get_switch, enable_rdma), independently of the module.
const AGENT_START_PY = `#!/usr/bin/python3
# fleetlab: what the Azure Linux agent does about RDMA when its daemon starts.
import json
import subprocess
import time

RDMA_KEYS = ("OS.EnableRDMA", "OS.UpdateRdmaDriver", "OS.CheckRdmaDriver")


def read_conf(text):
    values = {}
    for line in text.split("\\n"):
        if line.startswith("#") or "=" not in line:
            continue
        key, rest = line.split("=", 1)
        value = rest.split("#")[0].strip('" ').strip()
        values[key.strip()] = None if value == "None" else value
    return values


def is_yes(values, key):
    value = values.get(key)
    return value is not None and value.lower() == "y"


def log(msg):
    with open("${AGENT_LOG}", "a") as f:
        f.write("%s INFO Daemon %s\\n" % (time.strftime("%Y-%m-%dT%H:%M:%S"), msg))


def main():
    try:
        with open("/etc/waagent.conf") as f:
            values = read_conf(f.read())
    except OSError:
        values = {}
    on = [k for k in RDMA_KEYS if is_yes(values, k)]
    if not on:
        log("RDMA: not enabled in /etc/waagent.conf")
        return
    links = json.loads(subprocess.run(["ip", "-j", "addr", "show"], capture_output=True, text=True, check=True).stdout or "[]")
    eth0 = next((a["local"] for l in links if l.get("ifname") == "eth0" for a in l.get("addr_info", []) if a.get("family") == "inet"), None)
    ib = [l["ifname"] for l in links if l.get("ifname", "").startswith("ib")]
    if not ib or eth0 is None:
        log("RDMA: enabled by %s; no IPoIB interface to configure" % ", ".join(on))
        return
    # The fabric's address for this VM: 172.16.x.y from the last two bytes of eth0's.
    address = "172.16.%s.%s/16" % tuple(eth0.split(".")[2:4])
    for name in ib:
        subprocess.run(["ip", "link", "set", name, "up"], check=True)
        subprocess.run(["ip", "addr", "replace", address, "dev", name], check=True)
    log("RDMA: enabled by %s; %s configured with %s" % (", ".join(on), ", ".join(ib), address))


main()
`;

/** The files the common layer gives every host: path relative to / → [content, mode]. */
export function ibLayerFiles(): Record<string, [string, number]> {
  return {
    [IB_CONTROL.slice(1)]: [CONTROL, 0o755],
    [AGENT_BIN.slice(1)]: [AGENT, 0o755],
    [AGENT_START.slice(1)]: [AGENT_START_PY, 0o755],
    [`${UNIT_START_HOOKS.slice(1)}/walinuxagent`]: [`#!/bin/sh\nexec ${AGENT_START}\n`, 0o755],
    [`${UNIT_START_HOOKS.slice(1)}/waagent`]: [`#!/bin/sh\nexec ${AGENT_START}\n`, 0o755],
    [AGENT_VERSION_FILE.slice(1)]: [`${AGENT_DEFAULT_VERSION}\n`, 0o644],
  };
}
