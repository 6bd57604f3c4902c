#!/usr/bin/env bash
# The main job: installs dependencies, builds, and runs a single-node dev network in a fresh data
# directory. Ctrl-C stops it. Environment: DEPIN_API (default 127.0.0.1:8080), DEPIN_DATA
# (default: a new directory under /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
TARGET=depin scripts/build.sh
data=${DEPIN_DATA:-$(mktemp -d /tmp/depin-dev-XXXXXX)}
if [ ! -f "$data/network.toml" ]; then
  build/bin/depin init "$data"
fi
exec build/bin/depin node --dev --data "$data" --api "${DEPIN_API:-127.0.0.1:8080}"
