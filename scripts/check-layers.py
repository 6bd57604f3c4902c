#!/usr/bin/env python3
"""Layer check: every `#include "<layer>/..."` in src/ must name the file's own layer or a layer
below it in the graph of docs/architecture.md, and no file may include another layer's private
header, and production code may not include test helpers. Run by scripts/test.sh; exits 1 and
prints file:line for each violation.

    scripts/check-layers.py          # check src/
    scripts/check-layers.py --graph  # print each layer with everything below it
"""
import os
import re
import sys

# The one table: each layer and the layers it may include directly (docs/architecture.md draws
# the same graph). What a layer may include is everything reachable from here, so list only the
# direct edges. A layer marked "planned" has no directory in src/ yet; its edges are the design's
# and may change when the code lands.
LAYERS = {
    "util": [],
    "crypto": ["util"],
    "wire": ["crypto"],
    "http": ["crypto"],  # server, router, request/response, JSON errors, metrics, the one client
    "ledger": ["wire"],
    "ingest": ["wire"],
    "verify": ["wire"],
    "rewards": ["verify"],
    "market": ["ledger"],
    # The network file, mapped onto each layer's parameters: above the layers it maps, so they
    # stay free of the file's format (docs/architecture.md).
    "config": ["ledger", "rewards"],
    "epoch": ["rewards", "ledger", "ingest", "http"],  # close, files, recompute, service
    "dashboard": ["epoch", "http"],  # the dashboard's API, index and economy metrics
    "client": ["http", "wire"],  # planned: one typed client of the node's API
    "sim": ["rewards"],
    "twin": ["rewards", "ledger"],  # the digital twin (docs/sim.md)
    "fleet": ["sim", "ingest", "ledger", "http"],
    "node": ["ingest", "ledger", "rewards", "sim", "config", "http", "epoch", "dashboard",
             "market"],
}

# Headers private to their own layer (besides every *_internal.h): "layer/file.h" -> why.
PRIVATE_HEADERS = {
    "ledger/store.h": "the SQLite state store is the ledger's own (ledger/ledger.h is the API)",
    "ingest/pipeline_request.h": "the pipeline's per-request state (ingest/pipeline.h is the API)",
}

# Known violations accepted for now, each with the reason: ("file", "included header") -> why.
# Empty today; an entry here is a debt to pay, not a way to pass.
EXCEPTIONS = {}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z0-9_]+)/([^"]+)"')
# Test code: *_test.cc, the crash-test children, and test helper headers and sources.
TEST_FILE = re.compile(
    r"(_test\.cc|_child\.cc|(^|/)test_[a-z0-9_]*\.(h|cc)|_test_[a-z0-9_]*\.h|_fixture\.h)$")
TEST_HELPER = re.compile(r"((^|/)test_[a-z0-9_]*\.h|_test_[a-z0-9_]*\.h|_fixture\.h)$")


def below(layer, seen=None):
    """Every layer `layer` may include (itself excluded)."""
    seen = set() if seen is None else seen
    for dep in LAYERS[layer]:
        if dep not in seen:
            seen.add(dep)
            below(dep, seen)
    return seen


def check(root):
    errors = []
    for dep_list in LAYERS.values():
        for dep in dep_list:
            if dep not in LAYERS:
                errors.append(f"scripts/check-layers.py: unknown layer '{dep}' in the table")
    src = os.path.join(root, "src")
    for layer in sorted(os.listdir(src)):
        path = os.path.join(src, layer)
        if not os.path.isdir(path):
            continue
        if layer not in LAYERS:
            errors.append(f"src/{layer}: not in the layer table of scripts/check-layers.py "
                          "(add it, and to docs/architecture.md)")
            continue
        allowed = below(layer) | {layer}
        for dirpath, _, files in os.walk(path):
            for name in sorted(files):
                if not name.endswith((".h", ".cc", ".cpp", ".hpp")):
                    continue
                file = os.path.relpath(os.path.join(dirpath, name), root)
                is_test = bool(TEST_FILE.search(file))
                with open(os.path.join(root, file), encoding="utf-8") as f:
                    for line_no, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m or m.group(1) not in LAYERS:
                            continue  # not one of our layers (e.g. a third-party "x/y.h")
                        target_layer, header = m.group(1), f"{m.group(1)}/{m.group(2)}"
                        if (file, header) in EXCEPTIONS:
                            continue
                        where = f"{file}:{line_no}"
                        if target_layer not in allowed:
                            errors.append(f"{where}: {layer} includes {header}, but {target_layer} "
                                          f"is not below {layer} (docs/architecture.md)")
                        elif target_layer != layer and (header in PRIVATE_HEADERS or
                                                        header.endswith("_internal.h")):
                            why = PRIVATE_HEADERS.get(header, "an *_internal.h header")
                            errors.append(f"{where}: {header} is private to {target_layer}: {why}")
                        elif TEST_HELPER.search(header) and not is_test:
                            errors.append(f"{where}: production code includes the test helper "
                                          f"{header}")
    return errors


def main():
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    if "--graph" in sys.argv[1:]:
        for layer in LAYERS:
            print(f"{layer:10} {' '.join(sorted(below(layer))) or '-'}")
        return 0
    errors = check(root)
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print(f"check-layers: {len(errors)} violation(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
