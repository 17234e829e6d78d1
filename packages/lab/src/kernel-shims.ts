// `modprobe` and `lsmod` for the lab hosts: they act on the host's kernel model (kernel-model.ts), whose
// loaded modules are a per-host file in /proc/modules' format, with kmod's messages and exit codes. Loading pulls in the modules a
// module needs; removing drops the ones nothing uses any more, and refuses a module in use. Every load
// or removal (with its parameters) is recorded in MODPROBE_LOG so tests can see what was asked.
import { AVAILABLE_MODULES_FILE, MODULES_FILE } from './kernel-model.js';

export const MODPROBE_LOG = '/var/log/fleetlab/modprobe.log';

export const MODPROBE_SHIM = `#!/bin/sh
# fleetlab: modules load into this host's model (${MODULES_FILE}), never into the machine's kernel.
avail=${AVAILABLE_MODULES_FILE}
mods=${MODULES_FILE}
log=${MODPROBE_LOG}
remove='' dry='' first='' name='' params=''
for a in "$@"; do
  case "$a" in
    -r|--remove) remove=1 ;;
    -n|--dry-run|--show) dry=1 ;;
    --first-time) first=1 ;;
    -q|--quiet|-v|--verbose|-b|--use-blacklist|-s|--syslog) ;;
    -*) echo "modprobe: unrecognized option '$a'" >&2; exit 1 ;;
    *) if [ -z "$name" ]; then name=$(printf '%s' "$a" | tr - _); else params="$params $a"; fi ;;
  esac
done
params=\${params# }
if [ -z "$name" ]; then echo "modprobe: ERROR: missing parameters. See -h." >&2; exit 1; fi
release=$(uname -r)
order=$(awk '{print $1}' "$mods" | sed -n '1!G;h;$p' | tr '\\n' ' ')
known() { awk -v n="$1" '$1==n {f=1} END {exit !f}' "$avail"; }
deps_of() { awk -v n="$1" '$1==n && $3!="-" {gsub(","," ",$3); print $3}' "$avail"; }
has() { case " $order " in *" $1 "*) return 0 ;; esac; return 1; }
users_of() { for u in $order; do case ",$(deps_of "$u" | tr ' ' ',')," in *",$1,"*) printf '%s ' "$u" ;; esac; done; }
load() { has "$1" && return 0; for d in $(deps_of "$1"); do load "$d"; done; order="$order $1"; }
drop() {
  o=''; for m in $order; do [ "$m" = "$1" ] || o="$o $m"; done; order=$o
  for d in $(deps_of "$1"); do if has "$d" && [ -z "$(users_of "$d")" ]; then drop "$d"; fi; done
}
write() {
  for m in $order; do printf '%s\\n' "$m"; done | awk -v availf="$avail" '
    BEGIN { while ((getline l < availf) > 0) { split(l, f, " "); size[f[1]] = f[2]; deps[f[1]] = f[3] } }
    { order[++n] = $1 }
    END {
      for (i = n; i >= 1; i--) {
        m = order[i]; u = ""; c = 0
        for (j = 1; j <= n; j++) if (index("," deps[order[j]], "," m ",")) { u = u order[j] ","; c++ }
        printf "%s %s %d %s Live 0x0000000000000000\\n", m, size[m], c, (c ? u : "-")
      }
    }' > "$mods.new.$$" && cat "$mods.new.$$" > "$mods"
  rm -f "$mods.new.$$"
}
if [ -n "$remove" ]; then
  if ! known "$name"; then echo "modprobe: FATAL: Module $name not found." >&2; exit 1; fi
  if ! has "$name"; then echo "modprobe: FATAL: Module $name is not in kernel." >&2; exit 1; fi
  if [ -n "$(users_of "$name")" ]; then echo "modprobe: FATAL: Module $name is in use." >&2; exit 1; fi
  [ -z "$dry" ] || exit 0
  if [ ! -w "$mods" ]; then echo "modprobe: ERROR: could not remove '$name': Operation not permitted" >&2; exit 1; fi
  drop "$name"; write
  printf 'remove %s\\n' "$name" >> "$log" 2>/dev/null || :
  exit 0
fi
if ! known "$name"; then echo "modprobe: FATAL: Module $name not found in directory /lib/modules/$release" >&2; exit 1; fi
if has "$name"; then
  if [ -n "$first" ]; then echo "modprobe: ERROR: could not insert '$name': Module already in kernel" >&2; exit 1; fi
  exit 0
fi
[ -z "$dry" ] || exit 0
if [ ! -w "$mods" ]; then echo "modprobe: ERROR: could not insert '$name': Operation not permitted" >&2; exit 1; fi
load "$name"; write
printf 'load %s%s\\n' "$name" "\${params:+ $params}" >> "$log" 2>/dev/null || :
exit 0
`;

export const LSMOD_SHIM = `#!/bin/sh
# fleetlab: lists this host's model of loaded modules, as kmod's lsmod prints /proc/modules.
printf 'Module                  Size  Used by\\n'
awk '{ u = $4; if (u == "-") u = ""; else sub(/,$/, "", u); printf "%-19s %8s  %s%s\\n", $1, $2, $3, (u == "" ? "" : " " u) }' ${MODULES_FILE}
`;
