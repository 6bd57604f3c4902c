#!/usr/bin/env bash
# Installs OpenDePIN's build and test dependencies from Debian 12 packages (idempotent: does
# nothing when everything is already installed). Runs apt as root, or through sudo.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libsodium-dev libssl-dev
  libprotobuf-dev protobuf-compiler
  libsqlite3-dev libsqlitecpp-dev
  libboost-dev
  nlohmann-json3-dev libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libs2-dev
  libjemalloc-dev
  clang-format
  clang libclang-rt-14-dev clang-tidy   # build-sanitize/ (ASan, UBSan, libFuzzer, thread-safety)
  llvm                              # llvm-symbolizer: symbolized sanitizer stacks
  python3 curl procps
  chromium                          # the dashboard's end-to-end browser test
  prometheus                        # promtool: deploy/ checks and the /metrics lint
)
# The web dashboard builds with Node.js and npm (Debian 12: Node 18). A machine that already has
# a node with npm (e.g. from NodeSource, which bundles npm and conflicts with Debian's npm
# package) keeps it.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
