#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy's checks, findings are errors) over C++ sources.
#   scripts/tidy.sh [files...]      these files (default: every tracked .cc under src/ and tools/)
#   scripts/tidy.sh --changed REV   the .cc files under src/ and tools/ changed since REV, plus the
#                                   .cc beside each changed header (scripts/test.sh: the last commit)
# Uses the compile commands of build-sanitize/ (clang's own flags) when present, else build/.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-}
if [ -z "$build_dir" ]; then
  build_dir=build
  [ -f build-sanitize/compile_commands.json ] && build_dir=build-sanitize
fi
if [ ! -f "$build_dir/compile_commands.json" ]; then
  echo "tidy: $build_dir/compile_commands.json missing; run scripts/build.sh first" >&2
  exit 1
fi
if [ "${1:-}" = "--changed" ]; then
  base=${2:?usage: tidy.sh --changed REV}
  if ! git rev-parse -q --verify "$base^{commit}" >/dev/null; then
    echo "tidy: no revision $base (a shallow clone?); nothing to check"
    exit 0
  fi
  mapfile -t changed < <(git diff --name-only --diff-filter=AM "$base" HEAD -- \
    'src/*.cc' 'src/*.h' 'tools/*.cc' 'tools/*.h')
  files=()
  for f in "${changed[@]}"; do
    case $f in
      *.cc) files+=("$f") ;;
      *.h) [ -f "${f%.h}.cc" ] && files+=("${f%.h}.cc") ;;
    esac
  done
  mapfile -t files < <(printf '%s\n' "${files[@]}" | sort -u | grep -v '^$' || true)
elif [ $# -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(git ls-files 'src/*.cc' 'tools/*.cc')
fi
# Only files the build compiles (a test of a configuration that is off has no compile command).
checked=()
for f in "${files[@]}"; do
  grep -q "\"file\": \"$PWD/$f\"" "$build_dir/compile_commands.json" && checked+=("$f")
done
echo "tidy: ${#checked[@]} file(s) with $build_dir's compile commands"
[ ${#checked[@]} -eq 0 ] && exit 0
# One clang-tidy per file, one per core; a finding is an error (.clang-tidy: WarningsAsErrors).
printf '%s\0' "${checked[@]}" |
  xargs -0 -n 1 -P "$(nproc)" clang-tidy -p "$build_dir" --quiet >/tmp/depin-tidy.log 2>&1 ||
  {
    grep -E '(error|warning): ' /tmp/depin-tidy.log | sort -u >&2
    echo "tidy: findings above (checks in .clang-tidy)" >&2
    exit 1
  }
echo "tidy: ok"
