#!/usr/bin/env bash
# Configures and builds OpenDePIN into build/ (Ninja + ccache). Extra arguments go to cmake.
#   BUILD_DIR   build directory (default: build)
#   BUILD_TYPE  CMake build type (default: RelWithDebInfo)
#   TARGET      build only this target (default: everything, tests included)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
# ccache keeps its default cache (~/.cache/ccache), so clones on one machine share it.
export CCACHE_BASEDIR=$PWD
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" "$@" >/dev/null
fi
jobs=$(nproc)
cmake --build "$build_dir" --parallel "$jobs" ${TARGET:+--target "$TARGET"}
