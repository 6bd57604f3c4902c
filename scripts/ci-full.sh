#!/usr/bin/env bash
# The test command with every stage on: the main suite, then ASan+UBSan, TSan and 20 s per fuzz
# target. Meant to become what .ci/run calls once it has passed within CI's 90 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
SANITIZERS=1 FUZZ_SECONDS="${FUZZ_SECONDS:-20}" exec scripts/test.sh
