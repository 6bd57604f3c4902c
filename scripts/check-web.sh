#!/usr/bin/env bash
# Checks the dashboard's TypeScript (web/): Prettier's formatting (web/.prettierrc.json), ESLint
# (web/eslint.config.js), that src/api-types.ts is what docs/openapi.yaml generates, the strict type check and the vitest unit tests of the pure helpers
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
# The client's types are generated from the API contract: they must be what it generates now.
generated=$(mktemp --suffix=.ts)
trap 'rm -f "$generated"' EXIT
"$bin/openapi-typescript" ../docs/openapi.yaml -o "$generated" >/dev/null 2>&1
cmp -s "$generated" src/api-types.ts ||
  { echo "check-web: src/api-types.ts is not what docs/openapi.yaml generates (cd web && npm run types)" >&2; exit 1; }
"$bin/prettier" --log-level warn --check . ||
  { echo "check-web: files above need Prettier (run scripts/check-web.sh --fix)" >&2; exit 1; }
"$bin/eslint" --max-warnings 0 .
"$bin/tsc" --noEmit -p tsconfig.json
"$bin/vitest" run --reporter=dot
echo "check-web: format, lint, types and unit tests ok"
