#!/usr/bin/env bash
# Configures and builds OpenDePIN into build/ (Ninja + ccache). Extra arguments go to cmake.
#   BUILD_DIR   build directory (default: build)
#   BUILD_TYPE  CMake build type (default: RelWithDebInfo)
#   TARGET      build only these targets, space-separated (default: everything, tests included)
#   WERROR      1 (default): warnings are errors (-DDEPIN_WERROR=ON); 0 to build through them
# Configuration happens once per build directory; an existing directory is reconfigured only when
# WERROR or the extra cmake arguments ask for something its cache does not hold.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
werror=$([ "${WERROR:-1}" = 0 ] && echo OFF || echo ON)
# ccache keeps its default cache (~/.cache/ccache), so clones on one machine share it.
export CCACHE_BASEDIR=$PWD
# Debug info names the build directory; without this, worktrees and clones never share objects.
export CCACHE_NOHASHDIR=1
args=(-DDEPIN_WERROR="$werror" "$@")
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
    "${args[@]}" >/dev/null
else
  for a in "${args[@]}"; do
    [[ $a == -D*=* ]] || continue
    name=${a#-D}; name=${name%%=*}; value=${a#*=}
    if ! grep -qE "^${name}(:[A-Z]+)?=${value}\$" "$build_dir/CMakeCache.txt"; then
      cmake "$build_dir" "${args[@]}" >/dev/null
      break
    fi
  done
fi
jobs=$(nproc)
targets=()
for t in ${TARGET:-}; do targets+=(--target "$t"); done
cmake --build "$build_dir" --parallel "$jobs" "${targets[@]}"
