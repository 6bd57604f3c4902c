#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang with ASan+UBSan) into build-fuzz/ and runs each one.
#   scripts/fuzz.sh [SECONDS_PER_TARGET]      (default 60)
#   scripts/fuzz.sh --build                   configure and build only (scripts/test.sh)
#   FUZZ_TARGETS="denylist block"  run only these (names without the fuzz_ prefix)
#   FUZZ_DIR=fuzz-corpus           corpora, crash artifacts and logs (gitignored); corpora grow
#                                  across runs: each target's directory keeps what it found
#   FUZZ_BUILD_DIR=build-fuzz      FUZZ_NICE=19 (lowest CPU priority, so builds are not slowed)
#   FUZZ_JOBS=$(nproc)             targets fuzzed at the same time
#   FUZZ_WITH_TESTS=ON             also build the test suite in the same directory: the sanitizer
#                                  build of scripts/test.sh (build-sanitize/) is this one
#   FUZZ_CPU_SECONDS=900           fuzz each target until it has used this many CPU seconds, in
#                                  rounds of SECONDS_PER_TARGET wall seconds: on a shared machine wall
#                                  time is not CPU time, and the acceptance bar is in CPU time
# Every round appends "date target wall-s CPU-s runs" to $FUZZ_DIR/logs/history.tsv; the summary
# line's "total" is that file's sum for the target (the CPU time it has had, across runs).
# The configuration is the project's one clang build: ASan+UBSan, libFuzzer coverage, and the
# thread-safety analysis (-DDEPIN_THREAD_SAFETY=ON) with warnings as errors.
# Seeds (golden vectors, test samples) are rewritten into $FUZZ_DIR/seeds/ on every run. A crash,
# leak, hang or sanitizer report is saved as $FUZZ_DIR/crashes/<target>/crash-* and makes the
# script fail; reproduce it with build-fuzz/bin/fuzz_<target> <file>. The last line per target
# in the summary gives its runs and the CPU seconds it used (also in $FUZZ_DIR/logs/<target>.time).
set -euo pipefail
cd "$(dirname "$0")/.."
build_only=0
if [ "${1:-}" = "--build" ]; then build_only=1; fi
seconds=${1:-60}
build_dir=${FUZZ_BUILD_DIR:-build-fuzz}
work=${FUZZ_DIR:-fuzz-corpus}
niceness=${FUZZ_NICE:-19}
export CCACHE_BASEDIR=$PWD
# Debug info names the build directory; without this, worktrees and clones never share objects.
export CCACHE_NOHASHDIR=1

# -O1 with line tables: fast enough to fuzz, quick to build, symbolized stacks; no NDEBUG, so
# assert()ed invariants are checked while fuzzing.
if [ ! -f "$build_dir/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
    -DDEPIN_FUZZ=ON -DDEPIN_THREAD_SAFETY=ON -DDEPIN_WERROR=ON \
    -DDEPIN_BUILD_TESTS="${FUZZ_WITH_TESTS:-OFF}" -DDEPIN_BUILD_BENCH=OFF \
    -DDEPIN_BUILD_DASHBOARD=OFF >/dev/null
fi
# fuzz_all also builds every library (fuzz/CMakeLists.txt), so the thread-safety analysis sees
# all of them; with tests configured, `all` adds the test binaries and tools.
build_targets=(--target fuzz_all)
if grep -q '^DEPIN_BUILD_TESTS:BOOL=ON' "$build_dir/CMakeCache.txt"; then build_targets=(--target all fuzz_all); fi
nice -n "$niceness" cmake --build "$build_dir" --parallel "$(nproc)" "${build_targets[@]}"
if [ "$build_only" = 1 ]; then exit 0; fi

rm -rf "$work/seeds"
"$build_dir/bin/depin_fuzz_seeds" "$work/seeds"
mkdir -p "$work/logs" "$work/tmp"

if [ -n "${FUZZ_TARGETS:-}" ]; then
  read -r -a targets <<<"$FUZZ_TARGETS"
else
  mapfile -t targets < <(cd "$build_dir/bin" && ls fuzz_* | sed 's/^fuzz_//' | sort)
fi

# One round of one target: fuzz for $seconds of wall time; sets round_cpu, round_runs and
# round_status, and appends the round to history.tsv.
fuzz_round() {
  local t=$1 corpus="$work/corpus/$1" crashes="$work/crashes/$1" log="$work/logs/$1.log"
  local seeds=()
  [ -d "$work/seeds/$t" ] && seeds=("$work/seeds/$t")
  round_status=0
  # New inputs go to the first directory ($corpus); the seeds are only read. /usr/bin/time
  # records the CPU seconds the target used (docs/security.md reports CPU time, not wall time).
  TMPDIR="$PWD/$work/tmp" /usr/bin/time -f '%U %S' -o "$work/logs/$t.time" \
    nice -n "$niceness" "$build_dir/bin/fuzz_$t" "$corpus" "${seeds[@]}" \
    -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$crashes/" >"$log" 2>&1 || round_status=$?
  round_runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  round_cpu=$(awk '{printf "%d", $1 + $2}' "$work/logs/$t.time" 2>/dev/null || echo 0)
  printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$seconds" "$round_cpu" "$round_runs" \
    >>"$work/logs/history.tsv"
}

# One target: one round, or rounds until FUZZ_CPU_SECONDS; prints its summary line and fails if
# the fuzzer found something.
run_target() {
  local t=$1 cpu=0 runs=0 budget=${FUZZ_CPU_SECONDS:-0}
  mkdir -p "$work/corpus/$t" "$work/crashes/$t"
  while :; do
    fuzz_round "$t"
    cpu=$((cpu + round_cpu)); runs=$((runs + round_runs))
    if [ "$round_status" -ne 0 ] || [ "$cpu" -ge "$budget" ]; then break; fi
  done
  local total
  total=$(awk -F'\t' -v t="$t" '$2 == t {s += $4} END {printf "%d", s}' "$work/logs/history.tsv")
  printf 'fuzz: %-15s %7s CPU-s %11s runs  corpus %6s  total %7s CPU-s  %s\n' "$t" "$cpu" \
    "$runs" "$(find "$work/corpus/$t" -type f | wc -l)" "$total" \
    "$([ "$round_status" -eq 0 ] && echo ok || echo FAILED)"
  if [ "$round_status" -ne 0 ]; then
    grep -E 'ERROR|SUMMARY|fuzz invariant|artifact' "$work/logs/$t.log" | head -20 >&2
    touch "$work/logs/$t.failed"
  fi
}

# FUZZ_JOBS targets at a time (default: one per core).
rm -f "$work"/logs/*.failed
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "${FUZZ_JOBS:-$(nproc)}" ]; do wait -n || true; done
  run_target "$t" &
done
wait
failed=()
for t in "${targets[@]}"; do [ -f "$work/logs/$t.failed" ] && failed+=("$t"); done
rm -rf "$work/tmp"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (inputs in $work/crashes/, logs in $work/logs/)" >&2
  exit 1
fi
