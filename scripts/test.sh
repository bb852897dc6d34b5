#!/usr/bin/env bash
# `npm test`: the behaviour suites (cargo's unit tests, node --test and bun test) on a built
# tree. When nothing is built yet (a fresh clone), sets up and builds this platform first.
# Everything else CI runs (lint, all four platforms, reproducibility, arm64): `npm run ci`.
#
#   scripts/test.sh [TEST_FILE...]    (default: every __test__/*.test.js)
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '\n== %s\n' "$*"; }

triple=$(node -p "require('./lib/platforms.js').packageTriple()")
if [ ! -x .tools/bin/bun ] || ! ls "npm/$triple"/*.node >/dev/null 2>&1 || [ ! -d build/fixtures ]; then
  log "nothing built yet: setup, build ($triple), fixtures"
  bash scripts/setup.sh
  bash scripts/build.sh
  bash scripts/build-fixtures.sh
fi

if (($#)); then files=("$@"); else files=(__test__/*.test.js); fi

log "cargo test (the core's unit tests)"
cargo test --quiet --lib

summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
log "node --test"
node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$summary" "${files[@]}" || true
# awk, not grep -P: macOS's grep has no -P.
# Both runners always run; the totals (and the exit status) count both. No count means the runner died.
node_pass=$(awk '/^# pass /{print $3}' "$summary"); node_fail=$(awk '/^# fail /{print $3}' "$summary")
node_fail=${node_fail:-1}

log "bun test ($(.tools/bin/bun --version))"
.tools/bin/bun test "${files[@]/#/./}" 2>&1 | tee "$summary" || true
bun_pass=$(awk 'NF == 2 && $2 == "pass" {print $1}' "$summary"); bun_fail=$(awk 'NF == 2 && $2 == "fail" {print $1}' "$summary")
bun_fail=${bun_fail:-1}

log "totals: node $node_pass passed / $node_fail failed, bun $bun_pass passed / $bun_fail failed"
echo "tests: $((node_pass + bun_pass)) passed, $((node_fail + bun_fail)) failed"
[ "$((node_fail + bun_fail))" -eq 0 ]
