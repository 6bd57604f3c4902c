#!/usr/bin/env bash
# The test command (.ci/run calls exactly this). Stages, in order, each timed in its banner:
#   1. dependencies, C++ formatting, the layer rules, the dashboard's lint and unit tests, and
#      Clang's thread-safety analysis over every source (compile-only: check-thread-safety.sh)
#   2. build/ (gcc, warnings are errors) and the whole suite
#   3. build-sanitize/ (clang: ASan+UBSan, libFuzzer coverage, -Wthread-safety as errors): the
#      whole suite under the sanitizers, then every fuzz target for FUZZ_SECONDS
#   4. build-tsan/ (ThreadSanitizer): the concurrent tests
#   5. clang-tidy on the C++ files the last commit changed
# Each configuration has its own build directory, built once per run (ccache shares objects
# across runs). What each stage costs and why it runs is in docs/security.md ("CI").
#   BUILD_DIR        the main build (default: build)
#   SANITIZERS=1     run stages 3 and 4             FUZZ_SECONDS=20 fuzzing time per target in 3
#   TIDY=1           run stage 5                    TIDY_BASE=REV   tidy files changed since REV
# Stages 3-5 are off by default (scripts/ci-full.sh turns them on) until a run has shown them
# green and inside CI's 90 minutes on 2 cores: docs/security.md ("CI") has what was measured.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
stage() { echo "== test.sh: $* ($(date -u +%H:%M:%S), ${SECONDS}s since start)"; }

stage "dependencies, format, layers, web"
scripts/install-deps.sh
scripts/check-format.sh
scripts/check-layers.py
scripts/check-deploy.sh
scripts/check-web.sh
stage "thread-safety analysis (clang -fsyntax-only -Wthread-safety, every source)"
scripts/check-thread-safety.sh

stage "build (warnings are errors)"
scripts/build.sh
stage "tests"
(cd "${BUILD_DIR:-build}" && ctest --output-on-failure --parallel "$jobs" --timeout 600)

if [ "${SANITIZERS:-0}" != 0 ]; then
  # One clang configuration for three checks: ASan+UBSan under the whole suite, the fuzzers, and
  # the thread-safety analysis (a compile-time check, so building is running it). The dashboard's
  # e2e test is left to the main build (it drives Chromium; nothing of ours runs in it).
  stage "build-sanitize (clang: address,undefined, fuzzer coverage, -Wthread-safety)"
  FUZZ_BUILD_DIR=build-sanitize FUZZ_WITH_TESTS=ON FUZZ_NICE=0 scripts/fuzz.sh --build
  stage "tests under ASan+UBSan"
  (cd build-sanitize &&
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      ctest --output-on-failure --parallel "$jobs" --timeout 1200 -LE e2e)
  if [ "${FUZZ_SECONDS:-20}" != 0 ]; then
    stage "fuzz targets, ${FUZZ_SECONDS:-20} s each"
    FUZZ_BUILD_DIR=build-sanitize FUZZ_NICE=0 scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
  fi

  # ThreadSanitizer on the concurrent parts: Env sleeps, ingest (group commit, verify pool,
  # pipeline, dedup, rate limiter, device registry), the report log writer, the HTTP server and
  # metrics, the mempool and block producer (NodeMempoolTest, NodeLedgerTest), the epoch service,
  # the PoC entropy timer and ingest end to end.
  tsan_tests="EnvSleepTest|SimulatedEnvTest|GroupCommitTest|CommitQueueTest|VerifyPoolTest"
  tsan_tests+="|PipelineTest|PipelineReceiptTest|ReportLogTest|DedupWindowTest|RateLimiterTest"
  tsan_tests+="|DeviceRegistryTest|HttpServerTest|MetricsTest|MempoolTest|NodeMempoolTest"
  tsan_tests+="|NodeLedgerTest|EpochServiceTest|PocEntropy|IngestE2eTest"
  stage "build-tsan (thread)"
  BUILD_DIR=build-tsan TARGET="depin_util_tests depin_ingest_tests depin_http_tests depin_epoch_tests depin_node_tests depin_ledger_tests" \
    scripts/build.sh -DDEPIN_SANITIZE=thread -DDEPIN_BUILD_BENCH=OFF -DDEPIN_BUILD_DASHBOARD=OFF
  stage "concurrent tests under TSan"
  (cd build-tsan &&
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 ctest --output-on-failure \
      --parallel "$jobs" --timeout 1200 \
      -R "^($tsan_tests)\\.")
fi

if [ "${TIDY:-0}" != 0 ]; then
  stage "clang-tidy on changed files"
  scripts/tidy.sh --changed "${TIDY_BASE:-HEAD~1}"
fi
stage "done"
