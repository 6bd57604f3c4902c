#!/usr/bin/env bash
# The main job: installs dependencies, builds depin and the web dashboard, and runs a local dev
# network on the embedded default — one node (ledger, report ingest, epoch service with short dev
# epochs and auto-claim, HTTP API, dashboard) and an emulated fleet of devices around real cities
# of every resource class: mobile hotspots (heartbeats, speedtests, usage receipts paid by
# emulated customers holding data credits), PoC hotspots (beacons citing the node's entropy,
# witnesses from neighbours in radio range) and weather stations (sensor batches). It prints the
# dashboard URL; uptime, coverage and quality-of-data rewards show there within two epochs.
# Ctrl-C stops both cleanly.
#
# Environment:
#   DEPIN_API        node address (default 127.0.0.1:8080; port 0 picks a free port)
#   DEPIN_DATA       data directory (default: a new directory under /tmp); reused if it exists
#   DEPIN_DEVICES    emulated devices (default 1000)
#   DEPIN_CUSTOMERS  emulated customers buying data transfer (default 5)
#   DEPIN_SEED       fleet seed (default 1)
#   DEPIN_CLASSES    class mix (default wireless:50,hotspot:30,sensor:20; docs/fleet.md)
#   BUILD_DIR        build directory (default build)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build_dir=${BUILD_DIR:-build}
TARGET=depin scripts/build.sh
if grep -q '^dashboard:' <(ninja -C "$build_dir" -t targets all 2>/dev/null); then
  TARGET=dashboard scripts/build.sh
fi
depin=$build_dir/bin/depin

data=${DEPIN_DATA:-$(mktemp -d /tmp/depin-dev-XXXXXX)}
if [ ! -f "$data/network.toml" ]; then
  "$depin" init "$data" >/dev/null
fi

node_pid=""
fleet_pid=""
stop() {
  trap - INT TERM
  [ -n "$fleet_pid" ] && kill -TERM "$fleet_pid" 2>/dev/null || true
  [ -n "$fleet_pid" ] && wait "$fleet_pid" 2>/dev/null || true
  [ -n "$node_pid" ] && kill -TERM "$node_pid" 2>/dev/null || true
  [ -n "$node_pid" ] && wait "$node_pid" 2>/dev/null || true
  echo "dev: stopped; the network's data is in $data" >&2
}
trap 'stop; exit 130' INT TERM

# The node prints exactly one line on stdout once it serves: "listening on http://HOST:PORT".
node_out=$data/node.stdout
: >"$node_out"
"$depin" node --dev --data "$data" --api "${DEPIN_API:-127.0.0.1:8080}" >"$node_out" &
node_pid=$!
url=""
for _ in $(seq 1 600); do  # up to 60 s: a first start creates the ledger
  url=$(sed -n 's/^listening on \(http:\/\/[^ ]*\)$/\1/p' "$node_out")
  [ -n "$url" ] && break
  if ! kill -0 "$node_pid" 2>/dev/null; then
    wait "$node_pid" || true
    echo "dev: the node exited before serving (see the messages above)" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "dev: the node did not start serving within 60 s" >&2
  stop
  exit 1
fi

echo "listening on $url"
echo "dashboard: $url/   (API: $url/v1/health, metrics: $url/metrics)"
echo "data directory: $data"

"$depin" fleet --node "$url" --data "$data" --devices "${DEPIN_DEVICES:-1000}" \
  --customers "${DEPIN_CUSTOMERS:-5}" --seed "${DEPIN_SEED:-1}" \
  --classes "${DEPIN_CLASSES:-wireless:50,hotspot:30,sensor:20}" &
fleet_pid=$!

# Whichever stops first (or Ctrl-C) stops the other.
set +e
wait -n "$node_pid" "$fleet_pid"
status=$?
set -e
stop
exit "$status"
