// The lab hosts have no systemd. This `systemctl` records every call that acts or asks (one line: verb
// and units) in /var/log/fleetlab/systemctl.log so tests can count restarts, and keeps a small unit
// model: unit files under /etc/systemd/system, /usr/lib/systemd/system and /lib/systemd/system, run
// state in /var/lib/fleetlab/units, enablement as multi-user.target.wants links (or a state file for the
// seeded units), masking as a /dev/null link, so `is-active`/`is-enabled`/`show`/`list-units`/
// `list-unit-files` answer in systemctl's format, consistently with what was done.
// Like the real one it refuses changes from a non-root user and unknown units (refused changes are
// not recorded; the log is world-writable so that queries by any user are). It is plain sh with
// no helper processes: it runs on every host, often.

export const SYSTEMCTL_LOG = '/var/log/fleetlab/systemctl.log';
export const UNIT_STATE_DIR = '/var/lib/fleetlab/units';
/** An executable here named after a unit runs after the unit (re)starts: what its daemon does at start. */
export const UNIT_START_HOOKS = '/usr/lib/fleetlab/unit-start.d';

export const SYSTEMCTL_SHIM = `#!/bin/sh
# fleetlab: records service management instead of doing it (see ${SYSTEMCTL_LOG}).
log=${SYSTEMCTL_LOG}
state=${UNIT_STATE_DIR}
verb='' units='' quiet='' props='' legend=1 all='' want_prop=''
for a in "$@"; do
  if [ -n "$want_prop" ]; then props="$props,$a"; want_prop=''; continue; fi
  case "$a" in
    -q|--quiet) quiet=1 ;;
    -p|--property) want_prop=1 ;;
    --property=*) props="$props,\${a#--property=}" ;;
    --no-legend) legend='' ;;
    -a|--all) all=1 ;;
    --user)
      # No user manager runs on a lab host (no login session bus), as over a plain ssh command.
      echo 'Failed to connect to bus: $DBUS_SESSION_BUS_ADDRESS and $XDG_RUNTIME_DIR not defined (consider using --machine=<user>@.host --user to connect to bus of other user)' >&2
      exit 1 ;;
    --global) echo 'fleetlab: user units for every user (--global) are not modelled on lab hosts' >&2; exit 1 ;;
    -*) ;;
    *) if [ -z "$verb" ]; then verb=$a; else units="$units \${a%.service}"; fi ;;
  esac
done
units=\${units# }
[ -n "$verb" ] || verb=list-units
# One line per call that did something or asked something; refused changes are not recorded.
record() { printf '%s\\n' "$verb\${units:+ $units}" >> "$log" 2>/dev/null || :; }

etc=/etc/systemd/system
wants=$etc/multi-user.target.wants
# The unit's file, as systemd finds it (/etc first); a masked unit's is /dev/null.
unitfile() {
  for d in $etc /usr/lib/systemd/system /lib/systemd/system; do
    if [ -e "$d/$1.service" ] || [ -L "$d/$1.service" ]; then echo "$d/$1.service"; return 0; fi
  done
  return 1
}
masked() { [ "$(readlink "$etc/$1.service" 2>/dev/null)" = /dev/null ]; }
known() { [ -e "$state/$1.unit" ] || unitfile "$1" >/dev/null; }
enabled() { [ -e "$state/$1.enabled" ] || [ -L "$wants/$1.service" ]; }
active() { [ -e "$state/$1.active" ]; }
unit_file_state() {
  if masked "$1"; then echo masked; elif enabled "$1"; then echo enabled; elif known "$1"; then echo disabled; else echo ''; fi
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
need_unmasked() {
  if masked "$1"; then echo "Failed to $verb $1.service: Unit $1.service is masked." >&2; exit 1; fi
}
need_units() {
  if [ -z "$units" ]; then echo "Too few arguments." >&2; exit 1; fi
}
all_units() {
  { for f in "$state"/*.unit; do [ -e "$f" ] && basename "$f" .unit; done
    for d in $etc /usr/lib/systemd/system /lib/systemd/system; do
      for f in "$d"/*.service; do { [ -e "$f" ] || [ -L "$f" ]; } && basename "$f" .service; done
    done; } | sort -u
}

case "$verb" in
  start|restart|reload|try-restart|reload-or-restart|condrestart|force-reload)
    need_units
    for u in $units; do need_unit "$u"; need_unmasked "$u"; need_root "$u"; done
    record
    for u in $units; do : > "$state/$u.active"; done
    if [ "$verb" != reload ]; then
      for u in $units; do h=${UNIT_START_HOOKS}/$u; [ ! -x "$h" ] || "$h" || echo "fleetlab: $u did not start cleanly" >&2; done
    fi ;;
  stop)
    need_units
    for u in $units; do need_unit "$u"; need_root "$u"; done
    record
    for u in $units; do rm -f "$state/$u.active"; done ;;
  enable|disable)
    need_units
    for u in $units; do
      need_unit "$u"; need_root "$u"
      if [ "$verb" = enable ] && masked "$u"; then echo "Failed to enable unit: Unit file $etc/$u.service is masked." >&2; exit 1; fi
    done
    record
    for u in $units; do
      if [ "$verb" = enable ]; then
        : > "$state/$u.enabled"
        f=$(unitfile "$u") || f=''
        if [ -n "$f" ] && [ ! -L "$wants/$u.service" ]; then
          mkdir -p "$wants" && ln -s "$f" "$wants/$u.service" && echo "Created symlink $wants/$u.service → $f." >&2
        fi
      else
        rm -f "$state/$u.enabled"
        if [ -L "$wants/$u.service" ]; then rm -f "$wants/$u.service"; echo "Removed \\"$wants/$u.service\\"." >&2; fi
      fi
    done ;;
  mask|unmask)
    need_units
    for u in $units; do
      need_root "$u"
      if [ "$verb" = mask ] && [ -e "$etc/$u.service" ] && ! masked "$u"; then
        echo "Failed to mask unit: File $etc/$u.service already exists." >&2; exit 1
      fi
    done
    record
    for u in $units; do
      if [ "$verb" = mask ]; then
        masked "$u" || { mkdir -p "$etc" && ln -s /dev/null "$etc/$u.service" && echo "Created symlink $etc/$u.service → /dev/null." >&2; }
      elif masked "$u"; then
        rm -f "$etc/$u.service"; echo "Removed \\"$etc/$u.service\\"." >&2
      fi
    done ;;
  is-active)
    need_units
    record
    rc=0
    for u in $units; do
      if active "$u"; then s=active; else s=inactive; rc=3; fi
      [ -n "$quiet" ] || echo "$s"
    done
    exit $rc ;;
  is-enabled)
    need_units
    record
    rc=0
    for u in $units; do
      s=$(unit_file_state "$u"); [ -n "$s" ] || s=not-found
      [ "$s" = enabled ] || rc=1
      [ -n "$quiet" ] || echo "$s"
    done
    exit $rc ;;
  status)
    record
    rc=0
    for u in $units; do
      if ! known "$u"; then echo "Unit $u.service could not be found." >&2; rc=4; continue; fi
      if active "$u"; then a='active (running)'; else a='inactive (dead)'; [ $rc -ne 0 ] || rc=3; fi
      printf '* %s.service\\n     Loaded: loaded (/lib/systemd/system/%s.service)\\n     Active: %s\\n' "$u" "$u" "$a"
    done
    exit $rc ;;
  show)
    for u in $units; do
      if masked "$u"; then load=masked; elif known "$u"; then load=loaded; else load=not-found; fi
      if active "$u"; then act=active sub=running; else act=inactive sub=dead; fi
      en=$(unit_file_state "$u")
      f=$(unitfile "$u") || f=''
      [ "$load" != masked ] || f=''
      # All properties in systemd's order, or only those asked for with -p/--property.
      printf 'Id=%s.service\\nNames=%s.service\\nDescription=%s\\nLoadState=%s\\nActiveState=%s\\nSubState=%s\\nFragmentPath=%s\\nUnitFileState=%s\\n' \\
        "$u" "$u" "$u" "$load" "$act" "$sub" "$f" "$en" |
        if [ -n "$props" ]; then grep -E "^($(printf '%s' "\${props#,}" | tr ',' '|'))="; else cat; fi
      echo
    done ;;
  list-units)
    [ -z "$legend" ] || printf '%-40s %-9s %-8s %-8s %s\\n' UNIT LOAD ACTIVE SUB DESCRIPTION
    for u in $(all_units); do
      if masked "$u"; then load=masked; else load=loaded; fi
      if active "$u"; then act=active sub=running; else act=inactive sub=dead; fi
      [ -n "$all" ] || [ "$act" = active ] || continue
      printf '%-40s %-9s %-8s %-8s %s\\n' "$u.service" "$load" "$act" "$sub" "$u"
    done ;;
  list-unit-files)
    [ -z "$legend" ] || printf '%-40s %-15s %s\\n' 'UNIT FILE' STATE 'VENDOR PRESET'
    for u in $(all_units); do printf '%-40s %-15s %s\\n' "$u.service" "$(unit_file_state "$u")" enabled; done ;;
  daemon-reload|daemon-reexec|reset-failed)
    if [ ! -w "$state" ]; then echo "Failed to reload daemon: Interactive authentication required." >&2; exit 1; fi
    record ;;
  *) echo "Unknown command verb $verb." >&2; exit 1 ;;
esac
exit 0
`;

/** Units a fresh host of this family knows, all active and enabled. */
export function seededUnits(agentUnit: string): string[] {
  return [agentUnit, 'sshd', 'ssh', 'cron', 'rsyslog'];
}
