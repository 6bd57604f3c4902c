#!/usr/bin/env bash
# The test command with every stage on: the checks, the main build and suite, then build-sanitize/
# (ASan+UBSan suite, thread-safety analysis, 20 s per fuzz target), build-tsan/ (the concurrent
# tests) and clang-tidy on the last commit's files. What .ci/run should call once it has passed
# within CI's 90 minutes (docs/security.md, "CI").
set -euo pipefail
cd "$(dirname "$0")/.."
SANITIZERS=1 TIDY=1 FUZZ_SECONDS="${FUZZ_SECONDS:-20}" exec scripts/test.sh
