#!/usr/bin/env bash
# Checks the dashboard's TypeScript (web/): Prettier's formatting (web/.prettierrc.json), ESLint
# (web/eslint.config.js), the strict type check against the types docs/openapi.yaml generates (src/api-types.ts) and the vitest unit tests of the pure helpers
# (web/src/*.test.ts). Run by scripts/test.sh. `scripts/check-web.sh --fix` formats and applies
# ESLint's fixes instead of checking. Installs web/node_modules with `npm ci` (pinned by
# package-lock.json) when it is missing or older than the lock file.
set -euo pipefail
cd "$(dirname "$0")/../web"
stamp=node_modules/.depin-npm-ci
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
bin=node_modules/.bin
if [ "${1:-}" = "--fix" ]; then
  "$bin/prettier" --log-level warn --write .
  "$bin/eslint" --fix .
  exit 0
fi
# The client's types are generated from the API contract (not checked in), so the type check
# below holds the dashboard to the contract as it is now.
"$bin/openapi-typescript" ../docs/openapi.yaml -o src/api-types.ts >/dev/null
"$bin/prettier" --log-level warn --check . ||
  { echo "check-web: files above need Prettier (run scripts/check-web.sh --fix)" >&2; exit 1; }
"$bin/eslint" --max-warnings 0 .
"$bin/tsc" --noEmit -p tsconfig.json
"$bin/vitest" run --reporter=dot
echo "check-web: format, lint, types and unit tests ok"
