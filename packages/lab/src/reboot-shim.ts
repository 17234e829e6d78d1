// `reboot` and `shutdown -r` for the lab hosts. Like systemd, the command returns first and the host
// goes down under the caller's session a moment later: it leaves REBOOT_MARKER (holding the delay
// before the host comes back, from REBOOT_DELAY_FILE) and stops the host's init, sshd. The host's PID
// namespace dies with it (every process of the host is killed, connections drop), and the lab
// supervisor, seeing the marker, starts the host again after the delay on the same overlay; its boot
// sets a new boot id (kernel-model.ts). Each reboot is recorded in REBOOT_LOG with its message.

export const REBOOT_MARKER = '/run/fleetlab/reboot';
/** Seconds between going down and coming back (default 1); a test may write a larger one. */
export const REBOOT_DELAY_FILE = '/etc/fleetlab/reboot-delay';
export const REBOOT_LOG = '/var/log/fleetlab/reboot.log';

export const REBOOT_SHIM = `#!/bin/sh
# fleetlab: reboots this lab host (see ${REBOOT_MARKER}); only reboots, no halt or power-off.
me=\${0##*/}
when=0 msg=''
only_reboots() { echo "fleetlab: only reboots (reboot, shutdown -r) are supported on lab hosts" >&2; exit 1; }
if [ "$me" = shutdown ]; then
  reboot=''
  for a in "$@"; do
    case "$a" in
      -r|--reboot) reboot=1 ;;
      -h|-H|-P|--halt|--poweroff|-c) only_reboots ;;
      now) when=0 ;;
      +[0-9]*) when=\${a#+} ;;
      [0-9]*) case "$a" in *:*) echo "fleetlab: shutdown at a clock time is not supported" >&2; exit 1 ;; esac; when=$a ;;
      -*) ;;
      *) msg="\${msg:+$msg }$a" ;;
    esac
  done
  [ -n "$reboot" ] || only_reboots
else
  for a in "$@"; do case "$a" in -p|--poweroff|--halt) only_reboots ;; esac; done
fi
if [ "$(id -u)" != 0 ]; then
  echo "Failed to set wall message, ignoring: Interactive authentication required." >&2
  echo "Failed to reboot system via logind: Interactive authentication required." >&2
  exit 1
fi
delay=$(cat ${REBOOT_DELAY_FILE} 2>/dev/null || echo 1)
if [ "$when" -gt 0 ]; then
  echo "Reboot scheduled for $(date -d "+$when min" '+%a %Y-%m-%d %H:%M:%S %Z'), use 'shutdown -c' to cancel." >&2
fi
printf '%s %s%s\\n' "$(date +%s)" "$me" "\${msg:+ $msg}" >> ${REBOOT_LOG} 2>/dev/null || :
mkdir -p ${REBOOT_MARKER.replace(/\/[^/]*$/, '')}
setsid sh -c "sleep $((when * 60)).3; printf '%s' '$delay' > ${REBOOT_MARKER}.tmp && mv ${REBOOT_MARKER}.tmp ${REBOOT_MARKER}; kill -TERM 1" </dev/null >/dev/null 2>&1 &
exit 0
`;
