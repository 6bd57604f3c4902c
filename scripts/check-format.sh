#!/usr/bin/env bash
# Fails if any tracked C++ file differs from .clang-format. Fix with: scripts/check-format.sh --fix
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cc' '*.h' 2>/dev/null || find src tools bench -name '*.cc' -o -name '*.h')
if [ ${#files[@]} -eq 0 ]; then exit 0; fi
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/depin-format.log; then
  grep -E '^[^ ].*(warning|error)' /tmp/depin-format.log | head -20 >&2
  echo "check-format: files above need clang-format (run scripts/check-format.sh --fix)" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files ok"
