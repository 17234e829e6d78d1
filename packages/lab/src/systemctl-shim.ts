// The lab hosts have no systemd. This `systemctl` records every call (one line: verb and units) in
// /var/log/fleetlab/systemctl.log so tests can count restarts, and keeps unit state in
// /var/lib/fleetlab/units so `is-active`/`is-enabled`/`show` answer consistently with what was done.
// Like the real one it refuses changes from a non-root user and unknown units (refused changes are
// not recorded; the log is world-writable so that queries by any user are). It is plain sh with
// no helper processes: it runs on every host, often.

export const SYSTEMCTL_LOG = '/var/log/fleetlab/systemctl.log';
export const UNIT_STATE_DIR = '/var/lib/fleetlab/units';

export const SYSTEMCTL_SHIM = `#!/bin/sh
# fleetlab: records service management instead of doing it (see ${SYSTEMCTL_LOG}).
log=${SYSTEMCTL_LOG}
state=${UNIT_STATE_DIR}
verb='' units='' quiet=''
for a in "$@"; do
  case "$a" in
    -q|--quiet) quiet=1 ;;
    -*) ;;
    *) if [ -z "$verb" ]; then verb=$a; else units="$units \${a%.service}"; fi ;;
  esac
done
units=\${units# }
[ -n "$verb" ] || verb=list-units
# One line per call that did something or asked something; refused changes are not recorded.
record() { printf '%s\\n' "$verb\${units:+ $units}" >> "$log" 2>/dev/null || :; }

known() {
  [ -e "$state/$1.unit" ] || [ -e "/etc/systemd/system/$1.service" ] || [ -e "/lib/systemd/system/$1.service" ] || [ -e "/usr/lib/systemd/system/$1.service" ]
}
need_root() {
  if [ ! -w "$state" ]; then
    echo "Failed to $verb $1.service: Interactive authentication required." >&2
    echo "See system logs and 'systemctl status $1.service' for details." >&2
    exit 1
  fi
}
need_unit() {
  if ! known "$1"; then echo "Failed to $verb $1.service: Unit $1.service not found." >&2; exit 5; fi
}
need_units() {
  if [ -z "$units" ]; then echo "Too few arguments." >&2; exit 1; fi
}

case "$verb" in
  start|restart|reload|try-restart|reload-or-restart|condrestart|force-reload)
    need_units
    for u in $units; do need_unit "$u"; need_root "$u"; done
    record
    for u in $units; do : > "$state/$u.active"; done ;;
  stop)
    need_units
    for u in $units; do need_unit "$u"; need_root "$u"; done
    record
    for u in $units; do rm -f "$state/$u.active"; done ;;
  enable|disable)
    need_units
    for u in $units; do need_unit "$u"; need_root "$u"; done
    record
    for u in $units; do
      if [ "$verb" = enable ]; then : > "$state/$u.enabled"; else rm -f "$state/$u.enabled"; fi
    done ;;
  is-active)
    need_units
    record
    rc=0
    for u in $units; do
      if [ -e "$state/$u.active" ]; then s=active; else s=inactive; rc=3; fi
      [ -n "$quiet" ] || echo "$s"
    done
    exit $rc ;;
  is-enabled)
    need_units
    record
    rc=0
    for u in $units; do
      if [ -e "$state/$u.enabled" ]; then s=enabled; elif known "$u"; then s=disabled; rc=1; else s=not-found; rc=1; fi
      [ -n "$quiet" ] || echo "$s"
    done
    exit $rc ;;
  status)
    record
    rc=0
    for u in $units; do
      if ! known "$u"; then echo "Unit $u.service could not be found." >&2; rc=4; continue; fi
      if [ -e "$state/$u.active" ]; then a='active (running)'; else a='inactive (dead)'; [ $rc -ne 0 ] || rc=3; fi
      printf '* %s.service\\n     Loaded: loaded (/lib/systemd/system/%s.service)\\n     Active: %s\\n' "$u" "$u" "$a"
    done
    exit $rc ;;
  show)
    for u in $units; do
      if known "$u"; then load=loaded; else load=not-found; fi
      if [ -e "$state/$u.active" ]; then act=active sub=running; else act=inactive sub=dead; fi
      if [ -e "$state/$u.enabled" ]; then en=enabled; else en=disabled; fi
      printf 'Id=%s.service\\nLoadState=%s\\nActiveState=%s\\nSubState=%s\\nUnitFileState=%s\\n\\n' "$u" "$load" "$act" "$sub" "$en"
    done ;;
  daemon-reload|daemon-reexec|reset-failed)
    if [ ! -w "$state" ]; then echo "Failed to reload daemon: Interactive authentication required." >&2; exit 1; fi
    record ;;
  list-units|list-unit-files) ;;
  *) echo "Unknown command verb $verb." >&2; exit 1 ;;
esac
exit 0
`;

/** Units a fresh host of this family knows, all active and enabled. */
export function seededUnits(agentUnit: string): string[] {
  return [agentUnit, 'sshd', 'ssh', 'cron', 'rsyslog'];
}
