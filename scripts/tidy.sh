#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy's checks) over the project's sources using build/compile_commands.json.
# Usage: scripts/tidy.sh [files...]   (default: every tracked .cc under src/ and tools/)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
if [ ! -f "$build_dir/compile_commands.json" ]; then
  echo "tidy: $build_dir/compile_commands.json missing; run scripts/build.sh first" >&2
  exit 1
fi
if [ $# -gt 0 ]; then files=("$@"); else mapfile -t files < <(git ls-files 'src/*.cc' 'tools/*.cc'); fi
status=0
for f in "${files[@]}"; do
  clang-tidy -p "$build_dir" --quiet "$f" 2>/dev/null || status=1
done
exit $status
