#!/usr/bin/env bash
# Clang's thread-safety analysis over every C++ source of the project, compile-only: each
# translation unit of a clang configuration (-DDEPIN_THREAD_SAFETY=ON, warnings as errors) is
# parsed with -fsyntax-only, so every GUARDED_BY, REQUIRES and EXCLUDES (util/thread_annotations.h)
# is checked, together with clang's other warnings (-Wdangling-gsl found a dangling string_view),
# without generating code; the fuzz targets (fuzz/) are parsed too, so they keep compiling against
# the APIs they fuzz. scripts/test.sh runs it on every submission.
#   scripts/check-thread-safety.sh [FILE...]    only these sources (paths as in the compile db)
#   TSA_BUILD_DIR=build-tsa                     the configuration (made on first use)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${TSA_BUILD_DIR:-build-tsa}
if [ ! -f "$dir/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DDEPIN_THREAD_SAFETY=ON -DDEPIN_WERROR=ON -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
    -DDEPIN_FUZZ=ON -DDEPIN_BUILD_DASHBOARD=OFF >/dev/null
fi
# Re-globs sources and makes the generated headers the sources include (protobuf's).
cmake --build "$dir" --target depin_wire_proto_headers >/dev/null
exec python3 - "$dir/compile_commands.json" "$(nproc)" "$@" <<'EOF'
import json, shlex, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

db_path, jobs, only = sys.argv[1], int(sys.argv[2]), set(sys.argv[3:])
entries = [e for e in json.load(open(db_path))
           if "/src/wire/gen/" not in e["file"] and "/_deps/" not in e["file"]]
if only:
    entries = [e for e in entries if any(e["file"].endswith(f) for f in only)]

def check(e):
    args = shlex.split(e["command"])
    if args and args[0].endswith("ccache"):
        args = args[1:]
    out, skip = [], False
    for a in args:  # drop the object output, the dependency file and -c; parse only
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if a in ("-c", "-MD", "-MMD"):
            continue
        out.append(a)
    r = subprocess.run(out + ["-fsyntax-only"], cwd=e["directory"], capture_output=True, text=True)
    return e["file"], r.returncode, r.stderr

failed = 0
with ThreadPoolExecutor(max_workers=jobs) as pool:
    for path, code, err in pool.map(check, entries):
        if code != 0:
            failed += 1
            sys.stderr.write(err)
print(f"check-thread-safety: {len(entries)} sources, {failed} with errors")
sys.exit(1 if failed else 0)
EOF
